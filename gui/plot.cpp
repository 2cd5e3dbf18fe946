// [SECTION] Ticks and numbers
// [SECTION] Palette
// [SECTION] Shared pieces: frame, legend, readout, export menu
// [SECTION] Series charts
// [SECTION] Heatmap
// [SECTION] Tables, CSV and PNG requests

#include "gui/plot.hpp"

#include <fmt/format.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>

namespace cx::studio::plot {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A chart's PNG export between the click and the frame it is taken from.
struct PendingPng {
  ImGuiID popup = 0;  // the chart's context menu, which names the chart in its window
  PngRequest request;
  int requested_frame = 0;
  int ready_frame = -1;  // the frame in which the chart was drawn with its menu closed
};

struct ExportState {
  std::optional<PendingPng> png;
  std::string folder = ".";
  std::string message;
  ExportScript script;
};
ExportState& exports() {
  static ExportState state;  // UI thread only
  return state;
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] Ticks and numbers

Ticks niceTicks(double lo, double hi, int max_ticks) {
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0.0, hi = 1.0;
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
    // A flat series: open a range around it so it sits mid-chart.
    const double pad = lo == 0.0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  max_ticks = std::max(max_ticks, 2);
  const double raw = (hi - lo) / (max_ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  double nice = 10.0;
  if (fraction <= 1.0)
    nice = 1.0;
  else if (fraction <= 2.0)
    nice = 2.0;
  else if (fraction <= 5.0)
    nice = 5.0;
  t.step = nice * magnitude;
  t.first = std::floor(lo / t.step + 1e-9) * t.step;
  const double last = std::ceil(hi / t.step - 1e-9) * t.step;
  t.count = static_cast<int>(std::lround((last - t.first) / t.step)) + 1;
  return t;
}

std::string formatValue(double value, double step) {
  if (!std::isfinite(value)) return "—";
  step = std::abs(step);
  if (step >= 1000.0 && std::abs(value) >= 1000.0) {
    const int digits = std::clamp(static_cast<int>(-std::floor(std::log10(step / 1000.0))), 0, 3);
    return fmt::format("{:.{}f}k", value / 1000.0, digits);
  }
  const int digits =
      step > 0.0 ? std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 4) : 2;
  if (std::abs(value) < 0.5 * std::pow(10.0, -digits)) value = 0.0;  // no "-0"
  return fmt::format("{:.{}f}", value, digits);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Palette

ImU32 paletteColour(int index) {
  // Distinguishable on the dark background and for the common colour-vision deficiencies
  // (Okabe & Ito's palette, lightened).
  static const ImU32 kPalette[] = {
      IM_COL32(86, 180, 233, 255),   // sky blue
      IM_COL32(230, 159, 0, 255),    // orange
      IM_COL32(0, 178, 132, 255),    // bluish green
      IM_COL32(240, 228, 66, 255),   // yellow
      IM_COL32(204, 121, 167, 255),  // reddish purple
      IM_COL32(213, 94, 0, 255),     // vermilion
      IM_COL32(160, 160, 255, 255),  // lavender
  };
  constexpr int n = static_cast<int>(std::size(kPalette));
  return kPalette[((index % n) + n) % n];
}

ImU32 targetColour(double value, double target, bool better_higher, double tolerance) {
  const ImU32 good = IM_COL32(60, 180, 90, 255);
  const ImU32 near = IM_COL32(220, 170, 40, 255);
  const ImU32 bad = IM_COL32(220, 70, 60, 255);
  if (!std::isfinite(value) || !std::isfinite(target)) return IM_COL32(110, 110, 120, 255);
  const double slack = std::abs(target) * tolerance;
  if (better_higher) return value >= target ? good : value >= target - slack ? near : bad;
  return value <= target ? good : value <= target + slack ? near : bad;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Shared pieces: frame, legend, readout, export menu

namespace {

ImU32 withAlpha(ImU32 colour, int alpha) {
  return (colour & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

ImU32 seriesColour(const Series& s, int index) {
  return s.colour != 0 ? s.colour : paletteColour(index);
}

ImU32 textColour() {
  return ImGui::GetColorU32(ImGuiCol_Text);
}
ImU32 dimColour() {
  return ImGui::GetColorU32(ImGuiCol_TextDisabled);
}
ImU32 gridColour() {
  return IM_COL32(255, 255, 255, 28);
}

// The chart's context menu (right-click): save the picture or the numbers.
// `csv` builds the data only when it is asked for (null: no data export).
void exportMenu(const std::string& id, ImVec2 min, ImVec2 max,
                const std::function<std::string()>& csv) {
  ExportState& ex = exports();
  const ImGuiID popup = ImGui::GetID("export");
  ExportScript& script = ex.script;
  const bool scripted = !script.chart.empty() && script.chart == id && script.clicked_frame < 0;
  if (scripted) {
    if (!script.open) {
      ImGui::OpenPopup("export");
      script.open = true;
    }
    // Over the chart's middle, where a user would have right-clicked.
    ImGui::SetNextWindowPos(ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.4f));
  }
  if (!ImGui::BeginPopupContextItem("export")) return;
  ImGui::TextDisabled("Export to folder");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
  ImGui::InputText("##folder", &ex.folder);
  const std::filesystem::path base = std::filesystem::path(ex.folder.empty() ? "." : ex.folder);
  bool click = false;
  if (scripted && ++script.shown_frames > 2) {
    click = true;
    script.clicked_frame = ImGui::GetFrameCount();
    script.menu_min = ImGui::GetWindowPos();
    script.menu_max = ImVec2(script.menu_min.x + ImGui::GetWindowSize().x,
                             script.menu_min.y + ImGui::GetWindowSize().y);
  }
  if (ImGui::MenuItem(fmt::format("Save chart as {}.png", id).c_str()) || click) {
    // Taken on a later frame, once this menu is gone (see PngRequest).
    ex.png =
        PendingPng{popup, PngRequest{min, max, base / (id + ".png")}, ImGui::GetFrameCount(), -1};
    if (click) ImGui::CloseCurrentPopup();
  }
  if (csv && ImGui::MenuItem(fmt::format("Save data as {}.csv", id).c_str())) {
    std::string error;
    const std::filesystem::path file = base / (id + ".csv");
    ex.message = writeText(file, csv(), error) ? "Saved " + file.string() : error;
  }
  ImGui::EndPopup();
}

// Called where a chart is drawn, in its ID scope: when its PNG export is waiting, follows the
// chart (it may have moved) and marks this frame as the one to take once the menu has closed.
// True while the export waits: the chart then leaves out its hover readout.
bool followPendingExport(ImVec2 min, ImVec2 max) {
  std::optional<PendingPng>& png = exports().png;
  if (!png || png->popup != ImGui::GetID("export")) return false;
  png->request.min = min;
  png->request.max = max;
  if (ImGui::GetFrameCount() > png->requested_frame && !ImGui::IsPopupOpen("export"))
    png->ready_frame = ImGui::GetFrameCount();
  return true;
}

// A coloured square then text, inside a tooltip or the legend.
void swatch(ImDrawList* dl, ImVec2 at, ImU32 colour) {
  const float s = ImGui::GetTextLineHeight() * 0.6f;
  const float pad = (ImGui::GetTextLineHeight() - s) * 0.5f;
  dl->AddRectFilled(ImVec2(at.x, at.y + pad), ImVec2(at.x + s, at.y + pad + s), colour, 2.0f);
}

void tooltipRow(ImU32 colour, const std::string& text) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  swatch(dl, ImGui::GetCursorScreenPos(), colour);
  ImGui::Dummy(ImVec2(ImGui::GetTextLineHeight() * 0.8f, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
  ImGui::TextUnformatted(text.c_str());
}

// One entry of a chart's legend: a swatch (a square, or a ringed line for an overlay) and a label.
struct LegendEntry {
  enum class Mark { Square, Dot, Line };  // a series, a scatter's points, an overlay
  const std::string* label;
  ImU32 colour;
  Mark mark = Mark::Square;
};

// Title on the left, then the legend entries flowing to the right and onto further lines.
// Returns the height used.
float drawHeader(ImDrawList* dl, ImVec2 origin, float width, const std::string& title,
                 const std::string& unit, const std::vector<LegendEntry>& entries) {
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float gap = ImGui::GetStyle().ItemSpacing.x * 2.0f;
  float x = origin.x;
  float y = origin.y;
  dl->AddText(ImVec2(x, y), textColour(), title.c_str());
  x += ImGui::CalcTextSize(title.c_str()).x;
  if (!unit.empty()) {
    const std::string u = " (" + unit + ")";
    dl->AddText(ImVec2(x, y), dimColour(), u.c_str());
    x += ImGui::CalcTextSize(u.c_str()).x;
  }
  x += gap;
  const float box = ImGui::GetTextLineHeight();
  for (const LegendEntry& e : entries) {
    const bool is_line = e.mark == LegendEntry::Mark::Line;
    const float mark = is_line ? box * 1.6f : box;
    const float w = mark + ImGui::CalcTextSize(e.label->c_str()).x;
    if (x + w > origin.x + width && x > origin.x) {
      x = origin.x;
      y += line;
    }
    const float cy = y + box * 0.5f;
    if (is_line) {
      dl->AddLine(ImVec2(x, cy), ImVec2(x + box * 1.3f, cy), e.colour, 2.0f);
      dl->AddCircle(ImVec2(x + box * 0.65f, cy), box * 0.3f, e.colour, 0, 1.5f);
    } else if (e.mark == LegendEntry::Mark::Dot) {
      dl->AddCircleFilled(ImVec2(x + box * 0.3f, cy), box * 0.28f, e.colour);
      dl->AddCircle(ImVec2(x + box * 0.3f, cy), box * 0.28f, IM_COL32(255, 255, 255, 150));
    } else {
      swatch(dl, ImVec2(x, y), e.colour);
    }
    dl->AddText(ImVec2(x + mark - box * 0.2f, y), textColour(), e.label->c_str());
    x += w + gap;
  }
  return y - origin.y + line;
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] Series charts

namespace {

struct Mapping {
  ImVec2 min, max;  // plot area
  double y_lo = 0.0, y_hi = 1.0;
  double x_lo = 0.0, x_hi = 1.0;  // numeric axis
  int categories = 0;             // > 0: category axis
  float slot = 1.0f;              // width of one category

  float yAt(double v) const {
    return static_cast<float>(max.y - (v - y_lo) / (y_hi - y_lo) * (max.y - min.y));
  }
  float xAt(double x) const {
    if (categories > 0) return min.x + (static_cast<float>(x) + 0.5f) * slot;
    return static_cast<float>(min.x + (x - x_lo) / (x_hi - x_lo) * (max.x - min.x));
  }
};

void yRange(const Chart& chart, double& lo, double& hi) {
  lo = std::numeric_limits<double>::infinity();
  hi = -lo;
  bool from_zero = false;
  auto take = [&](const std::vector<double>& v) {
    for (double y : v)
      if (std::isfinite(y)) lo = std::min(lo, y), hi = std::max(hi, y);
  };
  for (const Series& s : chart.series) {
    take(s.y);
    take(s.lo);
    take(s.hi);
    from_zero = from_zero || s.kind == Kind::Bars || s.kind == Kind::Area;
  }
  if (chart.reference) lo = std::min(lo, *chart.reference), hi = std::max(hi, *chart.reference);
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  if (from_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
  // A scatter's dots (and the rings of an overlay on them) would be cut at the plot's top and
  // bottom: leave them room, as on the x axis.
  const bool points = std::any_of(chart.series.begin(), chart.series.end(),
                                  [](const Series& s) { return s.kind == Kind::Points; });
  if (points && hi > lo) {
    const double room = (hi - lo) * 0.06;
    lo -= room;
    hi += room;
  } else if (hi > lo) {
    hi += (hi - lo) * 0.02;  // a line at the maximum is not drawn on the plot's top edge
  }
  if (chart.y_min) lo = *chart.y_min;
  if (chart.y_max) hi = *chart.y_max;
}

std::size_t pointCount(const Chart& chart) {
  std::size_t n = chart.categories.empty() ? chart.x.size() : chart.categories.size();
  return n;
}

double xValue(const Chart& chart, std::size_t i) {
  return chart.categories.empty() ? chart.x[i] : static_cast<double>(i);
}

// Shaded band (CI) between lo and hi: one convex quad per segment.
void drawBand(ImDrawList* dl, const Chart& chart, const Series& s, const Mapping& m, ImU32 colour) {
  const std::size_t n = std::min({pointCount(chart), s.lo.size(), s.hi.size()});
  const ImU32 fill = withAlpha(colour, 48);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!std::isfinite(s.lo[i]) || !std::isfinite(s.hi[i]) || !std::isfinite(s.lo[i + 1]) ||
        !std::isfinite(s.hi[i + 1]))
      continue;
    const float x0 = m.xAt(xValue(chart, i)), x1 = m.xAt(xValue(chart, i + 1));
    const ImVec2 quad[4] = {{x0, m.yAt(s.hi[i])},
                            {x1, m.yAt(s.hi[i + 1])},
                            {x1, m.yAt(s.lo[i + 1])},
                            {x0, m.yAt(s.lo[i])}};
    dl->AddConvexPolyFilled(quad, 4, fill);
  }
}

// Adds a corner of a step line, dropping repeated points and merging runs along one level:
// ImGui's anti-aliased thick polylines draw blobs at duplicate or collinear joints.
void addStepPoint(std::vector<ImVec2>& run, ImVec2 p) {
  if (!run.empty() && std::abs(run.back().x - p.x) < 0.01f && std::abs(run.back().y - p.y) < 0.01f)
    return;
  const std::size_t n = run.size();
  if (n >= 2 && std::abs(run[n - 1].y - p.y) < 0.01f && std::abs(run[n - 2].y - p.y) < 0.01f) {
    run.back().x = p.x;
    return;
  }
  run.push_back(p);
}

void drawLineLike(ImDrawList* dl, const Chart& chart, const Series& s, const Mapping& m,
                  ImU32 colour) {
  const std::size_t n = std::min(pointCount(chart), s.y.size());
  const float base = m.yAt(std::clamp(0.0, m.y_lo, m.y_hi));
  std::vector<ImVec2> run;
  auto flush = [&] {
    if (run.size() >= 2) dl->AddPolyline(run.data(), static_cast<int>(run.size()), colour, 0, 2.0f);
    if (run.size() == 1) dl->AddCircleFilled(run[0], 2.5f, colour);
    run.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.y[i])) {
      flush();
      continue;
    }
    const float y = m.yAt(s.y[i]);
    if (s.kind == Kind::Points) {
      const ImVec2 at(m.xAt(xValue(chart, i)), y);
      dl->AddCircleFilled(at, 5.0f, i < s.point_colours.size() ? s.point_colours[i] : colour);
      dl->AddCircle(at, 5.0f, IM_COL32(255, 255, 255, 150));  // visible on any ramp colour
      continue;
    }
    if (s.kind == Kind::Step) {
      // Each value holds over its whole slot (categories) or until the next x (numeric).
      float x0, x1;
      if (m.categories > 0) {
        x0 = m.min.x + static_cast<float>(i) * m.slot;
        x1 = x0 + m.slot;
      } else {
        x0 = m.xAt(chart.x[i]);
        x1 = i + 1 < n ? m.xAt(chart.x[i + 1]) : x0;
      }
      addStepPoint(run, ImVec2(x0, y));
      addStepPoint(run, ImVec2(x1, y));
    } else {
      const float x = m.xAt(xValue(chart, i));
      if (s.kind == Kind::Area && !run.empty() && i > 0 && std::isfinite(s.y[i - 1])) {
        const ImVec2 prev = run.back();
        const ImVec2 quad[4] = {prev, {x, y}, {x, base}, {prev.x, base}};
        dl->AddConvexPolyFilled(quad, 4, withAlpha(colour, 70));
      }
      run.emplace_back(x, y);
    }
  }
  flush();
}

void drawBars(ImDrawList* dl, const Chart& chart, const std::vector<const Series*>& bars,
              const std::vector<ImU32>& colours, const Mapping& m) {
  if (bars.empty()) return;
  const float base = m.yAt(std::clamp(0.0, m.y_lo, m.y_hi));
  const float group =
      (m.categories > 0 ? m.slot
                        : (m.max.x - m.min.x) / std::max<std::size_t>(pointCount(chart), 1)) *
      0.8f;
  const float w = group / static_cast<float>(bars.size());
  for (std::size_t b = 0; b < bars.size(); ++b) {
    const Series& s = *bars[b];
    const std::size_t n = std::min(pointCount(chart), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const float left = m.xAt(xValue(chart, i)) - group * 0.5f + w * static_cast<float>(b);
      const float top = m.yAt(s.y[i]);
      dl->AddRectFilled(ImVec2(left + 0.5f, std::min(top, base)),
                        ImVec2(left + std::max(w - 1.0f, 1.0f), std::max(top, base)), colours[b]);
    }
  }
}

void drawAxes(ImDrawList* dl, const Chart& chart, const Mapping& m, const Ticks& yt,
              float label_bottom) {
  const float text_h = ImGui::GetTextLineHeight();
  // Horizontal grid and y labels.
  for (int i = 0; i < yt.count; ++i) {
    const double v = yt.at(i);
    if (v < m.y_lo - 1e-9 * yt.step || v > m.y_hi + 1e-9 * yt.step) continue;
    const float y = m.yAt(v);
    dl->AddLine(ImVec2(m.min.x, y), ImVec2(m.max.x, y), gridColour());
    const std::string label = formatValue(v, yt.step);
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    dl->AddText(ImVec2(m.min.x - w - 6.0f, y - text_h * 0.5f), dimColour(), label.c_str());
  }
  dl->AddRect(m.min, m.max, IM_COL32(255, 255, 255, 60));

  // x labels: every k-th category so that labels keep a gap, or nice numeric ticks.
  const float gap = ImGui::CalcTextSize("  ").x;
  if (m.categories > 0) {
    float widest = 0.0f;
    for (const std::string& c : chart.categories)
      widest = std::max(widest, ImGui::CalcTextSize(c.c_str()).x);
    const int every = std::max(1, static_cast<int>(std::ceil((widest + gap) / m.slot)));
    for (int i = 0; i < m.categories; i += every) {
      const std::string& label = chart.categories[static_cast<std::size_t>(i)];
      const float x = m.xAt(i);
      const float w = ImGui::CalcTextSize(label.c_str()).x;
      dl->AddLine(ImVec2(x, m.max.y), ImVec2(x, m.max.y + 4.0f), dimColour());
      dl->AddText(ImVec2(std::max(x - w * 0.5f, m.min.x - gap), m.max.y + 5.0f), dimColour(),
                  label.c_str());
    }
  } else {
    const float probe = ImGui::CalcTextSize("00000").x + gap;
    const Ticks xt =
        niceTicks(m.x_lo, m.x_hi, std::max(2, static_cast<int>((m.max.x - m.min.x) / probe)));
    for (int i = 0; i < xt.count; ++i) {
      const double v = xt.at(i);
      if (v < m.x_lo - 1e-9 || v > m.x_hi + 1e-9) continue;
      const float x = m.xAt(v);
      dl->AddLine(ImVec2(x, m.min.y), ImVec2(x, m.max.y), gridColour());
      const std::string label = formatValue(v, xt.step);
      const float w = ImGui::CalcTextSize(label.c_str()).x;
      dl->AddText(ImVec2(x - w * 0.5f, m.max.y + 5.0f), dimColour(), label.c_str());
    }
  }
  if (!chart.x_unit.empty()) {
    const float w = ImGui::CalcTextSize(chart.x_unit.c_str()).x;
    dl->AddText(ImVec2(m.max.x - w, label_bottom - text_h), dimColour(), chart.x_unit.c_str());
  }
}

// Series points on screen (line-like series only; bars are low and wide), for placing labels.
std::vector<ImVec2> screenPoints(const Chart& chart, const Mapping& m) {
  std::vector<ImVec2> out;
  const std::size_t n = pointCount(chart);
  for (const Series& s : chart.series) {
    if (s.kind == Kind::Bars) continue;
    for (std::size_t i = 0; i < n && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const ImVec2 p(m.xAt(xValue(chart, i)), m.yAt(s.y[i]));
      // Midpoints too: a label must not sit on a segment between two points either.
      if (!out.empty() && i > 0 && std::isfinite(s.y[i - 1])) {
        const ImVec2 q(m.xAt(xValue(chart, i - 1)), m.yAt(s.y[i - 1]));
        for (float t : {0.25f, 0.5f, 0.75f})
          out.emplace_back(q.x + (p.x - q.x) * t, q.y + (p.y - q.y) * t);
      }
      out.push_back(p);
    }
  }
  return out;
}

// Where a reference line's label goes: next to the line (right, left or middle, above or
// below it) where it covers no series point; when the series run along the line everywhere,
// in the corner of the plot with the fewest points, led by a dash of the line (`detached`).
struct LabelPlace {
  ImVec2 at;
  bool detached = false;
};

LabelPlace placeReferenceLabel(const Chart& chart, const Mapping& m, float y, ImVec2 size,
                               float dash_w) {
  const std::vector<ImVec2> points = screenPoints(chart, m);
  const float inset = 4.0f;
  const auto hitsAt = [&](ImVec2 at, ImVec2 sz) {
    int hits = 0;
    for (const ImVec2& p : points)
      if (p.x >= at.x - 3.0f && p.x <= at.x + sz.x + 3.0f && p.y >= at.y - 3.0f &&
          p.y <= at.y + sz.y + 3.0f)
        ++hits;
    return hits;
  };
  const auto clampX = [&](float x, float w) {
    return std::clamp(x, m.min.x + inset, std::max(m.min.x + inset, m.max.x - w - inset));
  };
  const auto fits = [&](float top, float h) {
    return top >= m.min.y + 1.0f && top + h <= m.max.y - 1.0f;
  };
  LabelPlace best{ImVec2(clampX(m.max.x - size.x - inset, size.x), y - size.y - 2.0f), false};
  int best_hits = std::numeric_limits<int>::max();
  for (float ly : {y - size.y - 2.0f, y + 2.0f}) {
    if (!fits(ly, size.y)) continue;  // flip to the other side of the line rather than leave
    for (float lx :
         {m.max.x - size.x - inset, m.min.x + inset, (m.min.x + m.max.x - size.x) * 0.5f}) {
      const ImVec2 at(clampX(lx, size.x), ly);
      const int hits = hitsAt(at, size);
      if (hits < best_hits) best_hits = hits, best = LabelPlace{at, false};
    }
  }
  if (best_hits == 0) return best;
  // The corners, the label led by a dash of the line so it still names it.
  const ImVec2 wide(size.x + dash_w, size.y);
  for (float ly : {m.max.y - size.y - inset, m.min.y + inset}) {
    if (!fits(ly, size.y)) continue;
    for (float lx : {m.max.x - wide.x - inset, m.min.x + inset}) {
      const ImVec2 at(clampX(lx, wide.x), ly);
      const int hits = hitsAt(at, wide);
      if (hits < best_hits) best_hits = hits, best = LabelPlace{at, true};
    }
  }
  return best;
}

void drawReference(ImDrawList* dl, const Chart& chart, const Mapping& m) {
  if (!chart.reference || *chart.reference < m.y_lo || *chart.reference > m.y_hi) return;
  const float y = m.yAt(*chart.reference);
  const ImU32 colour = IM_COL32(255, 255, 255, 150);
  const auto dashed = [&](float x0, float x1, float at_y) {
    for (float x = x0; x < x1; x += 10.0f)
      dl->AddLine(ImVec2(x, at_y), ImVec2(std::min(x + 5.0f, x1), at_y), colour, 1.5f);
  };
  dashed(m.min.x, m.max.x, y);
  if (chart.reference_label.empty()) return;
  const ImVec2 text = ImGui::CalcTextSize(chart.reference_label.c_str());
  const ImVec2 size(text.x + 6.0f, text.y);
  const float dash_w = 31.0f;  // a dash sample before a detached label
  const LabelPlace place = placeReferenceLabel(chart, m, y, size, dash_w);
  const float lead = place.detached ? dash_w : 0.0f;
  dl->AddRectFilled(place.at, ImVec2(place.at.x + lead + size.x, place.at.y + size.y),
                    IM_COL32(20, 22, 26, 215), 3.0f);
  if (place.detached) dashed(place.at.x + 3.0f, place.at.x + 28.0f, place.at.y + size.y * 0.5f);
  dl->AddText(ImVec2(place.at.x + lead + 3.0f, place.at.y), colour, chart.reference_label.c_str());
}

// The overlays: a line through their points, a ring at each.
void drawOverlays(ImDrawList* dl, const Chart& chart, const Mapping& m) {
  for (const Overlay& o : chart.overlays) {
    std::vector<ImVec2> pts;
    for (std::size_t i = 0; i < o.x.size() && i < o.y.size(); ++i)
      if (std::isfinite(o.x[i]) && std::isfinite(o.y[i]))
        pts.emplace_back(static_cast<float>(m.min.x + (o.x[i] - m.x_lo) / (m.x_hi - m.x_lo) *
                                                          (m.max.x - m.min.x)),
                         m.yAt(o.y[i]));
    if (pts.size() >= 2)
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), o.colour, 0, 1.5f);
    for (const ImVec2& p : pts) dl->AddCircle(p, 8.5f, o.colour, 0, 2.0f);
  }
}

// The colour bar of a scatter's point colours, right of the plot: its label at `top`, then
// the ramp with ticks down to `bottom`. `left` is its left edge; the plot ends before it.
Ticks colourTicks(const ColourScale& scale, float top, float bottom) {
  const float text_h = ImGui::GetTextLineHeight();
  const double hi = scale.hi > scale.lo ? scale.hi : scale.lo + 1.0;
  return niceTicks(scale.lo, hi,
                   std::max(2, static_cast<int>((bottom - top - text_h) / (text_h * 2.5f))));
}

void drawColourScale(ImDrawList* dl, const ColourScale& scale, float left, float top,
                     float bottom) {
  const float text_h = ImGui::GetTextLineHeight();
  dl->AddText(ImVec2(left, top), textColour(), scale.label.c_str());
  const Ticks t = colourTicks(scale, top, bottom);
  top += text_h + 6.0f;
  if (bottom - top < text_h) return;
  const float bar_w = text_h * 0.8f;
  const double lo = scale.lo, hi = scale.hi > scale.lo ? scale.hi : scale.lo + 1.0;
  const int steps = 32;
  for (int i = 0; i < steps; ++i) {
    const float y0 = bottom - (bottom - top) * static_cast<float>(i + 1) / steps;
    const float y1 = bottom - (bottom - top) * static_cast<float>(i) / steps;
    dl->AddRectFilled(ImVec2(left, y0), ImVec2(left + bar_w, y1 + 0.5f),
                      rampColour((i + 0.5) / static_cast<double>(steps)));
  }
  dl->AddRect(ImVec2(left, top), ImVec2(left + bar_w, bottom), IM_COL32(255, 255, 255, 60));
  for (int i = 0; i < t.count; ++i) {
    const double v = t.at(i);
    if (v < lo - 1e-9 * t.step || v > hi + 1e-9 * t.step) continue;
    const float y = static_cast<float>(bottom - (v - lo) / (hi - lo) * (bottom - top));
    dl->AddLine(ImVec2(left + bar_w, y), ImVec2(left + bar_w + 3.0f, y), dimColour());
    dl->AddText(ImVec2(left + bar_w + 5.0f, y - text_h * 0.5f), dimColour(),
                formatValue(v, t.step).c_str());
  }
}

// Width the colour bar takes right of the plot, its label and gap included.
float colourScaleWidth(const ColourScale& scale, float top, float bottom) {
  const float text_h = ImGui::GetTextLineHeight();
  const Ticks t = colourTicks(scale, top, bottom);
  float labels = 0.0f;
  for (int i = 0; i < t.count; ++i)
    labels = std::max(labels, ImGui::CalcTextSize(formatValue(t.at(i), t.step).c_str()).x);
  return std::max(text_h * 0.8f + 5.0f + labels, ImGui::CalcTextSize(scale.label.c_str()).x) +
         ImGui::GetStyle().ItemSpacing.x * 3.0f;
}

void readout(const Chart& chart, const Mapping& m, const std::vector<const Series*>& series,
             const std::vector<ImU32>& colours, const Ticks& yt) {
  const std::size_t n = pointCount(chart);
  if (n == 0) return;
  const float mx = ImGui::GetIO().MousePos.x;
  std::size_t best = 0;
  float best_d = std::numeric_limits<float>::max();
  for (std::size_t i = 0; i < n; ++i) {
    const float d = std::abs(m.xAt(xValue(chart, i)) - mx);
    if (d < best_d) best_d = d, best = i;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float x = m.xAt(xValue(chart, best));
  dl->AddLine(ImVec2(x, m.min.y), ImVec2(x, m.max.y), IM_COL32(255, 255, 255, 90));
  ImGui::BeginTooltip();
  const std::string where = chart.categories.empty()
                                ? formatValue(chart.x[best], 0.01) + " " + chart.x_unit
                                : chart.categories[best];
  ImGui::TextDisabled("%s", where.c_str());
  // Two more digits than the axis: the readout is where exact values are read.
  const double step = yt.step / 100.0;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = *series[k];
    const double v = best < s.y.size() ? s.y[best] : kNaN;
    std::string text = s.label + ": " + formatValue(v, step);
    if (best < s.lo.size() && best < s.hi.size() && std::isfinite(s.lo[best]) &&
        std::isfinite(s.hi[best])) {
      text +=
          " (95% CI " + formatValue(s.lo[best], step) + "–" + formatValue(s.hi[best], step) + ")";
    }
    if (!chart.y_unit.empty() && std::isfinite(v)) text += " " + chart.y_unit;
    tooltipRow(colours[k], text);
  }
  ImGui::EndTooltip();
}

}  // namespace

bool drawChart(const Chart& chart, ImVec2 size) {
  ImGui::PushID(chart.id.c_str());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (size.x <= 0.0f) size.x = ImGui::GetContentRegionAvail().x;
  size.y = std::max(size.y, ImGui::GetTextLineHeight() * 8.0f);
  ImGui::InvisibleButton("chart", size);
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  exportMenu(chart.id, origin, end, [&chart] { return chartCsv(chart); });
  const bool exporting = followPendingExport(origin, end);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRect(origin, end, IM_COL32(255, 255, 255, 24),
              4.0f);  // an outline: a fill costs a layer of software rendering
  std::vector<const Series*> all, bars;
  std::vector<ImU32> colours, bar_colours;
  std::vector<LegendEntry> legend;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    all.push_back(&chart.series[i]);
    colours.push_back(seriesColour(chart.series[i], static_cast<int>(i)));
    // A scatter coloured point by point: a neutral dot (the colour bar says what colours mean).
    const Series& s = chart.series[i];
    const bool dot = s.kind == Kind::Points;
    legend.push_back(LegendEntry{
        &s.label, dot && !s.point_colours.empty() ? IM_COL32(150, 150, 160, 255) : colours.back(),
        dot ? LegendEntry::Mark::Dot : LegendEntry::Mark::Square});
    if (chart.series[i].kind == Kind::Bars) {
      bars.push_back(&chart.series[i]);
      bar_colours.push_back(colours.back());
    }
  }
  for (const Overlay& o : chart.overlays)
    legend.push_back(LegendEntry{&o.label, o.colour, LegendEntry::Mark::Line});
  const float pad = ImGui::GetStyle().ItemSpacing.x;
  const float text_h = ImGui::GetTextLineHeight();
  const float header = drawHeader(dl, ImVec2(origin.x + pad, origin.y + pad * 0.5f),
                                  size.x - 2.0f * pad, chart.title, chart.y_unit, legend);

