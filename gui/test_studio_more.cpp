// More tests of the studio's parts that need no window: the recent-files list and the layout
// file's place in the user's config folder (XDG_CONFIG_HOME, HOME), numbers in CSV and in the
// dashboard's estimates, the sweep's prefill for scenarios with and without a bot, and a
// chart's PNG export, drawn by a Dear ImGui context with no window or renderer (the picture is
// taken on a frame after the one showing its context menu).
#include <doctest/doctest.h>
#include <imgui.h>
#include <unistd.h>  // getpid

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gui/app_state.hpp"
#include "gui/plot.hpp"
#include "gui/sweep_job.hpp"
#include "gui/widgets.hpp"

using namespace cx;
using namespace cx::studio;

namespace {

const std::filesystem::path kSourceDir = CX_SOURCE_DIR;

// Sets (or unsets, with nullptr) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = std::string(old);
    if (value != nullptr)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_.c_str(), old_->c_str(), 1);
    else
      unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A fresh folder under the system's temporary folder, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<std::string> lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string absoluteOf(const std::string& file) {
  return std::filesystem::absolute(file).lexically_normal().string();
}

}  // namespace

// -------------------------------------------------------------------------------------------
// Recent files and the layout file

TEST_CASE("config folder: XDG_CONFIG_HOME, else HOME/.config, else none") {
  const TempDir dir("cx_studio_config");
  {
    const ScopedEnv xdg("XDG_CONFIG_HOME", dir.path().c_str());
    const ScopedEnv home("HOME", "/home/someone");
    CHECK(configDir() == dir.path() / "cxstudio");
    CHECK(recentFile() == dir.path() / "cxstudio" / "recent.txt");
    // The layout next to the recent files: not imgui.ini in the folder the studio starts from.
    CHECK(layoutFile() == dir.path() / "cxstudio" / "imgui.ini");
  }
  {
    const ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
    const ScopedEnv home("HOME", "/home/someone");
    CHECK(layoutFile() == std::filesystem::path("/home/someone/.config/cxstudio/imgui.ini"));
    CHECK(recentFile() == std::filesystem::path("/home/someone/.config/cxstudio/recent.txt"));
  }
  {
    // The XDG spec: an empty or relative XDG_CONFIG_HOME is ignored.
    const ScopedEnv home("HOME", "/home/someone");
    for (const char* bad : {"", "relative/config"}) {
      const ScopedEnv xdg("XDG_CONFIG_HOME", bad);
      CHECK(configDir() == std::filesystem::path("/home/someone/.config/cxstudio"));
    }
  }
  {
    const ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
    const ScopedEnv home("HOME", nullptr);
    CHECK(configDir().empty());
    CHECK(layoutFile().empty());
    CHECK(recentFile().empty());
  }
}

TEST_CASE("recent files: most recent first, no repeats, at most ten, kept between sessions") {
  const TempDir dir("cx_studio_recent");
  const ScopedEnv xdg("XDG_CONFIG_HOME", dir.path().c_str());
  AppState state;
  state.persist = true;
  rememberRecent(state, "a.toml");
  rememberRecent(state, "sub/../b.toml");
  rememberRecent(state, "a.toml");  // again: moves to the front, not listed twice
  REQUIRE(state.recent.size() == 2);
  CHECK(state.recent[0] == absoluteOf("a.toml"));
  CHECK(state.recent[1] == absoluteOf("b.toml"));  // normalised
  CHECK(lines(dir.path() / "cxstudio" / "recent.txt") == state.recent);

  for (int i = 0; i < 12; ++i) rememberRecent(state, "f" + std::to_string(i) + ".toml");
  REQUIRE(state.recent.size() == kRecentMax);
  CHECK(state.recent.front() == absoluteOf("f11.toml"));
  CHECK(state.recent.back() == absoluteOf("f2.toml"));

  // The next session reads the same list back.
  AppState next;
  loadRecent(next);
  CHECK(next.recent == state.recent);
}

TEST_CASE("recent files: scripted runs (persist off) leave the user's list alone") {
  const TempDir dir("cx_studio_recent_off");
  const ScopedEnv xdg("XDG_CONFIG_HOME", dir.path().c_str());
  AppState state;
  state.persist = false;
  rememberRecent(state, "a.toml");
  CHECK(state.recent.size() == 1);  // the session's own list still has it
  CHECK_FALSE(std::filesystem::exists(dir.path() / "cxstudio" / "recent.txt"));

  AppState empty;
  loadRecent(empty);  // no file: an empty list, no error
  CHECK(empty.recent.empty());
}

