// cxstudio: the Dear ImGui desktop app of CX Sim (DESIGN.md §4). See docs/STUDIO.md.
//
//   cxstudio [SCENARIO.toml] [--size WxH] [--screenshot FILE.png]
//   cxstudio [SCENARIO.toml] [--size WxH] --smoke --screenshot DIR [--frame-log FILE]
//   cxstudio [SCENARIO.toml] --measure-run N [--max-frame-p95-ms MS]
//   cxstudio [SCENARIO.toml] --close-after-frames N
//
// [SECTION] Command line
// [SECTION] Frame: the one place that decides which panels are drawn
// [SECTION] Between frames: loads, saves, runs, the unsaved-changes guard
// [SECTION] Smoke mode: every panel in turn, one PNG each
// [SECTION] main

#include <GLFW/glfw3.h>  // key codes: ImGui 1.86 indexes keys by the backend's codes
#include <fmt/format.h>
#include <imgui.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>  // getloadavg
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "gui/app_state.hpp"
#include "gui/panels.hpp"
#include "gui/platform.hpp"
#include "gui/plot.hpp"
#include "gui/screenshot.hpp"
#include "gui/widgets.hpp"
#include "sim/staffing.hpp"

#ifndef CX_SOURCE_DIR
#define CX_SOURCE_DIR "."
#endif

namespace cx::studio {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // no display, screenshot not written, smoke run failed
constexpr int kExitBadInput = 2;
constexpr int kExitNotJudged = 77;  // --max-frame-p95-ms on an overloaded machine (CTest: skipped)

// Frames drawn before a screenshot: ImGui sizes auto-fitting windows and table columns from
// what it measured in earlier frames, so the first frame is not yet final.
constexpr int kScreenshotFrames = 4;

// -------------------------------------------------------------------------------------------
// [SECTION] Command line

struct Options {
  std::string scenario;  // empty: the default scenario
  std::string screenshot;
  bool smoke = false;
  int smoke_replications = 4;
  std::string frame_log;  // write each frame's time (ms) and whether a run was going
  int measure_run = 0;    // > 0: run this many replications at once, report frame times, exit
  double max_p95_ms = 0;  // > 0: --measure-run fails when the run's 95th percentile is above
  int close_after = 0;    // > 0: close the window after this many frames (as its close button)
  int width = 1280;
  int height = 800;
};

// "1280x800" -> width, height. Sizes from 200 to 16384 are accepted.
bool parseSize(const std::string& text, int& width, int& height) {
  const std::size_t x = text.find_first_of("xX");
  if (x == std::string::npos) return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto w = std::from_chars(begin, begin + x, width);
  auto h = std::from_chars(begin + x + 1, end, height);
  return w.ec == std::errc() && w.ptr == begin + x && h.ec == std::errc() && h.ptr == end &&
         width >= 200 && height >= 200 && width <= 16384 && height <= 16384;
}

// scenarios/default.toml from the current folder, else from the source tree this was built
// from (so `./build/cxstudio` works from anywhere in a checkout).
std::filesystem::path defaultScenario() {
  const std::filesystem::path relative = std::filesystem::path("scenarios") / "default.toml";
  std::error_code ec;
  if (std::filesystem::is_regular_file(relative, ec)) return relative;
  const std::filesystem::path in_source = std::filesystem::path(CX_SOURCE_DIR) / relative;
  if (std::filesystem::is_regular_file(in_source, ec)) return in_source;
  return relative;  // does not exist: the panel will say so
}

// -------------------------------------------------------------------------------------------
// [SECTION] Frame: the one place that decides which panels are drawn

void drawMainMenu(AppState& state) {
  if (!ImGui::BeginMainMenuBar()) return;
  state.layout.menu_bar_height = ImGui::GetWindowHeight();
  const bool has_doc = state.doc.scenario.has_value();
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open…", "Ctrl+O")) {
      state.open.scenario = true;
      state.focus_path = true;
    }
    if (ImGui::MenuItem("Save", "Ctrl+S", false, has_doc && !state.doc.path.empty()))
      state.pending_save = true;
    if (ImGui::MenuItem("Reload from disk", nullptr, false, !state.doc.path.empty()))
      state.pending_load = state.doc.path;
    if (ImGui::BeginMenu("Recent", !state.recent.empty())) {
      for (const std::string& r : state.recent)
        if (ImGui::MenuItem(r.c_str())) state.pending_load = std::filesystem::path(r);
      ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.quit_requested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    if (ImGui::MenuItem("Undo", "Ctrl+Z", false, !state.doc.undo.empty())) undo(state.doc);
    if (ImGui::MenuItem("Redo", "Ctrl+Y", false, !state.doc.redo.empty())) redo(state.doc);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Run")) {
    if (ImGui::MenuItem("Run", "F5", false, state.doc.valid() && !state.run_job.running()))
      state.pending_run = true;
    if (ImGui::MenuItem("Cancel", "Esc", false, state.run_job.running())) state.run_job.cancel();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Scenario", nullptr, &state.open.scenario);
    ImGui::MenuItem("Run", nullptr, &state.open.run);
    ImGui::MenuItem("Dashboard", nullptr, &state.open.dashboard);
    ImGui::MenuItem("Compare", nullptr, &state.open.compare);
    ImGui::MenuItem("Staffing", nullptr, &state.open.staffing);
    ImGui::MenuItem("Role-play", nullptr, &state.open.roleplay);
    ImGui::Separator();
    ImGui::MenuItem("ImGui metrics", nullptr, &state.open.metrics);
    ImGui::EndMenu();
  }
  // The last file or export message, right-aligned: an export's message replaces the status
  // when it comes, and a later open or save replaces it in turn.
  if (std::string& exported = plot::lastExportMessage(); !exported.empty()) {
    state.status = std::move(exported);
    exported.clear();
  }
  const std::string& status = state.status;
  if (!status.empty()) {
    const float w = ImGui::CalcTextSize(status.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SameLine(std::max(ImGui::GetWindowWidth() - w, ImGui::GetCursorPosX() + 20.0f));
    ImGui::TextDisabled("%s", status.c_str());
  }
  ImGui::EndMainMenuBar();
}

// Keyboard shortcuts that work wherever the focus is (Ctrl+...), and F5 / Esc outside text
// fields.
void handleShortcuts(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O, false)) {
    state.open.scenario = true;
    state.focus_path = true;
  }
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false) && state.doc.scenario) {
    if (state.doc.path.empty())
      state.pending_save_as = std::filesystem::path(state.path_input);
    else
      state.pending_save = true;
  }
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) state.quit_requested = true;
  if (!io.WantTextInput) {
    if (io.KeyCtrl && !io.KeyShift && ImGui::IsKeyPressed(GLFW_KEY_Z)) undo(state.doc);
    if (io.KeyCtrl &&
        (ImGui::IsKeyPressed(GLFW_KEY_Y) || (io.KeyShift && ImGui::IsKeyPressed(GLFW_KEY_Z))))
      redo(state.doc);
    if (ImGui::IsKeyPressed(GLFW_KEY_F5, false) && state.doc.valid()) state.pending_run = true;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) && state.run_job.running())
      state.run_job.cancel();
  }
}

// A role-play session with answers nobody saved (gui/roleplay_view.hpp).
bool roleplayAtRisk(const AppState& state) {
  return state.roleplay && state.roleplay->script && sessionAtRisk(*state.roleplay);
}

