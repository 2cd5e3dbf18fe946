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
// Decimals to show a mean (and its 95% CI half-width) with, both already scaled: two
// significant digits of the half-width, so it never rounds to 0 (0.211 ± 0.024), else three of
// the mean; at least one decimal below 1,000 (77.5 ± 12.5), none above; at most six.
int estimateDecimals(double mean, double ci95);
// A number with `decimals` decimals and thousands separators: "630,153", "0.211".
std::string decimalText(double value, int decimals);
// "0.211 ± 0.024", "630,153 ± 64,024" (estimateDecimals); the mean alone without a CI; "—"
// when undefined.
std::string estimateText(const Estimate& e, double scale = 1.0);

// Text in `colour`, wrapped at the panel's edge: for messages and status lines, which in the
// usual layout can be wider than their panel.
void wrappedText(const ImVec4& colour, const std::string& text);
// The same in the disabled (grey) text colour.
void wrappedDisabled(const std::string& text);

extern const ImVec4 kErrorColour;
extern const ImVec4 kWarnColour;

}  // namespace cx::studio
