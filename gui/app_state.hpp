// AppState: everything the studio's UI knows between frames.
//
// The scenario is plain data from cx::sim; the rest is UI state (which panels are open, what
// the user typed, the last error), kept apart from the model as DESIGN.md §4 asks. Panels read
// the scenario through const and never load files themselves: they ask for a load by setting
// `pending_load`, and main.cpp performs it between frames, so draw code never throws.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace cx::studio {

// Which windows are open. One struct, not statics scattered over the panels.
struct PanelFlags {
  bool scenario = true;
  bool metrics = false;  // Dear ImGui's own metrics window, for debugging the UI
};

// Where panels go on first use. Measured each frame: the main viewport's work area only
// excludes the menu bar from the frame after it was first drawn.
struct Layout {
  float menu_bar_height = 0.0f;
};

struct AppState {
  // The last scenario that loaded successfully, and its file. A failed load keeps both.
  std::optional<Scenario> scenario;
  std::filesystem::path scenario_path;

  // The outcome of the last load attempt: empty when it succeeded, else one line per problem
  // (the loader's diagnostics, "file:line:col: key: message").
  std::filesystem::path failed_path;
  std::vector<std::string> load_errors;

  // A load requested by the UI (reload, open another file), performed before the next frame.
  std::optional<std::filesystem::path> pending_load;

  std::string path_input;  // the scenario panel's file field
  PanelFlags open;
  Layout layout;
  bool quit_requested = false;
};

// Load `file` into `state`. On success the scenario, its path and the path field are replaced
// and the errors cleared; on failure only the errors (and `failed_path`) change, so the
// previously loaded scenario stays on screen. Never throws.
void loadScenarioInto(AppState& state, const std::filesystem::path& file);

// "CX Studio — <file name>", or "CX Studio" when nothing has been loaded.
std::string windowTitle(const AppState& state);

}  // namespace cx::studio