  double lo = 0.0, hi = 1.0;
  yRange(chart, lo, hi);
  Mapping m;
  const float bottom_rows = chart.x_unit.empty() ? 1.0f : 2.0f;
  m.min.y = origin.y + pad * 0.5f + header + text_h * 0.5f;
  m.max.y = end.y - bottom_rows * (text_h + 3.0f) - 6.0f;
  const int max_ticks = std::max(2, static_cast<int>((m.max.y - m.min.y) / (text_h * 2.2f)));
  const Ticks yt = niceTicks(lo, hi, max_ticks);
  m.y_lo = chart.y_min ? lo : std::min(lo, yt.first);
  m.y_hi = chart.y_max ? hi : std::max(hi, yt.last());
  float label_w = 0.0f;
  for (int i = 0; i < yt.count; ++i)
    label_w = std::max(label_w, ImGui::CalcTextSize(formatValue(yt.at(i), yt.step).c_str()).x);
  m.min.x = origin.x + pad + label_w + 8.0f;
  m.max.x = end.x - pad - ImGui::CalcTextSize("00").x * 0.5f;
  float scale_left = 0.0f;
  if (chart.colour_scale) {
    const float w = colourScaleWidth(*chart.colour_scale, m.min.y, m.max.y);
    scale_left = end.x - w + pad;
    m.max.x = std::max(m.min.x + text_h, end.x - w - pad);
  }
  const std::size_t n = pointCount(chart);
  if (!chart.categories.empty()) {
    m.categories = static_cast<int>(n);
    m.slot = (m.max.x - m.min.x) / static_cast<float>(std::max<std::size_t>(n, 1));
  } else if (!chart.x.empty()) {
    const auto [a, b] = std::minmax_element(chart.x.begin(), chart.x.end());
    m.x_lo = *a;
    m.x_hi = *b > *a ? *b : *a + 1.0;
    // A scatter's dots would be cut in half at the plot's edges: leave them room.
    if (std::any_of(all.begin(), all.end(),
                    [](const Series* s) { return s->kind == Kind::Points; })) {
      const double room = (m.x_hi - m.x_lo) * 0.04;
      m.x_lo -= room;
      m.x_hi += room;
    }
  }

