// Tests of the studio's parts that do not need a window: the plot module's ticks, numbers and
// CSV, the scenario writer (every shipped scenario round-trips through it), the editor's
// document (validation by the loader, undo/redo, unsaved state) and the run job.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "gui/app_state.hpp"
#include "gui/plot.hpp"
#include "gui/run_job.hpp"
#include "gui/scenario_toml.hpp"
#include "gui/sweep_job.hpp"
#include "sim/experiment.hpp"

using namespace cx;
using namespace cx::studio;

namespace {

const std::filesystem::path kSource = CX_SOURCE_DIR;

std::vector<std::filesystem::path> shippedScenarios() {
  std::vector<std::filesystem::path> out{kSource / "scenarios/default.toml"};
  for (const auto& dir : {"scenarios/examples", "scenarios/validation"})
    for (const auto& entry : std::filesystem::directory_iterator(kSource / dir))
      if (entry.path().extension() == ".toml") out.push_back(entry.path());
  return out;
}

// Waits for a job on another thread, failing the test after `seconds`.
template <typename Done>
bool waitFor(Done done, double seconds = 60.0) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace

TEST_CASE("plot: nice ticks cover the range with steps of 1, 2 or 5 times a power of ten") {
  const std::pair<double, double> ranges[] = {{0, 1},           {0, 97}, {-3.2, 7.9}, {1234, 1301},
                                              {0.0012, 0.0049}, {5, 5},  {0, 1e6}};
  for (const auto& [lo, hi] : ranges) {
    CAPTURE(lo);
    CAPTURE(hi);
    const plot::Ticks t = plot::niceTicks(lo, hi, 6);
    CHECK(t.first <= lo + 1e-12);
    CHECK(t.last() >= hi - 1e-12);
    CHECK(t.count >= 2);
    CHECK(t.count <= 8);  // at most max_ticks plus the two widened ends
    const double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step)));
    CHECK((std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
           std::abs(mantissa - 5) < 1e-9));
  }
  const plot::Ticks t = plot::niceTicks(0, 97, 6);
  CHECK(t.step == doctest::Approx(20));
  CHECK(t.first == 0);
  CHECK(t.last() == doctest::Approx(100));
}

TEST_CASE("plot: numbers follow the tick step") {
  CHECK(plot::formatValue(40, 20) == "40");
  CHECK(plot::formatValue(0.25, 0.05) == "0.25");
  CHECK(plot::formatValue(-0.0001, 0.1) == "0.0");
  CHECK(plot::formatValue(15000, 5000) == "15k");
  CHECK(plot::formatValue(std::nan(""), 1) == "—");
}

TEST_CASE("plot: CSV quotes what needs quoting and leaves undefined values empty") {
  plot::Table t{"t", {"name", "value"}, {{"a, b", "1"}, {"say \"hi\"", "2"}}};
  CHECK(plot::tableCsv(t) == "name,value\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n");

  plot::Chart c;
  c.categories = {"08:00", "08:30"};
  c.x_unit = "interval";
  c.y_unit = "%";
  plot::Series s;
  s.label = "phone";
  s.y = {80.5, std::nan("")};
  s.lo = {75, std::nan("")};
  s.hi = {86, std::nan("")};
  c.series = {s};
  CHECK(plot::chartCsv(c) ==
        "interval,phone (%),phone ci95 low,phone ci95 high\n08:00,80.5,75,86\n08:30,,,\n");
}

TEST_CASE("scenario writer: every shipped scenario loads back to the same text") {
  for (const auto& file : shippedScenarios()) {
    CAPTURE(file.string());
    const Scenario original = loadScenario(file);
    const std::string text = scenarioToToml(original);
    Scenario again;
    REQUIRE_NOTHROW(again = parseScenario(text, "written", file.parent_path()));
    CHECK(scenarioToToml(again) == text);
    // A few values checked directly, so an omission in both directions cannot hide.
    REQUIRE(again.channels.size() == original.channels.size());
    CHECK(again.channels[0].arrivals.per_hour == original.channels[0].arrivals.per_hour);
    CHECK(again.channels[0].handle_time.mean_s ==
          doctest::Approx(original.channels[0].handle_time.mean_s));
    CHECK(again.agent_groups.size() == original.agent_groups.size());
    CHECK(again.intents.size() == original.intents.size());
    CHECK(again.bot.has_value() == original.bot.has_value());
    CHECK(again.costs.has_value() == original.costs.has_value());
    CHECK(again.open_s == original.open_s);
  }
}

