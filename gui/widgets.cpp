#include "gui/widgets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/html_report.hpp"

namespace cx::studio {

const ImVec4 kErrorColour{1.0f, 0.42f, 0.38f, 1.0f};
const ImVec4 kWarnColour{0.95f, 0.75f, 0.3f, 1.0f};

namespace {

// Where each panel was drawn, and in which frame: a panel not drawn in the last frame is
// closed and overlaps nothing.
struct PanelRect {
  std::string name;
  ImVec2 min, max;
  int frame = -1;
};
std::vector<PanelRect>& panelRects() {
  static std::vector<PanelRect> rects;
  return rects;
}

bool overlapsAnotherPanel(const char* name) {
  const int now = ImGui::GetFrameCount();
  const auto& rects = panelRects();
  const auto self =
      std::find_if(rects.begin(), rects.end(), [&](const PanelRect& r) { return r.name == name; });
  if (self == rects.end() || self->frame < now - 1) return true;  // not placed yet: be safe
  for (const PanelRect& r : rects) {
    if (&r == &*self || r.frame < now - 1) continue;
    // Touching edges are not an overlap: the tiled panels share their borders.
    if (r.min.x < self->max.x - 1.0f && self->min.x < r.max.x - 1.0f &&
        r.min.y < self->max.y - 1.0f && self->min.y < r.max.y - 1.0f)
      return true;
  }
  return false;
}

void rememberPanelRect(const char* name, ImVec2 pos, ImVec2 size) {
  auto& rects = panelRects();
  auto it =
      std::find_if(rects.begin(), rects.end(), [&](const PanelRect& r) { return r.name == name; });
  if (it == rects.end()) it = rects.insert(rects.end(), PanelRect{name, {}, {}, -1});
  it->min = pos;
  it->max = ImVec2(pos.x + size.x, pos.y + size.y);
  it->frame = ImGui::GetFrameCount();
}

}  // namespace

bool beginPanel(const char* name, bool* open, const AppState& state, PanelPlace place) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float top = std::max(viewport->WorkPos.y, viewport->Pos.y + state.layout.menu_bar_height);
  const float bottom = viewport->Pos.y + viewport->Size.y;
  const float width = viewport->Size.x;
  const float height = bottom - top;
  if (state.layout.one_panel) place = {0.0f, 0.0f, 1.0f, 1.0f};
  const ImGuiCond cond = state.layout.one_panel ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + width * place.x0, top + height * place.y0),
                          cond);
  ImGui::SetNextWindowSize(ImVec2(width * (place.x1 - place.x0), height * (place.y1 - place.y0)),
                           cond);
  // Not while the unsaved-changes question (or the role-play panel's) is up: focusing a window
  // closes the modal.
  const bool question = state.guard || (state.roleplay && state.roleplay->pending_switch);
  if (state.layout.one_panel && !question) ImGui::SetNextWindowFocus();
  // A panel that overlaps no other (the usual tiled layout) draws no background: the frame is
  // cleared to the same colour (Platform::render), and under software OpenGL (Xvfb, llvmpipe)
  // filling the window's area costs about a third of the frame. Overlapping panels keep theirs,
  // so one dragged over another still hides it.
  if (!overlapsAnotherPanel(name)) ImGui::SetNextWindowBgAlpha(0.0f);
  const bool shown = ImGui::Begin(name, open);
  rememberPanelRect(name, ImGui::GetWindowPos(), ImGui::GetWindowSize());
  return shown;
}

std::string clockText(double seconds) {
  const long minutes = std::lround(seconds / 60.0);
  const long in_day = ((minutes % 1440) + 1440) % 1440;
  return fmt::format("{:02}:{:02}", in_day / 60, in_day % 60);
}

void wrappedText(const ImVec4& colour, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void wrappedDisabled(const std::string& text) {
  wrappedText(ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), text);
}

int estimateDecimals(double mean, double ci95) {
  const double magnitude = std::abs(mean);
  const int least = std::isfinite(magnitude) && magnitude >= 1000.0 ? 0 : 1;
  int decimals = least;
  if (std::isfinite(ci95) && ci95 > 0.0)
    decimals = 1 - static_cast<int>(std::floor(std::log10(ci95)));
  else if (std::isfinite(magnitude) && magnitude > 0.0)
    decimals = 2 - static_cast<int>(std::floor(std::log10(magnitude)));
  return std::clamp(std::max(decimals, least), 0, 6);
}

std::string decimalText(double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) value = 0.0;  // no "-0.0"
  return groupThousands(fmt::format("{:.{}f}", value, decimals));
}

std::string estimateText(const Estimate& e, double scale) {
  if (e.n == 0 || !std::isfinite(e.mean)) return "—";
  const double mean = e.mean * scale;
  const double ci = std::isfinite(e.ci95) ? e.ci95 * scale : e.ci95;
  const int decimals = estimateDecimals(mean, ci);
  if (!std::isfinite(ci)) return decimalText(mean, decimals);
  return decimalText(mean, decimals) + " ± " + decimalText(ci, decimals);
}

}  // namespace cx::studio
