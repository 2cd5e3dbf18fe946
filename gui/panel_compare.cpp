// The compare panel: a baseline scenario against the current one, run on common random
// numbers (sim/compare.hpp): both means, the paired difference with its 95% CI, the CI
// independent runs would have had, and the verdict; service level per interval side by side.
// And the sweep view: the current scenario over a grid (sim/sweep.hpp) as a scatter of two
// chosen metrics coloured by a third, the AI/human frontier of cost against CSAT.
//
// [SECTION] Baseline
// [SECTION] Results
// [SECTION] Sweep
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string_view>
#include <utility>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/sweep_job.hpp"
#include "gui/widgets.hpp"
#include "sim/report.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Baseline

void drawBaseline(AppState& state) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Baseline (A):");
  ImGui::SameLine();
  if (state.baseline)
    ImGui::TextUnformatted(state.baseline_label.c_str());
  else
    ImGui::TextDisabled("none yet");
  ImGui::BeginDisabled(!state.doc.valid());
  if (ImGui::Button("Use the current scenario as baseline")) {
    state.baseline = *state.doc.scenario;
    state.baseline_label = fmt::format("{} (snapshot of {})", state.doc.scenario->name,
                                       state.doc.path.filename().string());
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
  ImGui::InputTextWithHint("##baseline_file", "or a saved scenario file",
                           &state.baseline_path_input);
  ImGui::SameLine();
  ImGui::BeginDisabled(state.baseline_path_input.empty());
  if (ImGui::Button("Load baseline")) {
    // A small file read on the UI thread; the loader's errors are shown, the old baseline kept.
    try {
      state.baseline = loadScenario(state.baseline_path_input);
      state.baseline_label = state.baseline_path_input;
      state.compare_error.clear();
    } catch (const ScenarioError& e) {
      state.compare_error = e.diagnostics().empty() ? e.what() : e.diagnostics().front().format();
    } catch (const std::exception& e) {
      state.compare_error = e.what();
    }
  }
  ImGui::EndDisabled();

  const bool can = state.baseline && state.doc.valid() && !state.compare_job.running();
  ImGui::BeginDisabled(!can);
  if (ImGui::Button("Compare current (B) with baseline (A)")) state.pending_compare = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (state.compare_job.running())
    ImGui::TextDisabled("running both scenarios…");
  else
    ImGui::TextDisabled("replications, seed and threads from the Run panel (at least 2)");
  if (!state.compare_error.empty()) wrappedText(kErrorColour, state.compare_error);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Results

ImVec4 verdictColour(const std::string& verdict) {
  if (verdict == "better") return ImVec4(0.35f, 0.8f, 0.45f, 1.0f);
  if (verdict == "worse") return kErrorColour;
  if (verdict == "higher" || verdict == "lower") return kWarnColour;
  return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
}

plot::Table comparisonTable(const Comparison& c) {
  plot::Table t;
  t.id = "comparison";
  t.headers = {"metric",          "A (baseline)",         "B (current)", "B − A",
               "95% CI (paired)", "95% CI (independent)", "verdict"};
  for (const MetricInfo& info : allMetrics()) {
    const MetricComparison& m = c.overall[static_cast<std::size_t>(info.metric)];
    if (m.n == 0) continue;
    const double scale = std::string_view(info.unit) == "%" ? 100.0 : 1.0;
    auto f = [&](double v) {
      if (!std::isfinite(v)) return std::string("—");
      v *= scale;
      return std::abs(v) >= 1000.0 ? fmt::format("{:.0f}", v) : fmt::format("{:.4g}", v);
    };
    t.rows.push_back({fmt::format("{}{}", info.label,
                                  *info.unit ? fmt::format(" ({})", info.unit) : std::string()),
                      f(m.a), f(m.b), f(m.diff), "± " + f(m.ci95), "± " + f(m.ci95_independent),
                      m.verdict});
  }
  return t;
}

void drawResultTable(const Comparison& c) {
  const plot::Table t = comparisonTable(c);
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float height = std::max(ImGui::GetContentRegionAvail().y * 0.5f,
                                ImGui::GetTextLineHeightWithSpacing() * 8.0f);
  if (!ImGui::BeginTable("comparison", static_cast<int>(t.headers.size()), flags,
                         ImVec2(0.0f, height)))
    return;
  ImGui::TableSetupScrollFreeze(1, 1);
  for (const std::string& h : t.headers) ImGui::TableSetupColumn(h.c_str());
  ImGui::TableHeadersRow();
  for (const auto& row : t.rows) {
    ImGui::TableNextRow();
    for (std::size_t i = 0; i < row.size(); ++i) {
      ImGui::TableSetColumnIndex(static_cast<int>(i));
      if (i + 1 == row.size())
        ImGui::TextColored(verdictColour(row[i]), "%s", row[i].c_str());
      else
        ImGui::TextUnformatted(row[i].c_str());
    }
  }
  ImGui::EndTable();
  if (ImGui::Button("Export table as CSV")) {
    std::string error;
    const std::filesystem::path file =
        std::filesystem::path(plot::exportFolder().empty() ? "." : plot::exportFolder()) /
        "comparison.csv";
    plot::lastExportMessage() =
        plot::writeText(file, plot::tableCsv(t), error) ? "Saved " + file.string() : error;
  }
}

plot::Chart intervalChart(const Comparison& c, const Scenario& s) {
  plot::Chart chart;
  chart.id = "compare_service_level";
  chart.title = "Service level per interval, all channels";
  chart.y_unit = "%";
  chart.y_min = 0.0;
  chart.y_max = 100.0;
  for (int k = 0; k < s.intervalsPerDay(); ++k) chart.categories.push_back(intervalLabel(s, k));
  auto series = [](const char* label, const ExperimentResult& r) {
    plot::Series out;
    out.label = label;
    for (const MetricEstimates& e : r.intervals) {
      const Estimate& x = e[static_cast<std::size_t>(Metric::ServiceLevel)];
      out.y.push_back(x.mean * 100.0);
      out.lo.push_back((x.mean - x.ci95) * 100.0);
      out.hi.push_back((x.mean + x.ci95) * 100.0);
    }
    return out;
  };
  chart.series = {series("A baseline", c.a), series("B current", c.b)};
  return chart;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Sweep

// A combo over every metric the library produces: a new Metric shows up here by itself.
void metricCombo(const char* label, Metric& metric) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11.0f);
  if (!ImGui::BeginCombo(label, metricInfo(metric).label)) return;
  for (const MetricInfo& info : allMetrics())
    if (ImGui::Selectable(info.label, info.metric == metric)) metric = info.metric;
  ImGui::EndCombo();
}