  if (m.max.y - m.min.y > text_h) {
    drawAxes(dl, chart, m, yt, end.y - 3.0f);
    dl->PushClipRect(m.min, m.max, true);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (!all[i]->lo.empty()) drawBand(dl, chart, *all[i], m, colours[i]);
    drawBars(dl, chart, bars, bar_colours, m);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i]->kind != Kind::Bars) drawLineLike(dl, chart, *all[i], m, colours[i]);
    if (chart.categories.empty()) drawOverlays(dl, chart, m);
    drawReference(dl, chart, m);
    dl->PopClipRect();
    if (chart.colour_scale) drawColourScale(dl, *chart.colour_scale, scale_left, m.min.y, m.max.y);
    if (n == 0) {
      const char* empty = "no data";
      const ImVec2 ts = ImGui::CalcTextSize(empty);
      dl->AddText(ImVec2((m.min.x + m.max.x - ts.x) * 0.5f, (m.min.y + m.max.y - ts.y) * 0.5f),
                  dimColour(), empty);
    }
    // Not while a picture of the chart waits: the readout would be in it.
    if (hovered && !exporting && ImGui::IsMouseHoveringRect(m.min, m.max) && n > 0)
      readout(chart, m, all, colours, yt);
  }
  ImGui::PopID();
  return hovered;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Heatmap