// The unsaved-changes question. Save, Discard or Cancel; the action waits for the answer.
void drawGuard(AppState& state) {
  if (!state.guard) return;
  if (!ImGui::IsPopupOpen("Unsaved changes")) ImGui::OpenPopup("Unsaved changes");
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
    return;
  const Guard guard = *state.guard;
  const bool edits = state.doc.dirty();
  if (edits) {
    ImGui::Text("%s has unsaved edits.", state.doc.path.filename().string().c_str());
    ImGui::TextUnformatted(
        guard.action == Guard::Action::Quit
            ? "Save them before quitting?"
            : ("Save them before opening " + guard.file.filename().string() + "?").c_str());
  }
  // Quitting also ends a role-play session nobody saved: say so (it is saved in its panel).
  if (guard.action == Guard::Action::Quit && roleplayAtRisk(state))
    ImGui::TextColored(kWarnColour,
                       "The role-play session on \"%s\" is not saved: quitting discards it.",
                       state.roleplay->script->title.c_str());
  auto proceed = [&] {
    state.guard.reset();
    if (guard.action == Guard::Action::Quit) {
      state.quit_confirmed = true;
    } else {
      state.force_load = true;
      state.pending_load = guard.file;
    }
    ImGui::CloseCurrentPopup();
  };
  const std::optional<Guard::Answer> scripted = guard.scripted_answer;
  using Answer = Guard::Answer;
  ImGui::BeginDisabled(!edits);
  if (ImGui::Button("Save") || (edits && scripted == Answer::Save)) {
    if (saveScenario(state, state.doc.path)) proceed();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(edits ? "Discard edits" : "Quit anyway") || scripted == Answer::Discard)
    proceed();
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) ||
      scripted == Answer::Cancel) {
    state.guard.reset();
    state.quit_requested = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void drawFrame(AppState& state) {
  handleShortcuts(state);
  drawMainMenu(state);
  if (state.open.scenario) drawScenarioPanel(state);
  if (state.open.run) drawRunPanel(state);
  if (state.open.dashboard) drawDashboardPanel(state);
  if (state.open.compare) drawComparePanel(state);
  if (state.open.staffing) drawStaffingPanel(state);
  if (state.open.roleplay) drawRoleplayPanel(state);
  if (state.open.metrics) ImGui::ShowMetricsWindow(&state.open.metrics);
  drawGuard(state);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Between frames: loads, saves, runs, the unsaved-changes guard

// Loads what the UI asked for; prints problems to stderr as well, so a scripted run leaves a
// trace. With unsaved edits, asks first (the guard) unless the user already chose to discard.
void performPendingLoad(AppState& state) {
  if (!state.pending_load) return;
  const std::filesystem::path file = *state.pending_load;
  state.pending_load.reset();
  if (state.doc.dirty() && !state.force_load) {
    state.guard = Guard{Guard::Action::Open, file, {}};
    return;
  }
  state.force_load = false;
  loadScenarioInto(state, file);
  for (const std::string& line : state.load_errors) std::cerr << "cxstudio: " << line << "\n";
}

void performPendingSave(AppState& state) {
  if (state.pending_save && !state.doc.path.empty()) saveScenario(state, state.doc.path);
  state.pending_save = false;
  if (state.pending_save_as) {
    const std::filesystem::path file = *state.pending_save_as;
    state.pending_save_as.reset();
    if (!file.empty()) saveScenario(state, file);
  }
}

void performPendingRuns(AppState& state) {
  if (state.pending_run && state.doc.valid() && !state.run_job.running()) {
    state.run_error.clear();
    state.live.reset();
    state.run_job.start(*state.doc.scenario, state.run_settings);
  }
  state.pending_run = false;
  if (auto outcome = state.run_job.takeOutcome()) state.last_run = std::move(outcome);
  if (std::string error = state.run_job.takeError(); !error.empty()) state.run_error = error;
  const std::uint64_t version = state.live ? state.live->version : 0;
  if (auto live = state.run_job.liveSince(version)) state.live = std::move(live);

  if (state.pending_compare && state.baseline && state.doc.valid() &&
      !state.compare_job.running()) {
    ExperimentOptions options;
    options.seed = state.run_settings.seed;
    options.replications = std::max(2, state.run_settings.replications);
    options.threads = state.run_settings.threads;
    const Scenario a = *state.baseline, b = *state.doc.scenario;
    state.comparison_label = fmt::format("{} replications · seed {} · common random numbers",
                                         options.replications, options.seed);
    state.compare_job.start([a, b, options] { return compareScenarios(a, b, options); });
  }
  state.pending_compare = false;
  std::shared_ptr<const Comparison> comparison;
  std::string error;
  if (state.compare_job.take(comparison, error)) {
    state.comparison = comparison;
    state.compare_error = error;
  }

  if (state.sweep.pending && state.doc.valid() && !state.sweep.job.running())
    startSweep(state.sweep, *state.doc.scenario, state.run_settings);
  state.sweep.pending = false;
  std::shared_ptr<const SweepResult> sweep;
  if (state.sweep.job.take(sweep, error)) {
    if (sweep) {  // a failed sweep keeps the last good one on screen
      state.sweep.result = sweep;
      state.sweep.result_label = state.sweep.running_label;
    }
    state.sweep.error = error;
  }

  if (state.pending_staffing && state.doc.valid() && !state.staffing_job.running()) {
    const Scenario s = *state.doc.scenario;
    const std::string shifts = state.shifts_path_input;
    const bool simulate = state.staffing_by_simulation;
    const RunSettings run = state.run_settings;
    state.staffing_job.start([s, shifts, simulate, run] {
      StaffingView view;
      view.scenario = s;
      StaffingOptions options;
      if (s.costs) options.shrinkage = s.costs->shrinkage;
      options.seed = run.seed;
      options.replications = std::max(2, run.replications);
      options.threads = run.threads;
      view.plan = simulate ? simulationRequirements(s, options) : erlangRequirements(s, options);
      if (!shifts.empty()) {
        view.shifts = loadShifts(shifts, s);
        std::vector<std::vector<double>> required;
        for (const ChannelRequirement& ch : view.plan.staffed()) {
          std::vector<double> row;
          for (const IntervalRequirement& k : ch.intervals) row.push_back(k.required);
          required.push_back(std::move(row));
        }
        view.roster = solveRoster(s, view.shifts, required);
        view.shifts_file = shifts;
      }
      return view;
    });
  }
  state.pending_staffing = false;
  std::shared_ptr<const StaffingView> staffing;
  if (state.staffing_job.take(staffing, error)) {
    state.staffing = staffing;
    state.staffing_error = error;
  }

  // The role-play panel's customers from a simulation: one run of the scenario as edited.
  if (state.roleplay) {
    RoleplayView& view = *state.roleplay;
    if (view.journeys_pending)
      startJourneys(view, state.doc.valid() ? &*state.doc.scenario : nullptr,
                    state.doc.path.filename().string());
    takeJourneys(view);
  }
}

// A chart's picture as written, for the smoke mode's check: where it was in the frame
// (framebuffer pixels) and its pixels.
struct ExportedPng {
  std::filesystem::path file;
  int x0 = 0, y0 = 0;
  RgbImage image;
  bool written = false;
};

// After render(), before present(): a chart's PNG export, in the frame plot::takePngRequest()
// chose (a later one than the click, so the context menu is not in the picture).
std::optional<ExportedPng> performPngExport(const Platform& platform) {
  std::optional<plot::PngRequest> request = plot::takePngRequest();
  if (!request) return std::nullopt;
  const RgbImage frame = platform.readBackBuffer();
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int x0 = std::clamp(static_cast<int>(request->min.x * scale.x), 0, frame.width);
  const int y0 = std::clamp(static_cast<int>(request->min.y * scale.y), 0, frame.height);
  const int x1 = std::clamp(static_cast<int>(request->max.x * scale.x), x0, frame.width);
  const int y1 = std::clamp(static_cast<int>(request->max.y * scale.y), y0, frame.height);
  ExportedPng out;
  out.file = request->file;
  out.x0 = x0;
  out.y0 = y0;
  RgbImage& crop = out.image;
  crop.width = x1 - x0;
  crop.height = y1 - y0;
  for (int y = y0; y < y1; ++y) {
    const auto* row = frame.pixels.data() + (static_cast<std::size_t>(y) * frame.width + x0) * 3;
    crop.pixels.insert(crop.pixels.end(), row, row + static_cast<std::size_t>(crop.width) * 3);
  }
  std::string error;
  std::error_code ec;
  if (request->file.has_parent_path())
    std::filesystem::create_directories(request->file.parent_path(), ec);
  out.written = writePng(crop, request->file, error);
  plot::lastExportMessage() = out.written ? "Saved " + request->file.string() : error;
  return out;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Smoke mode: every panel in turn, one PNG each

struct SmokeStep {
  const char* file;
  bool PanelFlags::*panel;
  bool sweep_tab = false;          // the compare panel's second tab
  const char* roleplay = nullptr;  // the role-play panel: what to play before the picture
};
constexpr SmokeStep kSmokeSteps[] = {
    {"scenario.png", &PanelFlags::scenario},
    {"run.png", &PanelFlags::run},
    {"dashboard.png", &PanelFlags::dashboard},
    {"compare.png", &PanelFlags::compare},
    {"sweep.png", &PanelFlags::compare, true},
    {"staffing.png", &PanelFlags::staffing},
    {"roleplay.png", &PanelFlags::roleplay, false, "play"},
    {"roleplay_debrief.png", &PanelFlags::roleplay, false, "debrief"},
    {"roleplay_trainer.png", &PanelFlags::roleplay, false, "trainer"},
    {"roleplay_journey_current.png", &PanelFlags::roleplay, false, "journey_current"},
    {"roleplay_journey.png", &PanelFlags::roleplay, false, "journey"},
    {"roleplay_journey_play.png", &PanelFlags::roleplay, false, "journey_play"},
    {"roleplay_broken.png", &PanelFlags::roleplay, false, "broken"},
};

// The sweep picture's scenario: one with an AI assistant ([bot]) and [outcomes], so the
// frontier is the AI/human one of cost against CSAT (the default scenario has no bot).
constexpr const char* kSmokeSweepScenario = "bank_chat_ai_first.toml";
// The chart whose PNG export the smoke mode checks (the dashboard's).
constexpr const char* kSmokeExportChart = "service_level_per_interval";

// Drives the app like a user: run the default scenario briefly, make it the baseline, add
// an agent to the first channel everywhere, compare, plan staffing, sweep, save the window as
// a user sees it (layout.png), then show each panel alone and save it, export a chart through
// its context menu, and go through the guards and shortcuts. Returns false (with a message)
// when something did not happen.
class SmokeDriver {
 public:
  SmokeDriver(const Options& options, AppState& state, Platform& platform)
      : options_(options), state_(state), platform_(platform) {}

  // Called before each frame; true when the smoke run is over.
  bool beforeFrame() {
    switch (stage_) {
      case Stage::Load:
        if (!state_.doc.valid()) return fail("the default scenario did not load");
        state_.run_settings.replications = options_.smoke_replications;
        state_.pending_run = true;
        stage_ = Stage::Running;
        return false;
      case Stage::Running:
        if (state_.run_job.running() || !state_.last_run) return timeout("the run");
        if (!state_.run_error.empty()) return fail("the run failed: " + state_.run_error);
        state_.baseline = *state_.doc.scenario;
        state_.baseline_label = "default scenario as opened";
        addAgent();
        state_.pending_compare = true;
        {
          // The scenario's shift file (scenarios/shifts/NAME.toml for NAME.toml), if it has one.
          const std::filesystem::path shifts = std::filesystem::path(CX_SOURCE_DIR) / "scenarios" /
                                               "shifts" / state_.doc.path.filename();
          state_.shifts_path_input =
              std::filesystem::exists(shifts) ? shifts.string() : std::string();
        }
        state_.pending_staffing = true;
        if (!startSmokeSweep()) return true;
        stage_ = Stage::Working;
        return false;
      case Stage::Working:
        if (state_.compare_job.running() || state_.staffing_job.running() ||
            state_.sweep.job.running() || !state_.comparison || !state_.staffing ||
            (!state_.sweep.result && state_.sweep.error.empty()))
          return timeout("compare, sweep and staffing");
        if (!state_.sweep.error.empty()) return fail("sweep failed: " + state_.sweep.error);
        if (!state_.compare_error.empty()) return fail("compare failed: " + state_.compare_error);
        if (!state_.staffing_error.empty())
          return fail("staffing failed: " + state_.staffing_error);
        // The window as a user sees it after a run: the first-use layout, three panels.
        frames_left_ = kScreenshotFrames;
        stage_ = Stage::LayoutShot;
        return false;
      case Stage::LayoutShot:
      case Stage::Shots:
      case Stage::BrokenShot:
      case Stage::GuardShot:
        return false;
      case Stage::ExportChart:
      case Stage::ExportWait:
        return timeout("the chart's PNG export");
      case Stage::OpenBroken:
        return openBroken();
      case Stage::AnswerOpenGuard:
        if (!state_.guard || state_.guard->action != Guard::Action::Open)
          return fail("opening another file with unsaved edits did not ask first");
        state_.guard->scripted_answer = Guard::Answer::Discard;
        stage_ = Stage::BrokenShown;
        return false;
      case Stage::BrokenShown:
        return checkBrokenShown();
      case Stage::Quit:
        state_.quit_requested = true;
        stage_ = Stage::QuitAsked;
        return false;
      case Stage::QuitAsked:
        if (!state_.guard || state_.guard->action != Guard::Action::Quit)
          return fail("quitting with unsaved edits did not ask first");
        frames_left_ = kScreenshotFrames;
        stage_ = Stage::GuardShot;
        return false;
      case Stage::CancelQuit:
        if (!state_.guard) return fail("the unsaved-changes question went away unanswered");
        state_.guard->scripted_answer = Guard::Answer::Cancel;
        stage_ = Stage::AfterCancel;
        return false;
      case Stage::AfterCancel:
        if (state_.guard || state_.quit_requested || state_.quit_confirmed)
          return fail("Cancel in the unsaved-changes question did not keep the app open");
        std::cout << "cxstudio: smoke: quitting with unsaved edits asked first; Cancel kept "
                     "the app open\n";
        stage_ = Stage::CtrlO;
        return false;
      case Stage::CtrlO:
      case Stage::CtrlOCheck:
      case Stage::CtrlOFocus:
      case Stage::Escape:
      case Stage::SaveAs:
      case Stage::CtrlS:
      case Stage::CtrlSCheck:
        return shortcuts();
      case Stage::CloseWindow:
        // As the window manager's close button does: the loop must ask, not quit.
        addAgent();
        platform_.requestClose();
        stage_ = Stage::CloseAsked;
        return false;
      case Stage::CloseAsked:
        if (platform_.shouldClose())
          return fail("closing the window was not taken over by the unsaved-edits question");
        if (!state_.guard || state_.guard->action != Guard::Action::Quit)
          return fail("closing the window with unsaved edits did not ask first");
        std::cout << "cxstudio: smoke: closing the window with unsaved edits asked first\n";
        state_.guard->scripted_answer = Guard::Answer::Discard;
        stage_ = Stage::Quitting;
        return false;
      case Stage::Quitting:
        // The loop ends before this frame when Discard confirmed the quit.
        return fail("Discard edits in the unsaved-changes question did not quit");
      case Stage::Done:
        return true;
    }
    return true;
  }

  // Called after render(), with the chart picture written in this frame if any; saves the
  // panel shown once its layout has settled.
  void afterRender(const std::optional<ExportedPng>& exported) {
    if (stage_ == Stage::ExportChart || stage_ == Stage::ExportWait) {
      afterExportFrame(exported);
      return;
    }
    const bool panel_shot = stage_ == Stage::Shots;
    // A picture of the role-play panel's customers waits for their list.
    if (panel_shot && state_.roleplay &&
        (state_.roleplay->journeys_pending || state_.roleplay->journeys_job.running()))
      return;
    if ((!panel_shot && stage_ != Stage::LayoutShot && stage_ != Stage::BrokenShot &&
         stage_ != Stage::GuardShot) ||
        --frames_left_ > 0)
      return;
    const char* name = panel_shot                    ? kSmokeSteps[step_].file
                       : stage_ == Stage::LayoutShot ? "layout.png"
                       : stage_ == Stage::BrokenShot ? "broken.png"
                                                     : "unsaved.png";
    RgbImage frame = platform_.readBackBuffer();
    if (!save(frame, name)) return;
    if (panel_shot && kSmokeSteps[step_].panel == &PanelFlags::dashboard)
      dashboard_frame_ = std::move(frame);
    if (stage_ == Stage::LayoutShot) {
      stage_ = Stage::Shots;
      showPanel(0);
    } else if (stage_ == Stage::BrokenShot) {
      stage_ = Stage::Quit;
    } else if (stage_ == Stage::GuardShot) {
      stage_ = Stage::CancelQuit;
    } else if (++step_ == std::size(kSmokeSteps)) {
      startExport();
    } else {
      showPanel(step_);
    }
  }

  // The smoke run went through every step and the app quit at its last one (not earlier:
  // quitting without asking would end the loop before).
  bool succeeded() const { return !failed_ && stage_ == Stage::Quitting; }

 private:
  enum class Stage {
    Load,
    Running,
    Working,
    LayoutShot,  // the usual layout after the run: layout.png
    Shots,
    ExportChart,  // a chart's context menu, Save chart as (export_menu.png), then the file
    ExportWait,
    OpenBroken,  // the guard against losing edits, then a file that does not load
    AnswerOpenGuard,
    BrokenShown,
    BrokenShot,
    Quit,  // quitting with unsaved edits asks; Cancel stays, Discard quits
    QuitAsked,
    GuardShot,
    CancelQuit,
    AfterCancel,
    CtrlO,  // Ctrl+O opens the scenario panel with the cursor in its file field
    CtrlOCheck,
    CtrlOFocus,
    Escape,
    SaveAs,  // Ctrl+S saves the edited scenario to its file
    CtrlS,
    CtrlSCheck,
    CloseWindow,  // the window's close button with unsaved edits asks; Discard quits
    CloseAsked,
    Quitting,
    Done
  };
  static constexpr int kMaxFrames = 20000;  // about 5 minutes at 60 frames per second

  void showPanel(std::size_t i) {
    state_.layout.one_panel = true;
    state_.open = PanelFlags{};
    state_.open.scenario = false;
    state_.open.run = false;
    state_.open.dashboard = false;
    state_.open.*(kSmokeSteps[i].panel) = true;
    state_.sweep.select_tab = kSmokeSteps[i].sweep_tab;
    state_.scenario_tab = "Channels";  // the tab with the most widgets
    if (kSmokeSteps[i].roleplay && !playRoleplay(kSmokeSteps[i].roleplay)) return;
    frames_left_ = kScreenshotFrames;
  }

  bool save(const RgbImage& image, const char* name) {
    const std::filesystem::path file = std::filesystem::path(options_.screenshot) / name;
    std::string error;
    if (!writePng(image, file, error)) return !fail(error);
    std::cout << "cxstudio: saved " << file.string() << "\n";
    return true;
  }

  // The sweep picture: the AI/human frontier of a scenario with a bot and outcomes, its grid
  // prefilled as the panel would for it (its chat team's agents against the bot's containment
  // of a contact reason). The sweep runs on its own copy: the document stays the default.
  bool startSmokeSweep() {
    std::filesystem::path file = std::filesystem::path("scenarios") / kSmokeSweepScenario;
    if (std::error_code ec; !std::filesystem::is_regular_file(file, ec))
      file = std::filesystem::path(CX_SOURCE_DIR) / file;
    try {
      const Scenario scenario = loadScenario(file);
      prefillSweep(state_.sweep, scenario);
      startSweep(state_.sweep, scenario, state_.run_settings);
    } catch (const std::exception& e) {
      return !fail("the sweep's scenario " + file.string() + " did not load: " + e.what());
    }
    if (!state_.sweep.error.empty()) return !fail("the sweep did not start: " + state_.sweep.error);
    return true;
  }

  // A chart's PNG export as a user makes it: right-click the dashboard's service-level chart,
  // Save chart as. The frame showing the menu is kept (export_menu.png); the picture written
  // must be the chart as the dashboard shows it without the menu (dashboard.png's pixels).
  void startExport() {
    const auto dashboard =
        std::find_if(std::begin(kSmokeSteps), std::end(kSmokeSteps),
                     [](const SmokeStep& s) { return s.panel == &PanelFlags::dashboard; });
    showPanel(static_cast<std::size_t>(dashboard - std::begin(kSmokeSteps)));
    plot::exportFolder() = options_.screenshot;
    plot::scriptPngExport(kSmokeExportChart);
    stage_ = Stage::ExportChart;
  }

  void afterExportFrame(const std::optional<ExportedPng>& exported) {
    const plot::ExportScript& script = plot::exportScript();
    if (stage_ == Stage::ExportChart) {
      if (script.clicked_frame != ImGui::GetFrameCount()) return;
      if (exported) return void(fail("the chart's picture was taken with its menu open"));
      menu_frame_ = platform_.readBackBuffer();  // the menu, as the user saw it when clicking
      if (save(menu_frame_, "export_menu.png")) stage_ = Stage::ExportWait;
      return;
    }
    if (exported) checkExport(*exported, script);
  }

  void checkExport(const ExportedPng& e, const plot::ExportScript& script) {
    const std::string name = std::string(kSmokeExportChart) + ".png";
    std::error_code ec;
    if (!e.written || e.file.filename() != name || !std::filesystem::is_regular_file(e.file, ec) ||
        std::filesystem::file_size(e.file, ec) == 0)
      return void(fail("the chart was not saved as " + name + " in " + options_.screenshot));
    const RgbImage& img = e.image;
    const RgbImage& before = dashboard_frame_;
    if (img.width < 200 || img.height < 100 || before.width != menu_frame_.width ||
        before.height != menu_frame_.height || e.x0 + img.width > before.width ||
        e.y0 + img.height > before.height)
      return void(
          fail(fmt::format("the chart's picture is {}x{}: not the chart", img.width, img.height)));
    // The menu's rectangle in the picture's pixels.
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    const int mx0 = std::clamp(static_cast<int>(script.menu_min.x * scale.x) - e.x0, 0, img.width);
    const int my0 = std::clamp(static_cast<int>(script.menu_min.y * scale.y) - e.y0, 0, img.height);
    const int mx1 = std::clamp(static_cast<int>(script.menu_max.x * scale.x) - e.x0, 0, img.width);
    const int my1 = std::clamp(static_cast<int>(script.menu_max.y * scale.y) - e.y0, 0, img.height);
    if (mx1 - mx0 < 20 || my1 - my0 < 20)
      return void(fail("the chart's menu did not open over it"));
    const auto differs = [](const unsigned char* a, const unsigned char* b) {
      return std::abs(a[0] - b[0]) > 8 || std::abs(a[1] - b[1]) > 8 || std::abs(a[2] - b[2]) > 8;
    };
    std::size_t menu_shown = 0, menu_area = 0, changed = 0;
    for (int y = 0; y < img.height; ++y)
      for (int x = 0; x < img.width; ++x) {
        const std::size_t at = (static_cast<std::size_t>(y + e.y0) * before.width +
                                static_cast<std::size_t>(x + e.x0)) *
                               3;
        const unsigned char* plain = &before.pixels[at];
        changed += differs(&img.pixels[(static_cast<std::size_t>(y) * img.width + x) * 3], plain);
        if (x >= mx0 && x < mx1 && y >= my0 && y < my1) {
          ++menu_area;
          menu_shown += differs(&menu_frame_.pixels[at], plain);
        }
      }
    const std::size_t area = static_cast<std::size_t>(img.width) * img.height;
    // The menu was on screen over the chart (its text and folder field change many pixels)...
    if (menu_shown * 20 < menu_area)
      return void(fail("the chart's menu was not on screen over the chart"));
    // ...and the picture is the chart as the dashboard shows it, menu and readout left out.
    if (changed * 200 > area)
      return void(
          fail(fmt::format("the exported chart differs from the chart on screen in {} of "
                           "{} pixels (the menu: {}x{} px)",
                           changed, area, mx1 - mx0, my1 - my0)));
    std::cout << fmt::format(
        "cxstudio: smoke: saved {} ({}x{}) through the chart's menu; the picture is the chart "
        "without the menu, which covered {}x{} px of it\n",
        e.file.string(), img.width, img.height, mx1 - mx0, my1 - my0);
    stage_ = Stage::OpenBroken;
  }

  // The keyboard shortcuts and the window's close button, through GLFW's key callback and the
  // window's own close flag: Ctrl+O, Esc, Ctrl+S (on a copy in the screenshot folder: the
  // shipped scenario is never written), then closing with unsaved edits.
  bool shortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    const auto chord = [this](int key, bool pressed) {
      if (pressed) platform_.sendKey(GLFW_KEY_LEFT_CONTROL, true, GLFW_MOD_CONTROL);
      platform_.sendKey(key, pressed, pressed ? GLFW_MOD_CONTROL : 0);
      if (!pressed) platform_.sendKey(GLFW_KEY_LEFT_CONTROL, false, 0);
    };
    switch (stage_) {
      case Stage::CtrlO:
        state_.open = PanelFlags{};
        state_.open.scenario = state_.open.run = state_.open.dashboard = false;
        state_.focus_path = false;
        chord(GLFW_KEY_O, true);
        stage_ = Stage::CtrlOCheck;
        return false;
      case Stage::CtrlOCheck:
        chord(GLFW_KEY_O, false);
        if (!state_.open.scenario) return fail("Ctrl+O did not open the scenario panel");
        waited_ = 0;
        stage_ = Stage::CtrlOFocus;
        return false;
      case Stage::CtrlOFocus:
        if (!io.WantTextInput)
          return ++waited_ > 10 && fail("Ctrl+O did not put the cursor in the file field");
        std::cout << "cxstudio: smoke: Ctrl+O opened the scenario panel with the cursor in its "
                     "file field\n";
        platform_.sendKey(GLFW_KEY_ESCAPE, true, 0);
        waited_ = 0;
        stage_ = Stage::Escape;
        return false;
      case Stage::Escape:
        platform_.sendKey(GLFW_KEY_ESCAPE, false, 0);
        if (io.WantTextInput) return ++waited_ > 10 && fail("Esc did not leave the file field");
        saved_ = std::filesystem::path(options_.screenshot) / "saved_by_ctrl_s.toml";
        std::filesystem::remove(saved_);
        state_.pending_save_as = saved_;  // as the panel's Save as button does
        stage_ = Stage::SaveAs;
        return false;
      case Stage::SaveAs:
        if (state_.doc.path != saved_ || state_.doc.dirty())
          return fail("Save as did not save to " + saved_.string());
        addAgent();
        chord(GLFW_KEY_S, true);
        stage_ = Stage::CtrlS;
        return false;
      case Stage::CtrlS:
        chord(GLFW_KEY_S, false);
        stage_ = Stage::CtrlSCheck;
        return false;
      case Stage::CtrlSCheck: {
        std::ifstream in(saved_, std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        if (state_.doc.dirty() || text != state_.doc.current_toml)
          return fail("Ctrl+S did not save the edits to " + saved_.string());
        std::cout << "cxstudio: smoke: Ctrl+S saved the edits to " << saved_.string() << "\n";
        stage_ = Stage::CloseWindow;
        return false;
      }
      default:
        return fail("no shortcut stage here");
    }
  }

  // A scenario file with a mistake, opened over the edited (unsaved) scenario: the studio must
  // ask about the edits first, and after "Discard edits" report the mistake and keep the
  // scenario it had, edits included, rather than lose it to a file that does not load.
  bool openBroken() {
    if (!state_.doc.dirty()) return fail("the edited scenario is not marked unsaved");
    state_.roleplay.reset();  // its pictures are taken; its open session would join the questions
    const std::filesystem::path broken = std::filesystem::path(options_.screenshot) / "broken.toml";
    std::string error;
    if (!plot::writeText(broken,
                         "# cxstudio --smoke: a scenario with mistakes, on purpose\n"
                         "[scenario]\nname = \"broken\"\ndays = 0\ninterval_minutes = 7\n",
                         error))
      return fail(error);
    kept_toml_ = state_.doc.current_toml;
    kept_path_ = state_.doc.path;
    showPanel(0);  // the scenario panel, where the errors are shown
    frames_left_ = 0;
    state_.pending_load = broken;
    stage_ = Stage::AnswerOpenGuard;
    return false;
  }

  bool checkBrokenShown() {
    if (state_.load_errors.empty() || state_.failed_path.filename() != "broken.toml")
      return fail("the broken scenario file was not reported");
    if (!state_.doc.scenario || state_.doc.current_toml != kept_toml_ ||
        state_.doc.path != kept_path_ || !state_.doc.dirty())
      return fail("the broken scenario file replaced the (edited) scenario open before");
    std::cout << fmt::format(
        "cxstudio: smoke: opening a broken file asked about the unsaved edits, then reported {} "
        "problem(s) and kept the edited scenario\n",
        state_.load_errors.size());
    frames_left_ = kScreenshotFrames;
    stage_ = Stage::BrokenShot;
    return false;
  }

  // Role-play as trainees would, through the panel's own actions, so the pictures show a
  // transcript, a debrief and the trainer view. Records go to the screenshot folder, never to
  // the user's data folder.
  //  play:    Alex on broken_item.toml: a good opening, then reads account data back before
  //           verifying (a compliance breach) and recites the claim process, 41 s late;
  //  debrief: Alex recovers and finishes; the session is saved and debriefed (not passed);
  //  trainer: earlier sessions of Alex and Sam, dated 14 and 7 days back so the trainer's
  //           charts have periods to draw, and Sam's session of today;
  //  journey_current: customers of the (edited) default scenario, asked for as the panel's
  //           button does, so main's loop runs them: it has no [journeys], the list says so;
  //  journey: customers from a simulation (roleplayJourney); journey_play: that session's chat;
  //  broken:  a script with mistakes chosen mid-session (roleplayBroken).
  bool playRoleplay(const std::string& what) {
    if (!state_.roleplay) state_.roleplay = std::make_shared<RoleplayView>();
    RoleplayView& view = *state_.roleplay;
    const double now = ImGui::GetTime();
    if (what == "play") {
      const std::filesystem::path records = std::filesystem::path(options_.screenshot) / "roleplay";
      std::error_code ec;
      std::filesystem::remove_all(records, ec);
      view.data_dir = records.string();
      view.trainee = "Alex";
      if (!openScript(view, "broken_item.toml", now)) return false;
      if (!answerAll(view, {0, 1, 1}, {6.0, 14.0, 41.0}, now)) return false;
      view.turn_started = now - 12.0;  // the trainee has been reading for 12 s: the countdown runs
      if (view.session->finished()) return fail("role-play: the conversation ended too early");
    } else if (what == "debrief") {
      if (!answerAll(view, {0, 1}, {9.0, 12.0}, now)) return false;
      if (!view.debrief) return fail("role-play: the conversation did not end");
      if (!saveSession(view)) return fail("role-play: " + view.save_message);
      if (view.debrief->session.breaches.empty())
        return fail("role-play: the breach did not reach the debrief");
    } else if (what == "trainer") {
      struct Past {
        const char* trainee;
        const char* script;
        std::vector<int> choices;  // per turn, repeated (-1: the node's last answer)
        double seconds;
        int days_ago;
      };
      const Past history[] = {
          {"Alex", "late_delivery.toml", {1}, 25.0, 14},
          {"Sam", "broken_item.toml", {-1}, 20.0, 14},
          {"Alex", "billing_dispute.toml", {0, 1}, 35.0, 7},
          {"Sam", "late_delivery.toml", {-1, 0}, 15.0, 7},
          {"Sam", "broken_item.toml", {0}, 20.0, 0},
      };
      for (const Past& p : history) {
        view.trainee = p.trainee;
        if (!openScript(view, p.script, now)) return false;
        for (int turn = 0; !view.session->finished(); ++turn) {
          const int wanted = p.choices[static_cast<std::size_t>(turn) % p.choices.size()];
          const int n = static_cast<int>(view.session->current().choices.size());
          const int choice = wanted < 0 ? n - 1 : std::min(wanted, n - 1);
          view.turn_started = now - p.seconds;
          if (!answerChoice(view, choice, now)) return fail("role-play: an answer was refused");
        }
        if (!saveSession(view, isoDaysAgo(p.days_ago)))
          return fail("role-play: " + view.save_message);
      }
      view.select_tab = "Trainer";
      refreshTrainer(view);
      if (view.records.size() != 6) return fail("role-play: the records folder lost sessions");
    } else if (what == "journey_current") {
      view.journeys_from_file = false;
      view.journeys_pending = true;
      view.select_tab = "Customers from the simulation";
    } else if (what == "journey") {
      return roleplayJourney(view, now);
    } else if (what == "journey_play") {
      if (!view.journey) return fail("role-play: the journey's session is gone");
      view.select_tab = "Play";
    } else if (what == "broken") {
      return roleplayBroken(view, now);
    } else {
      return fail("role-play: no smoke step " + what);
    }
    return true;
  }

  // Customers from a simulation, through the panel's own job: the unresolved cases of
  // shared_context.toml, read from its file (the default scenario has no [journeys], and the
  // edited scenario stays as it is). Alex plays chat_then_call.toml as the hardest case's
  // customer for two answers; the picture: the list with the second case chosen.
  bool roleplayJourney(RoleplayView& view, double now) {
    // Relative to the checkout when run from one (as the scripts are found), for a short label.
    std::filesystem::path file =
        std::filesystem::path("scenarios") / "examples" / "shared_context.toml";
    if (std::error_code ec; !std::filesystem::is_regular_file(file, ec))
      file = std::filesystem::path(CX_SOURCE_DIR) / file;
    // The current scenario's list first (journey_current): main's loop may have taken it.
    waitForJourneys(view);
    if (!view.journeys || !view.journeys_error.empty() ||
        view.journeys->source.find("current scenario") == std::string::npos)
      return fail("role-play: no customers from the current scenario: " + view.journeys_error);
    if (view.journeys->multi_contact() || view.journeys->journeys.empty())
      return fail("role-play: the default scenario should give single-contact cases");
    view.journeys_from_file = true;
    view.journeys_file = file.string();
    if (!startJourneys(view, nullptr, "")) return fail("role-play: " + view.journeys_error);
    waitForJourneys(view);
    if (!view.journeys || !view.journeys_error.empty())
      return fail("role-play: no customers from " + file.string() + ": " + view.journeys_error);
    if (view.journeys->journeys.size() < 2 || !view.journeys->multi_contact())
      return fail("role-play: " + file.string() + " gave no multi-contact cases");
    view.trainee = "Alex";
    if (!openScript(view, "chat_then_call.toml", now)) return false;
    if (!playJourney(view, 0, now)) return fail("role-play: the hardest case did not start");
    const Persona& before = view.written->persona;
    const Persona& after = view.script->persona;
    if (!view.journey || view.journey->case_id != view.journeys->journeys[0].case_id ||
        after.mood >= before.mood || after.patience_s >= before.patience_s)
      return fail("role-play: the case's customer is not the journey's");
    if (!answerAll(view, {0, 0}, {9.0, 12.0}, now)) return false;
    std::cout << fmt::format(
        "cxstudio: smoke: role-play: the customer of case {} of {} ({} unresolved): mood {:.2f} "
        "-> {:.2f}, patience {:.0f} s -> {:.0f} s\n",
        view.journey->case_id, file.filename().string(), view.journeys->journeys.size(),
        before.mood, after.mood, before.patience_s, after.patience_s);
    view.picked_journey = 1;
    view.select_tab = "Customers from the simulation";
    return true;
  }

  // The smoke run waits here when a list is still being made: the next picture needs it (a
  // run takes under a second).
  static void waitForJourneys(RoleplayView& view) {
    for (int i = 0; i < 1200 && view.journeys_job.running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    takeJourneys(view);
  }

  // A script with mistakes chosen in the middle of a session: the panel asks first; after
  // "Discard and open" it shows the validator's errors and keeps the session it had. The
  // picture: those errors, with the question asked again for another script.
  bool roleplayBroken(RoleplayView& view, double now) {
    const std::filesystem::path broken =
        std::filesystem::path(options_.screenshot) / "broken_roleplay.toml";
    std::string error;
    if (!plot::writeText(broken,
                         "# cxstudio --smoke: a role-play script with mistakes, on purpose\n"
                         "[script]\ntitle = \"Broken on purpose\"\nstart = \"opening\"\n"
                         "[persona]\nname = \"Sam\"\nmood = 1.4\n"
                         "[nodes.opening]\ncustomer = \"Hello?\"\n"
                         "[[nodes.opening.choices]]\ntext = \"Hi\"\nnext = \"nowhere\"\n",
                         error))
      return fail(error);
    view.trainee = "Alex";
    if (!openScript(view, "broken_item.toml", now)) return false;
    if (!answerAll(view, {0}, {7.0}, now)) return false;
    if (openRoleplayScript(view, broken, now) || !view.pending_switch)
      return fail("role-play: choosing another script mid-session did not ask first");
    confirmSwitch(view, now);
    if (view.load_errors.empty() || view.failed_path != broken)
      return fail("role-play: the broken script's errors were not reported");
    if (!view.session || view.script->id() != "broken_item" || view.session->state().turn != 1)
      return fail("role-play: the broken script replaced the session in progress");
    std::cout << fmt::format(
        "cxstudio: smoke: role-play: a broken script mid-session asked first, then reported {} "
        "problem(s) and kept the session\n",
        view.load_errors.size());
    if (openRoleplayScript(view, shippedScriptsDir(CX_SOURCE_DIR) / "late_delivery.toml", now))
      return fail("role-play: choosing another script mid-session did not ask first");
    view.select_tab = "Play";
    return true;
  }

  bool openScript(RoleplayView& view, const char* name, double now) {
    const auto file = shippedScriptsDir(CX_SOURCE_DIR) / name;
    if (!openRoleplayScript(view, file, now, true)) {
      for (const std::string& e : view.load_errors) std::cerr << "cxstudio: " << e << "\n";
      return fail(std::string("role-play: ") + name + " did not open");
    }
    return true;
  }

  // Answers choices[k] after seconds[k], as if the trainee took that long.
  bool answerAll(RoleplayView& view, const std::vector<int>& choices,
                 const std::vector<double>& seconds, double now) {
    for (std::size_t k = 0; k < choices.size(); ++k) {
      view.turn_started = now - seconds[k];
      if (!answerChoice(view, choices[k], now))
        return fail(fmt::format("role-play: answer {} was refused", choices[k] + 1));
    }
    return true;
  }

  // ISO 8601 UTC for `days` days before now.
  static std::string isoDaysAgo(int days) {
    if (days == 0) return isoNowUtc();
    const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days) * 86400;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
  }

  // An edit through the document, as the editor would make it, so the compare has a B.
  void addAgent() {
    Scenario& s = *state_.doc.scenario;
    if (!s.agent_groups.empty())  // the first group's agents, or the first channel's own
      for (int& n : s.agent_groups.front().agents) ++n;
    else if (!s.channels.empty())
      for (int& n : s.channels.front().agents) ++n;
    trackEdits(state_.doc, false);
  }

  bool timeout(const char* what) {
    if (++frames_ > kMaxFrames) return fail(std::string(what) + " did not finish in time");
    return false;
  }
  bool fail(const std::string& message) {
    std::cerr << "cxstudio: smoke: " << message << "\n";
    failed_ = true;
    stage_ = Stage::Done;
    return true;
  }

  const Options& options_;
  AppState& state_;
  Platform& platform_;
  Stage stage_ = Stage::Load;
  std::size_t step_ = 0;
  int frames_left_ = 0;
  int frames_ = 0;
  bool failed_ = false;
  std::string kept_toml_;  // the scenario before the broken file, to check it stayed
  std::filesystem::path kept_path_;
  RgbImage dashboard_frame_;  // dashboard.png, to check the chart export against
  RgbImage menu_frame_;       // the frame showing the chart's menu (export_menu.png)
  int waited_ = 0;            // frames waited for a shortcut's effect
  std::filesystem::path saved_;
};

// --measure-run N: the window as a user sees it (all panels in their places), a run of N
// replications started at once, and the frame times while it runs printed at the end. This
// is how docs/STUDIO.md's frame-time figure is measured.
struct FramePhases {
  double ui_ms = 0.0, submit_ms = 0.0, swap_ms = 0.0;
  double vertices = 0.0;
};

class RunMeasure {
 public:
  RunMeasure(int replications, double max_p95_ms)
      : replications_(replications), max_p95_ms_(max_p95_ms) {}

  // Before each frame; true when done (the run ended and a few frames showed its results).
  bool step(AppState& state) {
    if (!started_) {
      if (!state.doc.valid()) return true;
      state.run_settings.replications = replications_;
      state.pending_run = true;
      started_ = true;
      return false;
    }
    if (state.run_job.running() || !state.last_run) return false;
    return ++frames_after_ > kFramesAfter;
  }
  // One frame: its total time and where it went (building the UI, handing the draw lists to
  // OpenGL, the buffer swap, where Mesa's llvmpipe finishes rasterising) and its vertex count.
  void record(const AppState& state, const FramePhases& phases) {
    if (state.run_job.running())
      during_.add(state.frame_ms, phases);
    else if (started_ && state.last_run)
      after_.add(state.frame_ms, phases);
  }
  // report() was false because the machine was too busy to judge frame times.
  bool notJudged() const { return not_judged_; }

  bool report() {
    if (during_.total.empty()) {
      std::cerr << "cxstudio: --measure-run: no frame was drawn during the run\n";
      return false;
    }
    std::cout << fmt::format("cxstudio: {} replications; {} frames during the run: {}\n",
                             replications_, during_.total.size(), summary(during_.total));
    std::cout << fmt::format("cxstudio:   {}\n", during_.breakdown());
    if (!after_.total.empty()) {
      std::cout << fmt::format("cxstudio: {} frames after it, results on screen: {}\n",
                               after_.total.size(), summary(after_.total));
      std::cout << fmt::format("cxstudio:   {}\n", after_.breakdown());
    }
    // A run that holds up the UI thread leaves few frames drawn during it, however fast the
    // machine: the one pass/fail judgement made without a limit on time.
    if (during_.total.size() < kMinFramesForLimit) {
      std::cerr << fmt::format(
          "cxstudio: --measure-run: only {} frames drawn during the run, {} expected: the UI "
          "thread is held up, or the run is too short to tell (run more replications)\n",
          during_.total.size(), kMinFramesForLimit);
      return false;
    }
    if (max_p95_ms_ > 0.0) {
      const double p95 = percentile(during_.total, 0.95);
      if (p95 > max_p95_ms_) {
        // On a machine busier than its cores, frames wait for the processor whatever the app
        // does: that says nothing of the app (a UI thread held up by the run shows as too few
        // frames, above, however busy the machine).
        double load = 0.0;
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        if (getloadavg(&load, 1) == 1 && load > cores) {
          std::cerr << fmt::format(
              "cxstudio: the 95th percentile of frame times during the run is {:.1f} ms, above "
              "{:.0f} ms, but the machine's load average is {:.1f} on {} cores: not judged\n",
              p95, max_p95_ms_, load, cores);
          not_judged_ = true;
          return false;
        }
        std::cerr << fmt::format(
            "cxstudio: the 95th percentile of frame times during the run is {:.1f} ms, above "
            "the limit of {:.0f} ms: the UI thread is held up\n",
            p95, max_p95_ms_);
        return false;
      }
      std::cout << fmt::format(
          "cxstudio: 95th percentile {:.1f} ms during the run: within {:.0f} ms\n", p95,
          max_p95_ms_);
    }
    return true;
  }

 private:
  struct Frames {
    std::vector<double> total;
    FramePhases sum;
    void add(double ms, const FramePhases& p) {
      total.push_back(ms);
      sum.ui_ms += p.ui_ms;
      sum.submit_ms += p.submit_ms;
      sum.swap_ms += p.swap_ms;
      sum.vertices += p.vertices;
    }
    std::string breakdown() const {
      const double n = static_cast<double>(total.size());
      return fmt::format(
          "means: UI {:.1f} ms, OpenGL submit {:.1f} ms, swap {:.1f} ms; {:.0f} "
          "vertices a frame",
          sum.ui_ms / n, sum.submit_ms / n, sum.swap_ms / n, sum.vertices / n);
    }
  };

  // The q-quantile of `ms` (nearest rank).
  static double percentile(std::vector<double> ms, double q) {
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))];
  }

  static std::string summary(const std::vector<double>& ms) {
    double sum = 0.0;
    for (double x : ms) sum += x;
    return fmt::format("mean {:.1f} ms, median {:.1f} ms, 95th percentile {:.1f} ms, max {:.1f} ms",
                       sum / ms.size(), percentile(ms, 0.5), percentile(ms, 0.95),
                       percentile(ms, 1.0));
  }

  static constexpr int kFramesAfter = 60;  // the dashboard with the results, for comparison
  static constexpr std::size_t kMinFramesForLimit = 20;

  int replications_;
  double max_p95_ms_;
  bool not_judged_ = false;
  bool started_ = false;
  int frames_after_ = 0;
  Frames during_, after_;
};