TEST_CASE("recent files: opening and saving a scenario remember it") {
  const TempDir dir("cx_studio_recent_doc");
  const ScopedEnv xdg("XDG_CONFIG_HOME", (dir.path() / "config").c_str());
  AppState state;
  state.persist = true;
  const std::filesystem::path file = kSourceDir / "scenarios" / "default.toml";
  loadScenarioInto(state, file);
  REQUIRE(state.doc.valid());
  const std::filesystem::path copy = dir.path() / "copy.toml";
  REQUIRE(saveScenario(state, copy));
  const std::vector<std::string> kept = lines(dir.path() / "config" / "cxstudio" / "recent.txt");
  REQUIRE(kept.size() == 2);
  CHECK(kept[0] == copy.lexically_normal().string());
  CHECK(kept[1] == std::filesystem::absolute(file).lexically_normal().string());
  // A file that does not load is not remembered.
  loadScenarioInto(state, dir.path() / "missing.toml");
  CHECK(lines(dir.path() / "config" / "cxstudio" / "recent.txt").size() == 2);
}

// -------------------------------------------------------------------------------------------
// Numbers

TEST_CASE("CSV numbers: up to 10 significant digits, no float noise") {
  CHECK(plot::csvNumber(25.99999999999999) == "26");
  CHECK(plot::csvNumber(0.1 + 0.2) == "0.3");
  CHECK(plot::csvNumber(80.5) == "80.5");
  CHECK(plot::csvNumber(-0.0) == "0");
  CHECK(plot::csvNumber(1234567.25) == "1234567.25");
  CHECK(plot::csvNumber(0.00021034567891) == "0.0002103456789");
  CHECK(plot::csvNumber(std::nan("")).empty());
  CHECK(plot::csvNumber(INFINITY).empty());

  plot::Chart c;
  c.x = {0.5, 1.0000000000000002};
  c.x_unit = "hours";
  plot::Series s;
  s.label = "agents";
  s.y = {25.99999999999999, 3.0000000000000004};
  c.series = {s};
  CHECK(plot::chartCsv(c) == "hours,agents\n0.5,26\n1,3\n");
}

TEST_CASE("estimates: digits fit each metric, a small CI never rounds to 0") {
  auto text = [](double mean, double ci, double scale = 1.0, int n = 4) {
    Estimate e;
    e.mean = mean;
    e.ci95 = ci;
    e.n = n;
    return estimateText(e, scale);
  };
  CHECK(text(0.00211, 0.00024, 100.0) == "0.211 ± 0.024");  // churn, %: not "0.2 ± 0.0"
  CHECK(text(5.487, 0.041) == "5.487 ± 0.041");             // CES: not "5.5 ± 0.0"
  CHECK(text(0.775, 0.125, 100.0) == "77.5 ± 12.5");        // service level
  CHECK(text(13.52, 7.81) == "13.5 ± 7.8");                 // ASA
  CHECK(text(5.38, 0.36) == "5.38 ± 0.36");                 // cost per contact
  CHECK(text(630153.3, 64024.4) == "630,153 ± 64,024");     // money
  CHECK(text(95073.0, 155.2) == "95,073 ± 155");
  CHECK(text(0.2103, NAN, 1.0, 1) == "0.210");  // one replication: three significant digits
  CHECK(text(0.0, 0.0) == "0.0 ± 0.0");
  Estimate none;
  CHECK(estimateText(none) == "—");

  CHECK(estimateDecimals(0.21, 0.0021) == 4);     // a KPI card's "± 0.00" becomes "± 0.0021"
  CHECK(estimateDecimals(1.0e-9, 1.0e-12) == 6);  // at most six
  CHECK(decimalText(-0.0001, 2) == "0.00");
  CHECK(decimalText(1234567.891, 1) == "1,234,567.9");
}

// -------------------------------------------------------------------------------------------
// The sweep's prefill

TEST_CASE("sweep prefill: a scenario with a bot sweeps its team against the bot's containment") {
  const Scenario s = loadScenario(kSourceDir / "scenarios" / "bank_chat_ai_first.toml");
  REQUIRE(s.bot);
  REQUIRE(s.outcomes);
  SweepView view;
  prefillSweep(view, s);
  // The team behind the bot (chat), not the first group (phone).
  CHECK(view.vary[0].rfind("agent_groups.chat_team.agents=", 0) == 0);
  // Every reason sets its own containment: the one with most of the chats is swept, since
  // bot.containment would change nothing.
  CHECK(view.vary[1] == "intents.balance_transactions.bot_containment=0.4:0.95:0.15");
  CHECK(view.x == Metric::CostTotal);
  CHECK(std::string(metricInfo(view.y).name) == "csat");
  CHECK(std::string(metricInfo(view.colour).name) == "churn_rate");
  // The keys are ones the loader takes at every point of the grid.
  const SweepSpec spec = sweepSpecOf(view);
  REQUIRE(spec.ranges.size() == 2);
  const PreparedSweep prepared = prepareSweepOf(s, spec);
  CHECK(prepared.scenarios.size() == 5 * 4);
  CHECK(prepared.scenarios.front().agent_groups[1].agents == std::vector<int>{5});
}