// A perceptually ordered ramp (viridis, five stops).
ImU32 rampColour(double t) {
  static const float stops[5][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  const int i = std::min(static_cast<int>(t), 3);
  const float f = static_cast<float>(t - i);
  auto mix = [&](int c) { return stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f; };
  return IM_COL32(static_cast<int>(mix(0)), static_cast<int>(mix(1)), static_cast<int>(mix(2)),
                  255);
}

bool drawHeatmap(const Heatmap& h, ImVec2 size) {
  ImGui::PushID(h.id.c_str());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (size.x <= 0.0f) size.x = ImGui::GetContentRegionAvail().x;
  size.y = std::max(size.y, ImGui::GetTextLineHeight() * 6.0f);
  ImGui::InvisibleButton("heatmap", size);
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  exportMenu(h.id, origin, end, {});
  const bool exporting = followPendingExport(origin, end);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRect(origin, end, IM_COL32(255, 255, 255, 24),
              4.0f);  // an outline: a fill costs a layer of software rendering
  const float pad = ImGui::GetStyle().ItemSpacing.x;
  const float text_h = ImGui::GetTextLineHeight();
  const float header =
      drawHeader(dl, ImVec2(origin.x + pad, origin.y + pad * 0.5f), size.x, h.title, h.unit, {});

  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& row : h.values)
    for (double v : row)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (h.lo) lo = *h.lo;
  if (h.hi) hi = *h.hi;
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  if (hi <= lo) hi = lo + 1.0;

  float row_w = 0.0f;
  for (const std::string& r : h.rows) row_w = std::max(row_w, ImGui::CalcTextSize(r.c_str()).x);
  const float bar_w = text_h * 0.8f;
  const Ticks ct = niceTicks(lo, hi, 5);
  float scale_label_w = 0.0f;
  for (int i = 0; i < ct.count; ++i)
    scale_label_w =
        std::max(scale_label_w, ImGui::CalcTextSize(formatValue(ct.at(i), ct.step).c_str()).x);
  const ImVec2 min(origin.x + pad + row_w + 6.0f, origin.y + pad * 0.5f + header);
  const ImVec2 max(end.x - pad - bar_w - scale_label_w - 12.0f, end.y - text_h - 8.0f);
  const int rows = static_cast<int>(h.rows.size());
  const int cols = static_cast<int>(h.columns.size());
  if (rows > 0 && cols > 0 && max.x > min.x && max.y > min.y) {
    const float cw = (max.x - min.x) / static_cast<float>(cols);
    const float rh = (max.y - min.y) / static_cast<float>(rows);
    for (int r = 0; r < rows; ++r) {
      const float y0 = min.y + rh * static_cast<float>(r);
      if (rh >= text_h * 0.7f || r % std::max(1, static_cast<int>(text_h / rh)) == 0)
        dl->AddText(ImVec2(origin.x + pad, y0 + (rh - text_h) * 0.5f), dimColour(),
                    h.rows[static_cast<std::size_t>(r)].c_str());
      for (int c = 0; c < cols; ++c) {
        const double v = r < static_cast<int>(h.values.size()) &&
                                 c < static_cast<int>(h.values[static_cast<std::size_t>(r)].size())
                             ? h.values[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]
                             : kNaN;
        const float x0 = min.x + cw * static_cast<float>(c);
        const ImU32 colour =
            std::isfinite(v) ? rampColour((v - lo) / (hi - lo)) : IM_COL32(60, 60, 66, 255);
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + cw - 1.0f, y0 + rh - 1.0f), colour);
      }
    }
    float widest = 0.0f;
    for (const std::string& c : h.columns)
      widest = std::max(widest, ImGui::CalcTextSize(c.c_str()).x);
    const int every = std::max(1, static_cast<int>(std::ceil((widest + 8.0f) / cw)));
    for (int c = 0; c < cols; c += every) {
      const std::string& label = h.columns[static_cast<std::size_t>(c)];
      dl->AddText(ImVec2(min.x + cw * static_cast<float>(c), max.y + 4.0f), dimColour(),
                  label.c_str());
    }
    // Colour scale.
    const float bx = max.x + 8.0f;
    const int steps = 32;
    for (int i = 0; i < steps; ++i) {
      const float y0 = max.y - (max.y - min.y) * static_cast<float>(i + 1) / steps;
      const float y1 = max.y - (max.y - min.y) * static_cast<float>(i) / steps;
      dl->AddRectFilled(ImVec2(bx, y0), ImVec2(bx + bar_w, y1),
                        rampColour((i + 0.5) / static_cast<double>(steps)));
    }
    for (int i = 0; i < ct.count; ++i) {
      const double v = ct.at(i);
      if (v < lo - 1e-9 || v > hi + 1e-9) continue;
      const float y = static_cast<float>(max.y - (v - lo) / (hi - lo) * (max.y - min.y));
      dl->AddText(ImVec2(bx + bar_w + 4.0f, y - text_h * 0.5f), dimColour(),
                  formatValue(v, ct.step).c_str());
    }
    if (hovered && !exporting && ImGui::IsMouseHoveringRect(min, max)) {
      const ImVec2 mp = ImGui::GetIO().MousePos;
      const int c = std::clamp(static_cast<int>((mp.x - min.x) / cw), 0, cols - 1);
      const int r = std::clamp(static_cast<int>((mp.y - min.y) / rh), 0, rows - 1);
      const double v = r < static_cast<int>(h.values.size()) &&
                               c < static_cast<int>(h.values[static_cast<std::size_t>(r)].size())
                           ? h.values[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]
                           : kNaN;
      ImGui::BeginTooltip();
      ImGui::TextDisabled("%s · %s", h.rows[static_cast<std::size_t>(r)].c_str(),
                          h.columns[static_cast<std::size_t>(c)].c_str());
      ImGui::Text("%s %s", formatValue(v, ct.step / 100.0).c_str(), h.unit.c_str());
      ImGui::EndTooltip();
    }
  }
  ImGui::PopID();
  return hovered;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Tables, CSV and PNG requests