TEST_CASE("scenario writer: shifts are written back as shifts, unless their agents were edited") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "shifts"
horizon_hours = 24

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 30 }
handle_time = { dist = "exponential", mean_s = 240 }
shifts = [{ start = "06:00", hours = 8, agents = 5, breaks = [{ start = "10:00", minutes = 60 }] },
          { start = "14:00", hours = 10, agents = 3 }]
)",
                                   "shifts.toml");
  const std::string text = scenarioToToml(s);
  CHECK(text.find("shifts = [") != std::string::npos);
  CHECK(text.find("agents = [") == std::string::npos);
  const Scenario again = parseScenario(text, "written");
  CHECK(again.channels[0].agents == s.channels[0].agents);
  CHECK(again.channels[0].on_break == s.channels[0].on_break);
  // An edit of the agents in the editor is kept: the list is written instead of the shifts.
  Scenario edited = s;
  edited.channels[0].agents[12] += 2;
  const Scenario kept = parseScenario(scenarioToToml(edited), "edited");
  CHECK(kept.channels[0].shifts.empty());
  CHECK(kept.channels[0].agents == edited.channels[0].agents);
}

TEST_CASE("editor document: the loader's verdict, undo, redo and the unsaved mark") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/default.toml");
  REQUIRE(state.doc.valid());
  CHECK_FALSE(state.doc.dirty());
  CHECK(windowTitle(state) == "CX Studio \u2014 default.toml");

  // An edit in progress (a widget still active) is checked at once but not yet an undo step.
  state.doc.scenario->channels[0].handle_time.mean_s = -5.0;
  trackEdits(state.doc, true);
  CHECK(state.doc.dirty());
  CHECK(state.doc.undo.empty());
  REQUIRE_FALSE(state.doc.problems.empty());
  CHECK(state.doc.problems.front().key.rfind("channels[0].handle_time", 0) == 0);
  CHECK(windowTitle(state).find("unsaved") != std::string::npos);

  trackEdits(state.doc, false);  // the widget let go: one undo step
  CHECK(state.doc.undo.size() == 1);

  undo(state.doc);
  trackEdits(state.doc, false);
  CHECK(state.doc.scenario->channels[0].handle_time.mean_s == doctest::Approx(300.0));
  CHECK(state.doc.problems.empty());
  CHECK_FALSE(state.doc.dirty());
  redo(state.doc);
  trackEdits(state.doc, false);
  CHECK(state.doc.scenario->channels[0].handle_time.mean_s == doctest::Approx(-5.0));
  CHECK_FALSE(state.doc.valid());
}

TEST_CASE("editor document: a broken file keeps the scenario open before") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/default.toml");
  state.doc.scenario->name = "edited";
  trackEdits(state.doc, false);
  loadScenarioInto(state, kSource / "tests/bad_scenarios/bad_kind.toml");
  CHECK_FALSE(state.load_errors.empty());
  REQUIRE(state.doc.scenario);
  CHECK(state.doc.scenario->name == "edited");
  CHECK(state.doc.path.filename() == "default.toml");
}

TEST_CASE("editor document: save writes what loads back and clears the mark") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/default.toml");
  state.doc.scenario->channels[1].agents[3] = 99;
  trackEdits(state.doc, false);
  const auto file = std::filesystem::temp_directory_path() / "cxstudio_test_save.toml";
  REQUIRE(saveScenario(state, file));
  CHECK_FALSE(state.doc.dirty());
  CHECK(loadScenario(file).channels[1].agents[3] == 99);
  std::filesystem::remove(file);
}

TEST_CASE("run job: the studio's results equal runExperiment's, and the live view finishes") {
  Scenario s = loadScenario(kSource / "scenarios/examples/hourly_day.toml");
  s.days = 1;  // one day: live slots and the day's intervals line up one to one
  RunJob job;
  job.start(s, RunSettings{4, 7, 2});
  REQUIRE(waitFor([&] { return !job.running(); }));
  const auto outcome = job.takeOutcome();
  REQUIRE(outcome);
  CHECK(job.done() == 4);
  ExperimentOptions options;
  options.seed = 7;
  options.replications = 4;
  options.threads = 1;
  const ExperimentResult direct = runExperiment(s, options);
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const double a = outcome->result.overall[m].mean, b = direct.overall[m].mean;
    if (std::isnan(b))
      CHECK(std::isnan(a));
    else
      CHECK(a == b);  // same streams: identical, not just close
  }
  const auto live = job.liveSince(0);
  REQUIRE(live);
  CHECK(live->finished);
  REQUIRE_FALSE(live->busy.empty());
  // The live replication is the run's first one: per interval, its agents busy and contacts
  // waiting equal that replication's own figures (the last interval aside, where the drain
  // after closing is added to the live slot but kept out of the interval's metrics).
  const ReplicationMetrics rep0 = runReplication(s, 7, 0);
  REQUIRE(live->busy.size() == rep0.intervals.size());
  for (std::size_t k = 0; k + 1 < rep0.intervals.size(); ++k) {
    CAPTURE(k);
    CHECK(live->busy[k] ==
          doctest::Approx(rep0.intervals[k][static_cast<std::size_t>(Metric::BusyMean)]));
    CHECK(live->queue[k] ==
          doctest::Approx(rep0.intervals[k][static_cast<std::size_t>(Metric::QueueMean)]));
  }
}

