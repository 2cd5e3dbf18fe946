// The studio's panels: one free function per window, each in its own file
// (panel_<name>.cpp). main.cpp is the one place that decides which of them to draw.
// Panels never throw and never load, save or run anything themselves; they request work
// through AppState (see app_state.hpp).
#pragma once

#include "gui/app_state.hpp"

namespace cx::studio {

// The scenario editor: every value with a fitting widget, the loader's messages inline.
void drawScenarioPanel(AppState& state);
// Replications, seed, threads; progress, cancel and the live view of a replication.
void drawRunPanel(AppState& state);
// KPI cards with CIs against the targets, charts per interval and per channel.
void drawDashboardPanel(AppState& state);
// The last run against a baseline run: paired differences with CIs (sim/compare.hpp).
void drawComparePanel(AppState& state);
// Erlang requirements per interval against the scenario's staffing, with cost.
void drawStaffingPanel(AppState& state);
// Role-play training: play a script as a chat, its debrief, saved sessions and the trainer view.
void drawRoleplayPanel(AppState& state);

}  // namespace cx::studio
