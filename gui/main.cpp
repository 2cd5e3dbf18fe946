// cxstudio: the Dear ImGui desktop app of CX Sim (DESIGN.md §4). See docs/STUDIO.md.
//
//   cxstudio [SCENARIO.toml] [--size WxH] [--screenshot FILE.png]
//
// [SECTION] Command line
// [SECTION] Frame: the one place that decides which panels are drawn
// [SECTION] main

#include <imgui.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>

#include "gui/app_state.hpp"
#include "gui/panels.hpp"
#include "gui/platform.hpp"
#include "gui/screenshot.hpp"

#ifndef CX_SOURCE_DIR
#define CX_SOURCE_DIR "."
#endif

namespace cx::studio {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // no display, screenshot not written
constexpr int kExitBadInput = 2;

// Frames drawn before a screenshot: ImGui sizes auto-fitting windows and table columns from
// what it measured in earlier frames, so the first frame is not yet final.
constexpr int kScreenshotFrames = 4;

// -------------------------------------------------------------------------------------------
// [SECTION] Command line

struct Options {
  std::string scenario;  // empty: the default scenario
  std::string screenshot;
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
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Reload scenario", nullptr, false, !state.scenario_path.empty())) {
      state.pending_load = state.scenario_path;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit")) state.quit_requested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Scenario", nullptr, &state.open.scenario);
    ImGui::Separator();
    ImGui::MenuItem("ImGui metrics", nullptr, &state.open.metrics);
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void drawFrame(AppState& state) {
  drawMainMenu(state);
  if (state.open.scenario) drawScenarioPanel(state);
  if (state.open.metrics) ImGui::ShowMetricsWindow(&state.open.metrics);
}

// Loads what the UI asked for, between frames; prints problems to stderr as well, so a
// scripted run (--screenshot) leaves a trace.
void performPendingLoad(AppState& state, Platform& platform) {
  if (!state.pending_load) return;
  const std::filesystem::path file = *state.pending_load;
  state.pending_load.reset();
  loadScenarioInto(state, file);
  for (const std::string& line : state.load_errors) std::cerr << "cxstudio: " << line << "\n";
  platform.setTitle(windowTitle(state));
}

int run(const Options& options) {
  AppState state;
  state.pending_load =
      options.scenario.empty() ? defaultScenario() : std::filesystem::path(options.scenario);
  state.path_input = state.pending_load->string();

  const bool screenshot = !options.screenshot.empty();
  WindowOptions window;
  window.width = options.width;
  window.height = options.height;
  window.title = windowTitle(state);
  window.save_layout = !screenshot;

  Platform platform;
  std::string error;
  if (!platform.open(window, error)) {
    std::cerr << "cxstudio: " << error << "\n";
    return kExitFailure;
  }

  int frames_left = kScreenshotFrames;
  while (!platform.shouldClose() && !state.quit_requested) {
    performPendingLoad(state, platform);
    platform.beginFrame();
    drawFrame(state);
    platform.render();
    if (screenshot && --frames_left == 0) {
      if (!writePng(platform.readBackBuffer(), options.screenshot, error)) {
        std::cerr << "cxstudio: " << error << "\n";
        return kExitFailure;
      }
      return kExitOk;
    }
    platform.present();
  }
  return kExitOk;
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
                 "Draw a few frames, save the window as this PNG file and exit");
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
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "cxstudio: " << e.what() << "\n";
    return kExitFailure;
  }
}
