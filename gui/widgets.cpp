#include "gui/widgets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cx::studio {

const ImVec4 kErrorColour{1.0f, 0.42f, 0.38f, 1.0f};
const ImVec4 kWarnColour{0.95f, 0.75f, 0.3f, 1.0f};

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
  if (state.layout.one_panel) ImGui::SetNextWindowFocus();
  return ImGui::Begin(name, open);
}

std::string clockText(double seconds) {
  const long minutes = std::lround(seconds / 60.0);
  const long in_day = ((minutes % 1440) + 1440) % 1440;
  return fmt::format("{:02}:{:02}", in_day / 60, in_day % 60);
}

std::string estimateText(const Estimate& e, double scale, int digits) {
  if (e.n == 0 || !std::isfinite(e.mean)) return "—";
  if (!std::isfinite(e.ci95)) return fmt::format("{:.{}f}", e.mean * scale, digits);
  return fmt::format("{:.{}f} ± {:.{}f}", e.mean * scale, digits, e.ci95 * scale, digits);
}

}  // namespace cx::studio
