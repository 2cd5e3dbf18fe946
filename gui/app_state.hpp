// AppState: everything the studio's UI knows between frames.
//
// The scenario is plain data from cx::sim; the rest is UI state (which panels are open, what
// the user typed, the last error), kept apart from the model as DESIGN.md §4 asks. Panels never
// load, save or run anything themselves: they ask (pending_load, a Request, the run job) and
// main.cpp acts between frames, so draw code never throws.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gui/roleplay_view.hpp"
#include "gui/run_job.hpp"
#include "gui/sweep_job.hpp"
#include "gui/task.hpp"
#include "sim/compare.hpp"
#include "sim/roster.hpp"
#include "sim/scenario.hpp"
#include "sim/staffing.hpp"

namespace cx::studio {

// Which windows are open. One struct, not statics scattered over the panels.
struct PanelFlags {
  bool scenario = true;
  bool run = true;
  bool dashboard = true;
  bool compare = false;
  bool staffing = false;
  bool roleplay = false;
  bool metrics = false;  // Dear ImGui's own metrics window, for debugging the UI
};

// Where panels go on first use. Measured each frame: the main viewport's work area only
// excludes the menu bar from the frame after it was first drawn.
struct Layout {
  float menu_bar_height = 0.0f;
  // Smoke mode shows one panel at a time over the whole window.
  bool one_panel = false;
};

// The scenario being edited. The editor changes `scenario` in place; every change is checked
// by serialising it and running the loader (scenario_toml.hpp), undo keeps earlier states.
struct Document {
  std::optional<Scenario> scenario;  // null until a file loaded
  std::filesystem::path path;
  std::vector<Diagnostic> problems;  // the loader's verdict on `scenario` (empty: valid)

  std::string saved_toml;      // the scenario as loaded or last saved, as TOML
  std::string current_toml;    // as it is now (refreshed each frame)
  std::string committed_toml;  // the last state pushed to the undo history
  std::optional<Scenario> committed;
  std::deque<Scenario> undo, redo;
  static constexpr std::size_t kUndoDepth = 100;

  bool dirty() const { return scenario && current_toml != saved_toml; }
  bool valid() const { return scenario && problems.empty(); }
};

// The staffing panel's result: the plan for a scenario and, with a shift file, its roster.
struct StaffingView {
  Scenario scenario;
  StaffingPlan plan;
  std::optional<RosterResult> roster;
  std::vector<ShiftTemplate> shifts;
  std::string shifts_file;
};

// Something that would lose unsaved edits, waiting for the user's answer.
struct Guard {
  enum class Action { Open, Quit } action = Action::Open;
  std::filesystem::path file;  // Open
  // The smoke mode's answer, applied by the dialog as if its button were clicked.
  enum class Answer { Save, Discard, Cancel };
  std::optional<Answer> scripted_answer;
};

struct AppState {
  Document doc;

  // The outcome of the last load attempt: empty when it succeeded, else one line per problem
  // (the loader's diagnostics, "file:line:col: key: message").
  std::filesystem::path failed_path;
  std::vector<std::string> load_errors;

  // A load requested by the UI (open, reload, recent file), performed before the next frame.
  std::optional<std::filesystem::path> pending_load;
  bool pending_save = false;
  std::optional<std::filesystem::path> pending_save_as;
  std::optional<Guard> guard;  // the "unsaved changes" question, while open
  bool force_load = false;     // the user chose to discard edits: load without asking

  std::string path_input;           // the scenario panel's file field
  bool focus_path = false;          // Ctrl+O: put the cursor in the file field
  std::string scenario_tab;         // a tab of the scenario panel to select (once)
  std::vector<std::string> recent;  // most recent first
  bool persist = true;              // remember recent files (off in screenshot/smoke modes)
  std::string status;               // last save/open/export message, for the menu bar

  // Runs.
  RunJob run_job;
  RunSettings run_settings;
  bool pending_run = false;                    // start a run of the document before the next frame
  std::shared_ptr<const RunOutcome> last_run;  // what the dashboard shows
  // Compare: a baseline scenario (a snapshot of the document, or a file) against the current
  // one, run on common random numbers.
  std::optional<Scenario> baseline;
  std::string baseline_label;
  std::string baseline_path_input;
  AsyncTask<Comparison> compare_job;
  std::shared_ptr<const Comparison> comparison;
  std::string comparison_label;
  std::string compare_error;
  bool pending_compare = false;
  SweepView sweep;  // the compare panel's sweep tab

  // Staffing: requirements for the current scenario (Erlang per interval, or the iterative
  // simulation method with the run panel's replications, seed and threads), and optionally a
  // roster.
  std::string shifts_path_input;
  bool staffing_by_simulation = false;
  AsyncTask<StaffingView> staffing_job;
  std::shared_ptr<const StaffingView> staffing;
  std::string staffing_error;
  bool pending_staffing = false;
  std::optional<LiveTrace> live;
  // Role-play training: its own state (gui/roleplay_view.hpp), made when the panel first opens.
  std::shared_ptr<RoleplayView> roleplay;
  int dashboard_scope = -1;  // the dashboard's cards: -1 all channels, else a channel index
  std::string run_error;

  PanelFlags open;
  Layout layout;
  bool quit_requested = false;  // asked, and confirmed if there were unsaved edits
  bool quit_confirmed = false;
  double frame_ms = 0.0;  // last frame's duration, for the run panel's readout
};

// Load `file` into `state`. On success the document is replaced (history cleared) and the
// errors cleared; on failure only the errors (and `failed_path`) change, so the previously
// loaded scenario stays. Never throws. Adds the file to the recent list.
void loadScenarioInto(AppState& state, const std::filesystem::path& file);

// Writes the document to `file` (scenarioToToml); on success it becomes the document's path and
// the saved state. Returns false with `state.status` saying why.
bool saveScenario(AppState& state, const std::filesystem::path& file);

// Once per frame: refresh the document's TOML, re-check it when it changed, and push the
// previous state to the undo history once no widget is being edited.
void trackEdits(Document& doc, bool editing);
void undo(Document& doc);
void redo(Document& doc);

// "CX Studio — <file name>", with " •" when there are unsaved edits.
std::string windowTitle(const AppState& state);

// The studio's folder in the user's configuration: $XDG_CONFIG_HOME/cxstudio, else
// $HOME/.config/cxstudio; empty when neither variable is set.
std::filesystem::path configDir();
// The files kept there: the recent-files list and Dear ImGui's window layout (imgui.ini), so
// both are remembered whatever folder the studio is started from. Empty with configDir().
std::filesystem::path recentFile();
std::filesystem::path layoutFile();

// The recent-files list (recentFile()), most recent first, at most kRecentMax: absolute
// paths, one a line. rememberRecent() writes it only when `state.persist` is set.
constexpr std::size_t kRecentMax = 10;
void loadRecent(AppState& state);
void rememberRecent(AppState& state, const std::filesystem::path& file);

}  // namespace cx::studio