double shown(const Estimate& e, Metric m) {
  return std::string_view(metricInfo(m).unit) == "%" ? e.mean * 100.0 : e.mean;
}

std::string axisLabel(Metric m) {
  const MetricInfo& info = metricInfo(m);
  return *info.unit ? fmt::format("{} ({})", info.label, info.unit) : std::string(info.label);
}

void drawSweepControls(SweepView& view, const AppState& state) {
  ImGui::TextDisabled(
      "Vary one or two scenario keys over a grid, KEY=LO:HI:STEP (as cxsim sweep "
      "--vary); the current scenario as edited, run settings from the Run panel.");
  // The two keys share the row with the button: a long key (an intent's containment) shows
  // whole on a wide panel.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button = ImGui::CalcTextSize("Run sweep").x + style.FramePadding.x * 2.0f;
  const float field =
      std::max(ImGui::GetFontSize() * 14.0f,
               (ImGui::GetContentRegionAvail().x - button - style.ItemSpacing.x * 2.0f) * 0.5f);
  ImGui::SetNextItemWidth(field);
  ImGui::InputTextWithHint("##vary0", "channels.phone.agents=40:50:2", &view.vary[0]);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  ImGui::InputTextWithHint("##vary1", "optional: bot.containment=0.3:0.6:0.1", &view.vary[1]);
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.doc.valid() || view.job.running());
  if (ImGui::Button("Run sweep")) view.pending = true;
  ImGui::EndDisabled();
  if (view.job.running()) {
    ImGui::SameLine();
    ImGui::TextDisabled("running the grid…");
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("x");
  ImGui::SameLine();
  metricCombo("##x", view.x);
  ImGui::SameLine();
  ImGui::TextUnformatted("y");
  ImGui::SameLine();
  metricCombo("##y", view.y);
  ImGui::SameLine();
  ImGui::TextUnformatted("colour");
  ImGui::SameLine();
  metricCombo("##colour", view.colour);
  if (!view.error.empty()) wrappedText(kErrorColour, view.error);
}

