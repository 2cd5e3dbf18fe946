// Tests of the studio's parts that do not need a window: the plot module's ticks, numbers and
// CSV, the scenario writer (every shipped scenario round-trips through it), the editor's
// document (validation by the loader, undo/redo, unsaved state) and the run job.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "gui/app_state.hpp"
#include "gui/plot.hpp"
#include "gui/run_job.hpp"
#include "gui/scenario_toml.hpp"
#include "gui/sweep_job.hpp"
#include "sim/calibration.hpp"
#include "sim/experiment.hpp"

using namespace cx;
using namespace cx::studio;

namespace {

const std::filesystem::path kSource = CX_SOURCE_DIR;

// Every scenario shipped: scenarios/*.toml, scenarios/examples/*.toml, scenarios/validation/*.toml.
std::vector<std::filesystem::path> shippedScenarios() {
  std::vector<std::filesystem::path> out;
  for (const auto& dir : {"scenarios", "scenarios/examples", "scenarios/validation"})
    for (const auto& entry : std::filesystem::directory_iterator(kSource / dir))
      if (entry.is_regular_file() && entry.path().extension() == ".toml")
        out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every field of a scenario as text, one line each ("channels[0].arrivals.per_hour = [...]"),
// written here independently of the writer, so a key the writer drops or garbles shows as a
// differing line. Numbers in their shortest exact form: equal text means equal values. Left
// out: where values were read from (source_path, SourceLoc, an empirical sample's CSV name,
// which a save turns into inline values, docs/STUDIO.md) and the calibration's provenance.
struct Dump {
  std::vector<std::string> lines;
  template <typename T>
  void operator()(const std::string& key, const T& value) {
    lines.push_back(fmt::format("{} = {}", key, value));
  }
  template <typename T>
  void list(const std::string& key, const std::vector<T>& values) {
    lines.push_back(fmt::format("{} = [{}]", key, fmt::join(values, ", ")));
  }
  void dist(const std::string& key, const DistSpec& d) {
    (*this)(key + ".kind", toString(d.kind));
    (*this)(key + ".mean_s", d.mean_s);
    (*this)(key + ".cv", d.cv);
    list(key + ".values_s", d.values_s);
  }
  template <typename T>
  void pairs(const std::string& key, const std::vector<std::pair<std::string, T>>& values) {
    for (const auto& [k, v] : values) (*this)(key + "." + k, v);
  }
  void shifts(const std::string& key, const std::vector<ShiftSpec>& shifts) {
    (*this)(key + ".size", shifts.size());
    for (std::size_t i = 0; i < shifts.size(); ++i) {
      const ShiftSpec& sh = shifts[i];
      const std::string k = fmt::format("{}[{}]", key, i);
      (*this)(k + ".start_s", sh.start_s);
      (*this)(k + ".hours", sh.hours);
      (*this)(k + ".agents", sh.agents);
      for (std::size_t b = 0; b < sh.breaks.size(); ++b) {
        (*this)(fmt::format("{}.breaks[{}].start_s", k, b), sh.breaks[b].start_s);
        (*this)(fmt::format("{}.breaks[{}].minutes", k, b), sh.breaks[b].minutes);
      }
    }
  }
};

std::vector<std::string> describe(const Scenario& s) {
  Dump d;
  d("name", s.name);
  d("horizon_hours", s.horizon_hours);
  d("warmup_hours", s.warmup_hours);
  d("days", s.days);
  d("open_s", s.open_s);
  d("interval_minutes", s.interval_minutes);
  d("seed", s.seed);
  d("replications", s.replications);
  d("channels.size", s.channels.size());
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    const ChannelSpec& ch = s.channels[c];
    const std::string k = fmt::format("channels[{}]", c);
    d(k + ".id", ch.id);
    d(k + ".kind", toString(ch.kind));
    d.list(k + ".agents", ch.agents);
    d.shifts(k + ".shifts", ch.shifts);
    d.list(k + ".on_break", ch.on_break);
    d.list(k + ".arrivals.per_hour", ch.arrivals.per_hour);
    d(k + ".arrivals.busyness_alpha", ch.arrivals.busyness_alpha);
    d.list(k + ".arrivals.day_factors", ch.arrivals.day_factors);
    d.dist(k + ".handle_time", ch.handle_time);
    d(k + ".patience", ch.patience.has_value());
    if (ch.patience) d.dist(k + ".patience", *ch.patience);
    d(k + ".balk_probability", ch.balk_probability);
    d(k + ".service_level.threshold_s", ch.service_level.threshold_s);
    d(k + ".service_level.target", ch.service_level.target);
    d(k + ".concurrency", ch.concurrency);
    d.list(k + ".concurrency_slowdown", ch.concurrency_slowdown);
    d(k + ".silent_abandon", ch.silent_abandon);
    d(k + ".silent_discovery_s", ch.silent_discovery_s);
  }
  d("agent_groups.size", s.agent_groups.size());
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    const AgentGroupSpec& group = s.agent_groups[g];
    const std::string k = fmt::format("agent_groups[{}]", g);
    d(k + ".id", group.id);
    d.list(k + ".channels", group.channels);
    d.list(k + ".agents", group.agents);
    d.shifts(k + ".shifts", group.shifts);
    d.list(k + ".on_break", group.on_break);
    d.list(k + ".intents", group.intents);
    d(k + ".empathy", group.empathy);
    d(k + ".professionalism", group.professionalism);
    d(k + ".fcr_uplift", group.fcr_uplift);
    d(k + ".proficiency", group.proficiency);
    d(k + ".cost_per_hour", group.cost_per_hour ? fmt::format("{}", *group.cost_per_hour) : "-");
  }
  d("costs", s.costs.has_value());
  if (s.costs) {
    d("costs.agent_per_hour", s.costs->agent_per_hour);
    d("costs.shrinkage", s.costs->shrinkage);
  }
  d("intents.size", s.intents.size());
  for (std::size_t i = 0; i < s.intents.size(); ++i) {
    const IntentSpec& in = s.intents[i];
    const std::string k = fmt::format("intents[{}]", i);
    d(k + ".id", in.id);
    d(k + ".complexity", toString(in.complexity));
    d(k + ".handle_factor", in.handle_factor);
    d(k + ".fcr", in.fcr);
    d(k + ".bot_containment", in.bot_containment ? fmt::format("{}", *in.bot_containment) : "-");
    d.pairs(k + ".share", in.share);
    d(k + ".transfer", in.transfer.has_value());
    if (in.transfer) {
      d(k + ".transfer.to", in.transfer->to);
      d(k + ".transfer.share", in.transfer->share);
      d.dist(k + ".transfer.after", in.transfer->after);
    }
  }
  d("bot", s.bot.has_value());
  if (s.bot) {
    const BotSpec& b = *s.bot;
    d.list("bot.channels", b.channels);
    d.dist("bot.conversation", b.conversation);
    d("bot.containment", b.containment);
    d("bot.cold", b.cold);
    d("bot.cold_handle_factor", b.cold_handle_factor);
    d("bot.loop_turns", b.loop_turns);
    d("bot.turn_s", b.turn_s);
    d("bot.loop_abandon", b.loop_abandon);
    d("bot.false_containment", b.false_containment);
    d("bot.escalated_handle_factor", b.escalated_handle_factor);
    d("bot.cost_per_conversation", b.cost_per_conversation);
  }
  d("journeys", s.journeys.has_value());
  if (s.journeys) {
    const JourneySpec& j = *s.journeys;
    d("journeys.retry_unresolved", j.retry_unresolved);
    d("journeys.retry_abandoned", j.retry_abandoned);
    d.dist("journeys.delay", j.delay);
    for (const auto& [from, row] : j.switch_rows) d.pairs("journeys.switch." + from, row);
    d("journeys.shared_context", j.shared_context);
    d("journeys.repeat_handle_factor", j.repeat_handle_factor);
    d("journeys.repeat_fcr_factor", j.repeat_fcr_factor);
    d("journeys.max_contacts", j.max_contacts);
    d("journeys.promise_follow_up", j.promise_follow_up);
    d("journeys.broken_promise", j.broken_promise);
  }
  d("empowerment", s.empowerment.has_value());
  if (s.empowerment) {
    const EmpowermentSpec& e = *s.empowerment;
    d("empowerment.extra_minutes", e.extra_minutes);
    for (Complexity c : e.needs) d("empowerment.needs", toString(c));
    d("empowerment.use", e.use);
    d("empowerment.fcr_gain", e.fcr_gain);
  }
  d("outcomes", s.outcomes.has_value());
  if (s.outcomes) {
    const OutcomesSpec& o = *s.outcomes;
    d("outcomes.customers", o.customers);
    d("outcomes.value_per_year", o.value_per_year ? fmt::format("{}", *o.value_per_year) : "-");
    d("outcomes.response_rate", o.response_rate ? fmt::format("{}", *o.response_rate) : "-");
    d("outcomes.calibration_file", o.calibration_file);
    d("outcomes.calibration", o.calibration != nullptr);
    if (o.calibration)  // the calibration in force, every key of data/calibration.toml
      for (const std::string& key : calibrationKeys())
        d("outcomes.calibration." + key, calibrationValue(*o.calibration, key).value_or(-1.0));
  }
  return d.lines;
}