TEST_CASE("run job: cancel stops between replications and keeps a prefix") {
  Scenario s = loadScenario(kSource / "scenarios/default.toml");
  RunJob job;
  job.start(s, RunSettings{400, 1, 1});
  REQUIRE(waitFor([&] { return job.done() >= 1; }));
  job.cancel();
  REQUIRE(waitFor([&] { return !job.running(); }));
  const auto outcome = job.takeOutcome();
  REQUIRE(outcome);
  CHECK(outcome->result.cancelled);
  CHECK(outcome->result.replications < 400);
  CHECK(outcome->result.replications >= 1);
}

TEST_CASE("sweep view: the edited scenario's grid runs exactly as cxsim sweep runs the file") {
  const std::filesystem::path file = kSource / "scenarios/examples/hourly_day.toml";
  Scenario s = loadScenario(file);
  SweepView view;
  prefillSweep(view, s);
  const ChannelSpec& ch = s.channels.front();
  CHECK(view.vary[0].rfind("channels." + ch.id + ".agents=", 0) == 0);
  view.vary[0] = "channels." + ch.id + ".agents=" + std::to_string(ch.agents.front()) + ":" +
                 std::to_string(ch.agents.front() + 4) + ":2";
  view.vary[1].clear();
  const SweepSpec spec = sweepSpecOf(view);
  REQUIRE(spec.ranges.size() == 1);
  // An unedited document: the studio's points and the command line's are the same scenarios,
  // so with the same seed the results are identical, not just close.
  const PreparedSweep ours = prepareSweepOf(s, spec);
  SweepSpec on_file = spec;
  on_file.file = file;
  const PreparedSweep theirs = prepareSweep(on_file, 1);
  REQUIRE(ours.scenarios.size() == 3);
  REQUIRE(theirs.scenarios.size() == 3);
  ExperimentOptions options;
  options.seed = 3;
  options.replications = 2;
  options.threads = 2;
  const SweepResult a = runSweep(spec, ours, options), b = runSweep(on_file, theirs, options);
  REQUIRE(a.points.size() == 3);
  for (std::size_t p = 0; p < 3; ++p) {
    CHECK(ours.scenarios[p].channels.front().agents ==
          std::vector<int>{ch.agents.front() + 2 * static_cast<int>(p)});
    CHECK(a.points[p].overall[static_cast<std::size_t>(Metric::ServiceLevel)].mean ==
          b.points[p].overall[static_cast<std::size_t>(Metric::ServiceLevel)].mean);
    CHECK(a.points[p].overall[static_cast<std::size_t>(Metric::AsaS)].mean ==
          b.points[p].overall[static_cast<std::size_t>(Metric::AsaS)].mean);
  }
  // More agents, better service: the grid really changed the staffing.
  CHECK(a.points[2].overall[static_cast<std::size_t>(Metric::ServiceLevel)].mean >
        a.points[0].overall[static_cast<std::size_t>(Metric::ServiceLevel)].mean);

  // An edit in the editor reaches every point (no save needed).
  s.channels.front().handle_time.mean_s *= 2.0;
  const PreparedSweep edited = prepareSweepOf(s, spec);
  CHECK(edited.scenarios[0].channels.front().handle_time.mean_s ==
        doctest::Approx(s.channels.front().handle_time.mean_s));
}

TEST_CASE("sweep view: bad ranges and values the loader rejects are reported, not run") {
  Scenario s = loadScenario(kSource / "scenarios/examples/hourly_day.toml");
  SweepView view;
  view.vary = {"", ""};
  CHECK_THROWS_AS(sweepSpecOf(view), std::invalid_argument);
  view.vary[0] = "channels[0].agents=10:20";  // no step: the studio sweeps grids only
  CHECK_THROWS_WITH_AS(sweepSpecOf(view), doctest::Contains("LO:HI:STEP"), std::invalid_argument);
  view.vary[0] = "scenario.days=-1:1:1";
  const SweepSpec spec = sweepSpecOf(view);
  try {
    prepareSweepOf(s, spec);
    FAIL("a negative day count was accepted");
  } catch (const ScenarioError& e) {
    REQUIRE_FALSE(e.diagnostics().empty());
    CHECK(e.diagnostics().front().file.find("scenario.days=-1:1:1") != std::string::npos);
  }
}