// Significant digits, but never an exponent: costs run to six figures.
std::string tableNumber(double v, int digits) {
  if (!std::isfinite(v)) return "—";
  if (std::abs(v) >= std::pow(10.0, digits)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.{}g}", v, digits);
}

// The frontier by the axes as chosen now (not as run): no point better on both.
std::vector<bool> frontierOf(const SweepResult& r, Metric x, Metric y) {
  const Better bx = metricInfo(x).better, by = metricInfo(y).better;
  if (bx == Better::Neither || by == Better::Neither) return std::vector<bool>(r.points.size());
  std::vector<std::vector<double>> objectives;
  for (const SweepPoint& p : r.points)
    objectives.push_back(
        {p.overall[static_cast<std::size_t>(x)].mean, p.overall[static_cast<std::size_t>(y)].mean});
  return paretoEfficient(objectives, {bx, by});
}

double scaleOf(Metric m) {
  return std::string_view(metricInfo(m).unit) == "%" ? 100.0 : 1.0;
}

void drawSweepResult(const SweepView& view) {
  const SweepResult& r = *view.result;
  if (r.points.empty()) {
    ImGui::TextDisabled("The sweep has no finished points.");
    return;
  }
  const auto ix = static_cast<std::size_t>(view.x), iy = static_cast<std::size_t>(view.y),
             ic = static_cast<std::size_t>(view.colour);
  double c_lo = std::numeric_limits<double>::infinity(), c_hi = -c_lo;
  for (const SweepPoint& p : r.points)
    if (std::isfinite(p.overall[ic].mean))
      c_lo = std::min(c_lo, p.overall[ic].mean), c_hi = std::max(c_hi, p.overall[ic].mean);
  const std::vector<bool> frontier = frontierOf(r, view.x, view.y);

  // The header names the y axis (its unit follows it), the x axis is labelled under the plot
  // and the colour on its bar: no unit can be read as another metric's.
  plot::Chart chart;
  chart.id = "sweep_frontier";
  chart.title = metricInfo(view.y).label;
  chart.x_unit = axisLabel(view.x);
  chart.y_unit = metricInfo(view.y).unit;
  plot::Series points;
  points.label = fmt::format("a point of the sweep (colour: {})", metricInfo(view.colour).label);
  points.kind = plot::Kind::Points;
  plot::Table table;
  table.id = "sweep_points";
  table.headers = r.keys;
  for (Metric m : {view.x, view.y, view.colour}) {
    table.headers.push_back(axisLabel(m));
    table.headers.push_back("± 95% CI");
  }
  table.headers.push_back("frontier");
  std::vector<std::pair<double, double>> efficient;  // (x, y) of the frontier's points
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const MetricEstimates& e = r.points[p].overall;
    const double x = shown(e[ix], view.x), y = shown(e[iy], view.y);
    chart.x.push_back(x);
    points.y.push_back(y);
    if (frontier[p] && std::isfinite(x) && std::isfinite(y)) efficient.emplace_back(x, y);
    const double c = e[ic].mean;
    points.point_colours.push_back(
        std::isfinite(c) ? plot::rampColour(c_hi > c_lo ? (c - c_lo) / (c_hi - c_lo) : 0.5)
                         : IM_COL32(128, 128, 128, 255));
    std::vector<std::string> row = r.points[p].values;
    for (Metric m : {view.x, view.y, view.colour}) {
      const Estimate& est = e[static_cast<std::size_t>(m)];
      row.push_back(tableNumber(est.mean * scaleOf(m), 4));
      row.push_back(std::isfinite(est.ci95) ? tableNumber(est.ci95 * scaleOf(m), 2) : "—");
    }
    row.push_back(frontier[p] ? "yes" : "");
    table.rows.push_back(std::move(row));
  }
  chart.series.push_back(std::move(points));
  // The Pareto frontier on the chart, through its points in x order: no point is better on
  // both axes than one of these.
  if (!efficient.empty()) {
    std::sort(efficient.begin(), efficient.end());
    plot::Overlay line;
    line.label = "Pareto frontier";
    for (const auto& [x, y] : efficient) line.x.push_back(x), line.y.push_back(y);
    chart.overlays.push_back(std::move(line));
  }
  if (std::isfinite(c_lo)) {
    const double scale = scaleOf(view.colour);
    chart.colour_scale = plot::ColourScale{axisLabel(view.colour), c_lo * scale, c_hi * scale};
  }

  const std::string of =
      view.result_label.empty() ? std::string() : " of \"" + view.result_label + "\"";
  wrappedDisabled(fmt::format(
      "{} points{} · {} replications each · seed {} · {} on the Pareto frontier of {} and {} "
      "(ringed){}",
      r.points.size(), of, r.replications, r.seed, efficient.size(), metricInfo(view.x).label,
      metricInfo(view.y).label, r.cancelled ? " · cancelled: finished points only" : ""));
  const float avail = ImGui::GetContentRegionAvail().y;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float table_h = std::min(line * (static_cast<float>(table.rows.size()) + 1.5f),
                                 std::max(avail * 0.35f, line * 4.0f));
  plot::drawChart(chart, ImVec2(0.0f, std::max(avail - table_h - line, line * 12.0f)));
  plot::drawTable(table, table_h);
}