// Save `original` the studio's way and load it back: every field is the same, and saving the
// loaded one writes the same text.
void checkRoundTrip(const Scenario& original, const std::filesystem::path& base_dir) {
  const std::string text = scenarioToToml(original);
  Scenario again;
  REQUIRE_NOTHROW(again = parseScenario(text, "written", base_dir));
  CHECK(scenarioToToml(again) == text);
  const std::vector<std::string> before = describe(original), after = describe(again);
  REQUIRE(before.size() > 20);
  CHECK(after.size() == before.size());
  for (std::size_t i = 0; i < std::min(before.size(), after.size()); ++i) {
    CAPTURE(before[i]);
    CHECK(after[i] == before[i]);
    if (after[i] != before[i]) break;  // one line is enough to see what is wrong
  }
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

TEST_CASE("scenario writer: every shipped scenario loads back with every field the same") {
  const auto files = shippedScenarios();
  CHECK(files.size() >= 16);  // 8 in scenarios/, 7 examples, 1 validation: none skipped
  for (const auto& file : files) {
    CAPTURE(file.string());
    checkRoundTrip(loadScenario(file), file.parent_path());
  }
}

TEST_CASE("scenario writer: every optional key, set away from its default, loads back") {
  // default.toml (intents, costs, outcomes; no groups, no bot) with what no shipped file has.
  const std::filesystem::path dir = kSource / "scenarios";
  std::string text = readText(dir / "default.toml");
  text += R"(
[empowerment]
extra_minutes = 12.5
needs = ["emotional", "routine"]
use = 0.8
fcr_gain = 0.15

[journeys]
retry_unresolved = 0.7
retry_abandoned = 0.4
delay = { dist = "gamma", mean_s = 5400, cv = 0.7 }
switch = { chat = { chat = 0.25, phone = 0.75 } }
shared_context = false
repeat_handle_factor = 1.2
repeat_fcr_factor = 0.85
max_contacts = 3
promise_follow_up = 0.3
broken_promise = 0.2
)";
  Scenario s = parseScenario(text, "default+empowerment.toml", dir);
  REQUIRE(s.empowerment);
  REQUIRE(s.outcomes);
  s.outcomes->response_rate = 0.25;
  s.outcomes->value_per_year = 410.5;
  refreshCalibration(s, dir);
  s.channels[0].arrivals.day_factors = {1.2, 1, 0.95, 0.9, 1.1, 0.5, 0.25};
  s.channels[0].silent_discovery_s = 45;  // kept although it matters only with silent_abandon
  s.channels[1].concurrency = 3;
  s.channels[1].concurrency_slowdown = {1, 1.1, 1.3};
  s.intents[0].bot_containment = 0.55;
  checkRoundTrip(s, dir);

  // A calibration file of the scenario's own on top of data/calibration.toml: the studio's
  // calibration (refreshCalibration) is the one the loader builds.
  const auto tmp = std::filesystem::temp_directory_path() / "cxstudio_test_calibration";
  std::filesystem::create_directories(tmp);
  {
    std::ofstream cal(tmp / "own.toml");
    cal << "[satisfaction.survey]\nresponse_rate = { value = 0.3, label = \"assumed\", "
           "source = \"test\" }\n[customers]\nvalue_per_year = { value = 123, label = "
           "\"assumed\", source = \"test\" }\n";
  }
  s.outcomes->calibration_file = "own.toml";
  s.outcomes->response_rate.reset();
  refreshCalibration(s, tmp);
  REQUIRE(s.outcomes->calibration);
  CHECK(s.outcomes->calibration->satisfaction.response_rate == 0.3);
  CHECK(s.outcomes->calibration->customers.value_per_year == 410.5);  // the scenario's own
  checkRoundTrip(s, tmp);
  std::filesystem::remove_all(tmp);

  // Groups with intent skills and a transfer to specialists who take transfers only.
  Scenario g = loadScenario(kSource / "scenarios/software_support_email.toml");
  REQUIRE_FALSE(g.agent_groups.empty());
  REQUIRE(std::any_of(g.intents.begin(), g.intents.end(),
                      [](const IntentSpec& in) { return in.transfer.has_value(); }));
  g.intents[0].transfer =
      TransferSpec{g.agent_groups.back().id, 0.35, DistSpec::lognormal(75, 0.5), {}};
  checkRoundTrip(g, g.source_path.parent_path());
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

// One edit the way the panel makes it (the widget changes the scenario in place, the frame
// ends with trackEdits): it must mark the document unsaved, reach the TOML, and undo must
// bring back the state before it, saved mark included.
template <typename Edit>
void checkEditAndUndo(AppState& state, const std::string& toml_fragment, Edit edit) {
  CAPTURE(toml_fragment);
  Document& doc = state.doc;
  REQUIRE_FALSE(doc.dirty());
  const std::string before = doc.current_toml;
  const std::vector<std::string> fields = describe(*doc.scenario);
  edit(*doc.scenario);
  trackEdits(doc, false);
  CHECK(doc.dirty());
  CHECK(doc.undo.size() == 1);
  CHECK(doc.current_toml.find(toml_fragment) != std::string::npos);
  std::string problems;
  for (const Diagnostic& d : doc.problems) problems += d.key + ": " + d.message + "\n";
  CAPTURE(problems);
  CHECK(doc.problems.empty());
  undo(doc);
  trackEdits(doc, false);
  CHECK_FALSE(doc.dirty());
  CHECK(doc.current_toml == before);
  CHECK(describe(*doc.scenario) == fields);
  CHECK(doc.redo.size() == 1);
  doc.redo.clear();
}

TEST_CASE("editor document: the new sections' edits mark it unsaved and undo restores them") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/default.toml");
  REQUIRE(state.doc.valid());
  REQUIRE_FALSE(state.doc.scenario->journeys);
  REQUIRE_FALSE(state.doc.scenario->empowerment);

  // Optional tables switched on with their defaults load without problems.
  checkEditAndUndo(state, "[journeys]\nretry_unresolved = 0\n",
                   [](Scenario& s) { s.journeys = defaultJourneys(); });
  checkEditAndUndo(state,
                   "[empowerment]\nextra_minutes = 15\nneeds = [\"complex\", "
                   "\"emotional\"]\nuse = 1\nfcr_gain = 0\n",
                   [](Scenario& s) { s.empowerment = defaultEmpowerment(); });
  checkEditAndUndo(state, "day_factors = [1.2, 1, 1, 1, 1, 0.6, 0.4]", [](Scenario& s) {
    s.channels[0].arrivals.day_factors = {1.2, 1, 1, 1, 1, 0.6, 0.4};
  });
  checkEditAndUndo(state, "response_rate = 0.2\n", [](Scenario& s) {
    s.outcomes->response_rate = 0.2;
    refreshCalibration(s, kSource / "scenarios");
    CHECK(s.outcomes->calibration->satisfaction.response_rate == 0.2);
  });
  // The switch matrix: a row for chat, then three quarters of its customers to the phone.
  checkEditAndUndo(state, "switch = { chat = { chat = 0.25, phone = 0.75 } }", [](Scenario& s) {
    s.journeys = defaultJourneys();
    s.journeys->retry_unresolved = 0.5;
    setSwitchRow(*s.journeys, "chat", true);
    CHECK(switchProbability(*s.journeys, "chat", "chat") == 1.0);
    setSwitchProbability(*s.journeys, "chat", "chat", 0.25);
    setSwitchProbability(*s.journeys, "chat", "phone", 0.75);
  });
  // Saved with [journeys], then edited: undo gives back the saved values exactly.
  state.doc.scenario->journeys = defaultJourneys();
  state.doc.scenario->journeys->repeat_fcr_factor = 0.9;
  trackEdits(state.doc, false);
  const auto file = std::filesystem::temp_directory_path() / "cxstudio_test_journeys.toml";
  REQUIRE(saveScenario(state, file));
  state.doc.undo.clear();
  checkEditAndUndo(state, "repeat_fcr_factor = 0.7\n",
                   [](Scenario& s) { s.journeys->repeat_fcr_factor = 0.7; });
  checkEditAndUndo(state, "max_contacts = 8\n", [](Scenario& s) { s.journeys->max_contacts = 8; });
  CHECK(loadScenario(file).journeys->repeat_fcr_factor == 0.9);
  std::filesystem::remove(file);

  // A value out of range is reported under its key as the user types, and undo clears it.
  state.doc.scenario->journeys->retry_abandoned = 1.5;
  trackEdits(state.doc, true);
  REQUIRE(state.doc.problems.size() == 1);
  CHECK(state.doc.problems.front().key == "journeys.retry_abandoned");
  trackEdits(state.doc, false);
  undo(state.doc);
  trackEdits(state.doc, false);
  CHECK(state.doc.problems.empty());
  CHECK_FALSE(state.doc.dirty());
}