TEST_CASE("sweep prefill: without [outcomes], service level and abandonment") {
  const Scenario s = loadScenario(kSourceDir / "scenarios" / "examples" / "ai_assistant.toml");
  REQUIRE(s.bot);
  REQUIRE_FALSE(s.outcomes);
  SweepView view;
  prefillSweep(view, s);
  CHECK(view.y == Metric::ServiceLevel);  // CSAT would be empty at every point
  CHECK(view.colour == Metric::AbandonRate);
  CHECK(view.vary[0].rfind("channels.chat.agents=", 0) == 0);  // the bot sits in front of chat
  CHECK(view.vary[1].rfind("intents.", 0) == 0);

  const Scenario plain = loadScenario(kSourceDir / "scenarios" / "default.toml");
  prefillSweep(view, plain);
  CHECK(view.vary[1].empty());  // no bot: one key
  CHECK(std::string(metricInfo(view.y).name) == "csat");
}

// -------------------------------------------------------------------------------------------
// A chart's PNG export, through its context menu

namespace {

// A Dear ImGui context with no window and no renderer: frames are built and "rendered" (draw
// lists made), which is all the plot module needs.
class HeadlessImGui {
 public:
  HeadlessImGui() : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280.0f, 800.0f);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(context_); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

  // One frame with the chart in a window (or without it); returns its export, if taken.
  std::optional<plot::PngRequest> frame(const plot::Chart* chart) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(900.0f, 600.0f));
    ImGui::Begin("charts");
    if (chart != nullptr) {
      ImGui::Dummy(ImVec2(10.0f, 30.0f));
      plot::drawChart(*chart, ImVec2(700.0f, 300.0f));
      chart_min_ = ImGui::GetItemRectMin();
      chart_max_ = ImGui::GetItemRectMax();
    }
    ImGui::End();
    ImGui::Render();
    return plot::takePngRequest();  // as main.cpp does after render()
  }
  ImVec2 chartMin() const { return chart_min_; }
  ImVec2 chartMax() const { return chart_max_; }

 private:
  ImGuiContext* context_;
  ImVec2 chart_min_, chart_max_;
};

plot::Chart sweepLikeChart() {
  plot::Chart c;
  c.id = "test_frontier";
  c.title = "CSAT";
  c.y_unit = "%";
  c.x_unit = "cost (money)";
  c.x = {100, 120, 140, 160};
  plot::Series points;
  points.label = "a point of the sweep";
  points.kind = plot::Kind::Points;
  points.y = {60, 66, 65, 70};
  for (double t : {0.0, 0.3, 0.6, 1.0}) points.point_colours.push_back(plot::rampColour(t));
  c.series = {points};
  plot::Overlay frontier;
  frontier.label = "Pareto frontier";
  frontier.x = {100, 120, 160};
  frontier.y = {60, 66, 70};
  c.overlays = {frontier};
  c.colour_scale = plot::ColourScale{"churn (%)", 0.2, 0.25};
  c.reference = 65.0;
  c.reference_label = "target 65%";
  return c;
}

}  // namespace

TEST_CASE("chart export: the picture is taken after the menu has closed, where the chart is") {
  HeadlessImGui imgui;
  const plot::Chart chart = sweepLikeChart();
  plot::exportFolder() = "exports";
  plot::scriptPngExport(chart.id);
  std::optional<plot::PngRequest> taken;
  int taken_frame = -1;
  for (int i = 0; i < 20 && !taken; ++i) {
    taken = imgui.frame(&chart);
    const plot::ExportScript& script = plot::exportScript();
    if (script.clicked_frame == ImGui::GetFrameCount()) {
      // The frame in which Save chart as was clicked still shows the menu: no picture yet.
      CHECK_FALSE(taken);
      CHECK(plot::pngExportPending());
      CHECK(script.menu_max.x > script.menu_min.x);
    }
    if (taken) taken_frame = ImGui::GetFrameCount();
  }
  REQUIRE(taken);
  CHECK(taken_frame > plot::exportScript().clicked_frame);
  CHECK_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
  CHECK_FALSE(plot::pngExportPending());
  CHECK(taken->file == std::filesystem::path("exports") / "test_frontier.png");
  CHECK(taken->min.x == imgui.chartMin().x);
  CHECK(taken->min.y == imgui.chartMin().y);
  CHECK(taken->max.x == imgui.chartMax().x);
  CHECK(taken->max.y == imgui.chartMax().y);
  // The menu was over the chart: it would have been in a picture of the click's frame.
  const plot::ExportScript& script = plot::exportScript();
  CHECK(script.menu_min.x < taken->max.x);
  CHECK(script.menu_min.y < taken->max.y);
  CHECK(script.menu_max.x > taken->min.x);
}

TEST_CASE("chart export: a chart gone before its picture is not saved, and says so") {
  HeadlessImGui imgui;
  const plot::Chart chart = sweepLikeChart();
  plot::scriptPngExport(chart.id);
  for (int i = 0; i < 20 && plot::exportScript().clicked_frame < 0; ++i) imgui.frame(&chart);
  REQUIRE(plot::exportScript().clicked_frame >= 0);
  REQUIRE(plot::pngExportPending());
  for (int i = 0; i < 130; ++i) CHECK_FALSE(imgui.frame(nullptr));  // the panel was closed
  CHECK_FALSE(plot::pngExportPending());
  CHECK(plot::lastExportMessage().rfind("Not saved: test_frontier.png", 0) == 0);
  plot::lastExportMessage().clear();
}