// -------------------------------------------------------------------------------------------
// [SECTION] main loop

int run(const Options& options) {
  AppState state;
  const bool scripted = !options.screenshot.empty() || options.measure_run > 0;
  state.persist = !scripted;
  if (!scripted) loadRecent(state);
  state.pending_load =
      options.scenario.empty() ? defaultScenario() : std::filesystem::path(options.scenario);
  state.path_input = state.pending_load->string();
  state.run_settings.threads =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency() - 1));

  WindowOptions window;
  window.width = options.width;
  window.height = options.height;
  window.title = windowTitle(state);
  if (!scripted) {
    // Next to the recent files, whatever folder the studio starts from; ImGui does not make
    // the folder.
    window.layout_file = layoutFile().string();
    std::error_code ec;
    if (!window.layout_file.empty()) std::filesystem::create_directories(configDir(), ec);
  }
  window.ignore_mouse = options.smoke;

  Platform platform;
  std::string error;
  if (!platform.open(window, error)) {
    std::cerr << "cxstudio: " << error << "\n";
    return kExitFailure;
  }
  if (options.smoke) {
    std::error_code ec;
    std::filesystem::create_directories(options.screenshot, ec);
  }

  SmokeDriver smoke(options, state, platform);
  RunMeasure measure(options.measure_run, options.max_p95_ms);
  std::ofstream frame_log;
  if (!options.frame_log.empty()) frame_log.open(options.frame_log);
  std::string title = window.title;
  int frames_left = kScreenshotFrames;
  int frames = 0;
  double last_frame = nowSeconds();
  for (;;) {
    if (options.close_after > 0 && ++frames == options.close_after) platform.requestClose();
    if (platform.shouldClose()) {
      platform.cancelClose();
      state.quit_requested = true;
    }
    if (state.quit_requested && !state.guard && !state.quit_confirmed) {
      if (state.doc.dirty() || roleplayAtRisk(state))
        state.guard = Guard{Guard::Action::Quit, {}, {}};
      else
        state.quit_confirmed = true;
    }
    if (state.quit_confirmed) break;
    performPendingLoad(state);
    performPendingSave(state);
    performPendingRuns(state);
    if (options.smoke && smoke.beforeFrame()) break;
    if (options.measure_run > 0 && measure.step(state)) break;

    const double t_begin = nowSeconds();
    platform.beginFrame();
    drawFrame(state);
    trackEdits(state.doc, ImGui::IsAnyItemActive());
    if (const std::string t = windowTitle(state); t != title) {
      platform.setTitle(t);
      title = t;
    }
    const double t_ui = nowSeconds();
    platform.render();
    const double t_submit = nowSeconds();
    const std::optional<ExportedPng> exported = performPngExport(platform);
    if (options.smoke) smoke.afterRender(exported);
    if (!options.smoke && !options.screenshot.empty() && --frames_left == 0) {
      if (!writePng(platform.readBackBuffer(), options.screenshot, error)) {
        std::cerr << "cxstudio: " << error << "\n";
        return kExitFailure;
      }
      return kExitOk;
    }
    const double t_swap = nowSeconds();
    platform.present();
    const double now = nowSeconds();
    state.frame_ms = (now - last_frame) * 1000.0;
    last_frame = now;
    if (frame_log.is_open())
      frame_log << state.frame_ms << " " << state.run_job.running()
                << std::endl;  // survives a kill
    if (options.measure_run > 0)
      measure.record(state, FramePhases{(t_ui - t_begin) * 1000.0, (t_submit - t_ui) * 1000.0,
                                        (now - t_swap) * 1000.0,
                                        static_cast<double>(ImGui::GetIO().MetricsRenderVertices)});
  }
  state.run_job.cancel();
  if (options.measure_run > 0)
    return measure.report() ? kExitOk : measure.notJudged() ? kExitNotJudged : kExitFailure;
  return options.smoke && !smoke.succeeded() ? kExitFailure : kExitOk;
}

}  // namespace
}  // namespace cx::studio