TEST_CASE("editor document: transfers and intent skills of agent groups, edited and undone") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/software_support_email.toml");
  REQUIRE(state.doc.valid());
  const Scenario& loaded = *state.doc.scenario;
  const auto specialists = std::find_if(loaded.agent_groups.begin(), loaded.agent_groups.end(),
                                        [](const AgentGroupSpec& g) { return !g.intents.empty(); });
  REQUIRE(specialists != loaded.agent_groups.end());
  const std::size_t g = static_cast<std::size_t>(specialists - loaded.agent_groups.begin());
  // An intent without a transfer gets one, to the last group (the specialists here).
  const auto plain = std::find_if(loaded.intents.begin(), loaded.intents.end(),
                                  [](const IntentSpec& in) { return !in.transfer; });
  REQUIRE(plain != loaded.intents.end());
  const std::size_t i = static_cast<std::size_t>(plain - loaded.intents.begin());
  const std::string id = plain->id;
  checkEditAndUndo(state,
                   "transfer = { to = \"" + loaded.agent_groups.back().id +
                       "\", share = 1, after = { dist = \"exponential\", mean_s = 120 } }",
                   [&](Scenario& s) {
                     s.intents[i].transfer = defaultTransfer(s);
                     setChosen(s.agent_groups[g].intents, id, true);
                   });
  // The specialists take one reason more; ticking it twice changes nothing.
  checkEditAndUndo(state, "\"" + id + "\"]", [&](Scenario& s) {
    setChosen(s.agent_groups[g].intents, id, true);
    setChosen(s.agent_groups[g].intents, id, true);
  });
  // A reason no group takes is reported, under the key the panel shows it at.
  Document& doc = state.doc;
  doc.scenario->agent_groups[g].intents = {"no_such_reason"};
  trackEdits(doc, false);
  REQUIRE_FALSE(doc.problems.empty());
  CHECK(std::any_of(doc.problems.begin(), doc.problems.end(), [&](const Diagnostic& d) {
    return d.key == fmt::format("agent_groups[{}].intents[0]", g);
  }));
  undo(doc);
  trackEdits(doc, false);
  CHECK(doc.problems.empty());
  CHECK_FALSE(doc.dirty());
}