namespace {

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csvField(fields[i]);
  return line + "\n";
}

}  // namespace

std::string csvNumber(double v) {
  if (!std::isfinite(v)) return std::string();
  if (v == 0.0) return "0";  // never "-0"
  return fmt::format("{:.10g}", v);
}

std::string tableCsv(const Table& table) {
  std::string out = csvLine(table.headers);
  for (const auto& row : table.rows) out += csvLine(row);
  return out;
}

std::string chartCsv(const Chart& chart) {
  std::vector<std::string> header{chart.x_unit.empty() ? "x" : chart.x_unit};
  for (const Series& s : chart.series) {
    const std::string name = s.label + (chart.y_unit.empty() ? "" : " (" + chart.y_unit + ")");
    header.push_back(name);
    if (!s.lo.empty())
      header.push_back(s.label + " ci95 low"), header.push_back(s.label + " ci95 high");
  }
  std::string out = csvLine(header);
  const std::size_t n = pointCount(chart);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> row{chart.categories.empty() ? csvNumber(chart.x[i])
                                                          : chart.categories[i]};
    for (const Series& s : chart.series) {
      row.push_back(csvNumber(i < s.y.size() ? s.y[i] : kNaN));
      if (!s.lo.empty()) {
        row.push_back(csvNumber(i < s.lo.size() ? s.lo[i] : kNaN));
        row.push_back(csvNumber(i < s.hi.size() ? s.hi[i] : kNaN));
      }
    }
    out += csvLine(row);
  }
  return out;
}