// -------------------------------------------------------------------------------------------
// [SECTION] main

int main(int argc, char** argv) {
  using namespace cx::studio;
  CLI::App app{"CX Studio: the desktop app of CX Sim"};
  app.set_version_flag("--version", "cxstudio 0.1.0");
  Options options;
  std::string size;
  app.add_option("scenario", options.scenario,
                 "Scenario file to open (default: scenarios/default.toml)");
  app.add_option("--screenshot", options.screenshot,
                 "Draw a few frames, save the window as this PNG file and exit; with --smoke, "
                 "the folder for one PNG per panel");
  app.add_flag("--smoke", options.smoke,
               "Run the scenario briefly, compare and staff it, save each panel as a PNG in the "
               "--screenshot folder, exit 0 when all went well");
  app.add_option("--smoke-replications", options.smoke_replications,
                 "Replications of the smoke run (default 4)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--frame-log", options.frame_log,
                 "Write every frame's time (ms) and whether a run was going (1/0), one per line");
  app.add_option("--measure-run", options.measure_run,
                 "Start a run of N replications at once, print the frame times during it, exit")
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-frame-p95-ms", options.max_p95_ms,
                 "With --measure-run: exit 1 when the 95th percentile of frame times during the "
                 "run is above this many ms (a run holding up the UI thread)")
      ->check(CLI::PositiveNumber);
  app.add_option("--close-after-frames", options.close_after,
                 "Close the window after N frames, as its close button would (for tests: the "
                 "layout and recent files are kept as in normal use)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--size", size, "Window size, WxH (default: 1280x800)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (!size.empty() && !parseSize(size, options.width, options.height)) {
    std::cerr << "cxstudio: --size expects WIDTHxHEIGHT between 200 and 16384, e.g. 1280x800; "
                 "got '"
              << size << "'\n";
    return kExitBadInput;
  }
  if (options.smoke && options.screenshot.empty()) {
    std::cerr << "cxstudio: --smoke needs --screenshot DIR (the folder for the pictures)\n";
    return kExitBadInput;
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "cxstudio: " << e.what() << "\n";
    return kExitFailure;
  }
}