TEST_CASE("editor document: shifts edited as the Agents tab does stay shifts; undo restores") {
  AppState state;
  state.persist = false;
  loadScenarioInto(state, kSource / "scenarios/retail_peak_week.toml");
  REQUIRE(state.doc.valid());
  REQUIRE_FALSE(state.doc.scenario->agent_groups.front().shifts.empty());
  // Three more agents on the first shift: laid out again, still written as shifts.
  checkEditAndUndo(state, "{ start = \"08:00\", hours = 8, agents = 20, breaks", [](Scenario& s) {
    const int before = s.agent_groups[0].agents[0];
    s.agent_groups[0].shifts[0].agents += 3;
    expandShifts(s);
    CHECK(s.agent_groups[0].agents[0] == before + 3);
  });
  // A break added to the evening temps' shift.
  checkEditAndUndo(state,
                   "{ start = \"16:00\", hours = 4, agents = 27, breaks = [{ start = "
                   "\"18:00\", minutes = 30 }] }",
                   [](Scenario& s) {
                     s.agent_groups[2].shifts[0].breaks.push_back({18 * 3600.0, 30.0});
                     expandShifts(s);
                   });
  // "per interval": the agents the shifts gave, as a list, without breaks.
  const std::vector<int> laid = state.doc.scenario->agent_groups[0].agents;
  checkEditAndUndo(state, "agents = [" + fmt::format("{}", fmt::join(laid, ", ")) + "]",
                   [](Scenario& s) {
                     s.agent_groups[0].shifts.clear();
                     s.agent_groups[0].on_break.clear();
                   });
  // Half-hour intervals instead of hours (the General tab lays shifts out again): still shifts,
  // on the finer plan.
  Scenario cycle = parseScenario(R"(
[scenario]
name = "shifts"
horizon_hours = 24

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 30 }
handle_time = { dist = "exponential", mean_s = 240 }
shifts = [{ start = "06:00", hours = 8, agents = 5, breaks = [{ start = "10:00", minutes = 60 }] }]
)",
                                 "shifts.toml");
  REQUIRE(cycle.channels[0].agents.size() == 24);
  cycle.interval_minutes = 30;
  expandShifts(cycle);
  REQUIRE(cycle.channels[0].agents.size() == 48);
  const std::string text = scenarioToToml(cycle);
  CHECK(text.find("shifts = [") != std::string::npos);
  CHECK(text.find("\nagents = ") == std::string::npos);
  CHECK(parseScenario(text, "written").channels[0].agents == cycle.channels[0].agents);
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