void drawSweep(AppState& state) {
  SweepView& view = state.sweep;
  if (!view.prefilled && state.doc.valid()) prefillSweep(view, *state.doc.scenario);
  drawSweepControls(view, state);
  ImGui::Separator();
  if (!view.result)
    ImGui::TextDisabled("No sweep yet.");
  else
    drawSweepResult(view);
}

void drawAgainstBaseline(AppState& state) {
  drawBaseline(state);
  ImGui::Separator();
  if (!state.comparison) {
    ImGui::TextDisabled("No comparison yet.");
    return;
  }
  const Comparison& c = *state.comparison;
  ImGui::TextDisabled("%s. Differences are B − A; a verdict needs the 95%% CI to exclude 0.",
                      state.comparison_label.c_str());
  drawResultTable(c);
  if (state.baseline &&
      state.baseline->intervalsPerDay() == static_cast<int>(c.a.intervals.size()) &&
      c.a.intervals.size() == c.b.intervals.size())
    plot::drawChart(intervalChart(c, *state.baseline),
                    ImVec2(0.0f, std::max(ImGui::GetContentRegionAvail().y,
                                          ImGui::GetTextLineHeight() * 12.0f)));
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawComparePanel(AppState& state) {
  if (!beginPanel("Compare", &state.open.compare, state, {0.42f, 0.42f, 1.0f, 1.0f})) {
    ImGui::End();
    return;
  }
  if (!ImGui::BeginTabBar("compare_tabs")) {
    ImGui::End();
    return;
  }
  const bool pick_sweep = std::exchange(state.sweep.select_tab, false);
  if (ImGui::BeginTabItem("Baseline vs current")) {
    drawAgainstBaseline(state);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Sweep: frontier", nullptr,
                          pick_sweep ? ImGuiTabItemFlags_SetSelected : 0)) {
    drawSweep(state);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
  ImGui::End();
}

}  // namespace cx::studio