bool writeText(const std::filesystem::path& file, const std::string& text, std::string& error) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    error = "cannot write " + file.string();
    return false;
  }
  return true;
}

void drawTable(const Table& table, float height) {
  const int columns = std::min(static_cast<int>(table.headers.size()), 64);
  if (columns == 0) return;
  ImGui::PushID(table.id.c_str());
  ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (height <= 0.0f) {
    // All rows, and a horizontal scrollbar rather than squeezed columns when it is wide.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float row = ImGui::GetTextLineHeight() + 2.0f * style.CellPadding.y;
    height = row * static_cast<float>(table.rows.size() + 1) + style.ScrollbarSize + 4.0f;
  }
  flags |= ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (ImGui::BeginTable("table", columns, flags, ImVec2(0.0f, height))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    for (int c = 0; c < columns; ++c)
      ImGui::TableSetupColumn(table.headers[static_cast<std::size_t>(c)].c_str());
    ImGui::TableHeadersRow();
    for (const auto& row : table.rows) {
      ImGui::TableNextRow();
      for (int c = 0; c < columns && c < static_cast<int>(row.size()); ++c) {
        ImGui::TableSetColumnIndex(c);
        ImGui::TextUnformatted(row[static_cast<std::size_t>(c)].c_str());
      }
    }
    ImGui::EndTable();
  }
  const ImVec2 bottom(top.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) && ImGui::IsMouseHoveringRect(top, bottom) &&
      ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows))
    ImGui::OpenPopup("table_export");
  if (ImGui::BeginPopup("table_export")) {
    ExportState& ex = exports();
    ImGui::TextDisabled("Export to folder");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    ImGui::InputText("##folder", &ex.folder);
    const std::filesystem::path file =
        std::filesystem::path(ex.folder.empty() ? "." : ex.folder) / (table.id + ".csv");
    if (ImGui::MenuItem(fmt::format("Save table as {}.csv", table.id).c_str())) {
      std::string error;
      ex.message = writeText(file, tableCsv(table), error) ? "Saved " + file.string() : error;
    }
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

std::optional<PngRequest> takePngRequest() {
  std::optional<PendingPng>& png = exports().png;
  if (!png) return std::nullopt;
  const int frame = ImGui::GetFrameCount();
  if (png->ready_frame == frame) {
    PngRequest out = std::move(png->request);
    png.reset();
    return out;
  }
  // The chart went away (its panel closed, its tab switched) before its picture was taken.
  if (frame - png->requested_frame > 120) {
    exports().message = "Not saved: " + png->request.file.filename().string() +
                        ": the chart is no longer on screen";
    png.reset();
  }
  return std::nullopt;
}

bool pngExportPending() {
  return exports().png.has_value();
}

void scriptPngExport(const std::string& chart_id) {
  exports().script = ExportScript{};
  exports().script.chart = chart_id;
}

const ExportScript& exportScript() {
  return exports().script;
}

std::string& exportFolder() {
  return exports().folder;
}

std::string& lastExportMessage() {
  return exports().message;
}

}  // namespace cx::studio::plot
