// The studio's panels: one free function per window, each in its own file
// (panel_<name>.cpp). main.cpp is the one place that decides which of them to draw.
// Panels never throw and never load or run anything themselves; they request work through
// AppState (see app_state.hpp).
#pragma once

#include "gui/app_state.hpp"

namespace cx::studio {

// The loaded scenario: name, time structure, channels; the loader's errors in red.
void drawScenarioPanel(AppState& state);

}  // namespace cx::studio
