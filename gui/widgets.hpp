// Small pieces the panels share: where a panel window goes, text for times and estimates.
#pragma once

#include <imgui.h>

#include <string>

#include "gui/app_state.hpp"
#include "sim/stats.hpp"

namespace cx::studio {

// Where a panel goes on first use, as shares of the area below the menu bar.
struct PanelPlace {
  float x0, y0, x1, y1;
};
// ImGui::Begin with the first-use placement; in smoke mode (one panel at a time) the panel
// fills the area. Call ImGui::End() whatever it returns.
bool beginPanel(const char* name, bool* open, const AppState& state, PanelPlace place);

// "08:00" for seconds after midnight (wrapping at 24 h).
std::string clockText(double seconds);
// "0.812 ± 0.014" with the digits a value of this size needs; "—" when undefined.
std::string estimateText(const Estimate& e, double scale = 1.0, int digits = 1);

extern const ImVec4 kErrorColour;
extern const ImVec4 kWarnColour;

}  // namespace cx::studio
