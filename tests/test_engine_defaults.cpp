// Engine defaults in data/calibration.toml ([engine], docs/CX_MODEL.md "Engine defaults"): a
// scenario's `[outcomes] calibration` file changes them for the keys the scenario leaves out,
// and with them the simulation; a bad value in it is reported with file, line and key; a key
// the scenario sets itself wins; the shipped file itself is read for every scenario.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/calibration.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace cx;

namespace {

const fs::path kShipped = fs::path(CX_SOURCE_DIR) / "data" / "calibration.toml";

std::string readText(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  REQUIRE(out.good());
}

// 1-based line of the first occurrence of `needle` in `text`.
int lineOf(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// A folder of its own under the system's temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("cx_engine_defaults_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Voice and chat, one reason for contact, customers who always come back while unresolved.
// Neither fcr, max_contacts, the chat curve nor the service level is set: the calibration's.
std::string scenarioText(const std::string& outcomes_extra, const std::string& intent_extra = "",
                         const std::string& journeys_extra = "",
                         const std::string& chat_extra = "") {
  return R"([scenario]
name = "engine defaults"
horizon_hours = 60
warmup_hours = 2
seed = 7
replications = 4

[[channels]]
id = "phone"
kind = "voice"
agents = 40
arrivals = { per_hour = 200 }
handle_time = { dist = "exponential", mean_s = 300 }

[[channels]]
id = "chat"
kind = "chat"
agents = 5
concurrency = 2
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean_s = 300 }
)" + chat_extra +
         R"(
[[intents]]
id = "question"
share = { phone = 1.0, chat = 1.0 }
)" + intent_extra +
         R"(
[[intents]]
id = "other"
share = { phone = 0.0, chat = 0.0 }

[journeys]
retry_unresolved = 1.0
delay = { dist = "exponential", mean_s = 600 }
)" + journeys_extra +
         R"(
[outcomes]
customers = 100000
)" + outcomes_extra;
}

const char* kOwnCalibration = R"(# Our own engine defaults, on top of data/calibration.toml.
[engine.intents]
fcr = { value = 0.4, label = "assumed", source = "our contact reasons are hard" }

[engine.journeys]
max_contacts = { value = 1, label = "assumed", source = "one contact per case" }

[engine.channels.chat_capacity]
with_2_chats = { value = 2, label = "assumed", source = "two chats at full speed" }

[engine.channels.service_level]
threshold_s = { value = 30, label = "assumed", source = "our own target" }
)";

// The diagnostics of loading `file`, which must fail.
std::vector<Diagnostic> loadErrors(const fs::path& file) {
  try {
    loadScenario(file);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  FAIL("expected a ScenarioError");
  return {};
}

}  // namespace

TEST_CASE("engine defaults: a scenario's calibration file changes the keys it leaves out") {
  TempDir dir("override");
  writeText(dir.path / "own.toml", kOwnCalibration);
  writeText(dir.path / "plain.toml", scenarioText(""));
  writeText(dir.path / "own_scenario.toml", scenarioText("calibration = \"own.toml\"\n"));

  const Calibration shipped = loadCalibration(kShipped);
  const Scenario plain = loadScenario(dir.path / "plain.toml");
  const Scenario own = loadScenario(dir.path / "own_scenario.toml");

  // Without the file: the shipped values.
  CHECK(plain.intents[0].fcr == shipped.engine.fcr);
  CHECK(plain.journeys->max_contacts == shipped.engine.max_contacts);
  CHECK(plain.channels[1].concurrency_slowdown == shipped.engine.chatSlowdown(2));
  CHECK(plain.channels[0].service_level.threshold_s == shipped.engine.service_level_threshold_s);

  // With it: its values where it has some, the shipped ones for the rest.
  for (const IntentSpec& in : own.intents) CHECK(in.fcr == 0.4);
  CHECK(own.journeys->max_contacts == 1);
  CHECK(own.channels[1].concurrency_slowdown == std::vector<double>{1.0, 1.0});
  CHECK(own.channels[0].service_level.threshold_s == 30);
  CHECK(own.channels[1].service_level.threshold_s == 30);
  CHECK(own.channels[0].service_level.target == shipped.engine.service_level_target);
  CHECK(own.channels[1].silent_discovery_s == shipped.engine.silent_discovery_s);
  CHECK(own.engine_defaults.fcr == 0.4);
  // The outcome models see the same calibration, with the override's provenance.
  REQUIRE(own.outcomes->calibration);
  CHECK(own.outcomes->calibration->engine.max_contacts == 1);
  const CalibrationEntry* entry = own.outcomes->calibration->find("engine.journeys.max_contacts");
  REQUIRE(entry != nullptr);
  CHECK(fs::path(entry->file).filename() == "own.toml");
  CHECK(entry->loc.line == lineOf(kOwnCalibration, "max_contacts ="));

  // And the simulation: one contact per case, resolved 40% of the time instead of 70%.
  ExperimentOptions options;
  options.seed = 7;
  options.replications = 4;
  options.threads = 2;
  const ExperimentResult a = runExperiment(plain, options);
  const ExperimentResult b = runExperiment(own, options);
  using test::est;
  using test::value;
  CHECK(value(a.overall, Metric::ContactsPerCase) > 1.3);  // 1 / 0.7 up to the cap of 5
  CHECK(value(b.overall, Metric::ContactsPerCase) == 1.0);
  test::checkAgainst(est(a.overall, Metric::Fcr), 0.7, 0.02, "fcr, shipped default");
  test::checkAgainst(est(b.overall, Metric::Fcr), 0.4, 0.02, "fcr, own default");
  test::checkAgainst(est(b.overall, Metric::CaseResolution), 0.4, 0.02, "cases resolved");
  // A flat chat curve: the second chat is no slower than the first (most chats are second
  // ones: five agents for about 7 chats' worth of work in the plain run, 5 in the other).
  CHECK(value(b.channels[1], Metric::AhtS) < value(a.channels[1], Metric::AhtS));
}

TEST_CASE("engine defaults: a key the scenario sets itself wins over the calibration") {
  TempDir dir("own_keys");
  writeText(dir.path / "own.toml", kOwnCalibration);
  writeText(dir.path / "s.toml",
            scenarioText("calibration = \"own.toml\"\n", "fcr = 0.9\n", "max_contacts = 3\n",
                         "concurrency_slowdown = [1, 1.5]\n"
                         "service_level = { threshold_s = 60 }\n"));
  const Scenario s = loadScenario(dir.path / "s.toml");
  CHECK(s.intents[0].fcr == 0.9);
  CHECK(s.intents[0].fcr_given);
  CHECK(s.intents[1].fcr == 0.4);  // the other intent leaves it out
  CHECK_FALSE(s.intents[1].fcr_given);
  CHECK(s.journeys->max_contacts == 3);
  CHECK(s.journeys->max_contacts_given);
  CHECK(s.channels[1].concurrency_slowdown == std::vector<double>{1.0, 1.5});
  CHECK(s.channels[1].concurrency_slowdown_given);
  CHECK(s.channels[1].service_level.threshold_s == 60);
  CHECK(s.channels[0].service_level.threshold_s == 30);  // the phone leaves it out
  // A key set to the default's very value is still the scenario's own.
  writeText(dir.path / "same.toml", scenarioText("calibration = \"own.toml\"\n", "fcr = 0.4\n"));
  CHECK(loadScenario(dir.path / "same.toml").intents[0].fcr_given);
  // --set counts as the scenario's own too.
  const Scenario set = loadScenario(dir.path / "s.toml", {"journeys.max_contacts=2"});
  CHECK(set.journeys->max_contacts == 2);
}

TEST_CASE("engine defaults: a bad value in a scenario's calibration names file, line and key") {
  TempDir dir("bad");
  writeText(dir.path / "s.toml", scenarioText("calibration = \"own.toml\"\n"));
  struct Case {
    std::string from, to, key, message;
  };
  const std::vector<Case> cases = {
      {"max_contacts = { value = 1,", "max_contacts = { value = 2.5,",
       "engine.journeys.max_contacts.value", "expected an integer, got float 2.5"},
      {"max_contacts = { value = 1,", "max_contacts = { value = 0,",
       "engine.journeys.max_contacts.value", "expected a value in [1, 100], got 0"},
      {"with_2_chats = { value = 2,", "with_2_chats = { value = 0.8,",
       "engine.channels.chat_capacity.with_2_chats.value", "expected a value in [1, 2], got 0.8"},
      {"with_2_chats = { value = 2,", "with_2_chats = { value = 2.5,",
       "engine.channels.chat_capacity.with_2_chats.value", "expected a value in [1, 2], got 2.5"},
      {"fcr = { value = 0.4,", "fcr = { value = 1.4,", "engine.intents.fcr.value",
       "expected a value in [0, 1], got 1.4"},
      {"threshold_s = { value = 30,", "threshold_s = { value = 0,",
       "engine.channels.service_level.threshold_s.value", "expected a value in (0, inf), got 0"},
      {"fcr = { value", "fcr_typo = { value", "engine.intents.fcr_typo", "unknown key"},
  };
  for (const Case& c : cases) {
    INFO("own.toml: " << c.to);
    std::string text = kOwnCalibration;
    text.replace(text.find(c.from), c.from.size(), c.to);
    writeText(dir.path / "own.toml", text);
    const std::vector<Diagnostic> errors = loadErrors(dir.path / "s.toml");
    REQUIRE(errors.size() == 1);
    const Diagnostic& d = errors[0];
    CHECK(fs::path(d.file) == (dir.path / "own.toml").lexically_normal());
    CHECK(d.loc.line == lineOf(text, c.to));
    CHECK(d.key == c.key);
    CHECK(d.message.find(c.message) != std::string::npos);
    // The formatted message says it all: "…/own.toml:LINE:COL: KEY: …".
    CHECK(d.format().find("own.toml:" + std::to_string(d.loc.line) + ":") != std::string::npos);
  }
  // A file that is not there is reported at the scenario's key.
  fs::remove(dir.path / "own.toml");
  const std::vector<Diagnostic> missing = loadErrors(dir.path / "s.toml");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].key == "outcomes.calibration");
  CHECK(missing[0].loc.line == lineOf(readText(dir.path / "s.toml"), "calibration = \"own.toml\""));
  CHECK(missing[0].message.find("cannot read \"own.toml\"") != std::string::npos);
}

TEST_CASE("engine defaults: the shipped file is read for scenarios without [outcomes] too") {
  // defaultCalibrationPath() takes data/calibration.toml under the current folder first: a
  // folder with its own copy stands for an edited shipped file.
  TempDir dir("shipped");
  fs::create_directories(dir.path / "data");
  const std::string shipped = readText(kShipped);
  const std::string from = "fcr = { value = 0.7,";
  REQUIRE(shipped.find(from) != std::string::npos);
  const std::string plain = R"([scenario]
name = "no outcomes"
horizon_hours = 8

[[channels]]
id = "phone"
kind = "voice"
agents = 10
arrivals = { per_hour = 100 }
handle_time = { dist = "exponential", mean_s = 240 }

[[intents]]
id = "any"
share = { phone = 1.0 }
)";
  const fs::path before = fs::current_path();
  struct Restore {
    fs::path to;
    ~Restore() { fs::current_path(to); }
  } restore{before};
  fs::current_path(dir.path);

  std::string edited = shipped;
  edited.replace(edited.find(from), from.size(), "fcr = { value = 0.65,");
  writeText(dir.path / "data" / "calibration.toml", edited);
  CHECK(parseScenario(plain, "plain.toml").intents[0].fcr == 0.65);

  // Invalid: the loader's usual diagnostics, naming the calibration file, line and key.
  std::string broken = shipped;
  broken.replace(broken.find(from), from.size(), "fcr = { value = \"high\",");
  writeText(dir.path / "data" / "calibration.toml", broken);
  try {
    parseScenario(plain, "plain.toml");
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const Diagnostic& d = e.diagnostics()[0];
    CHECK(fs::path(d.file) == fs::path("data") / "calibration.toml");
    CHECK(d.loc.line == lineOf(broken, "fcr = { value = \"high\""));
    CHECK(d.key == "engine.intents.fcr.value");
    CHECK(d.message == "expected a number, got string \"high\"");
  }
}

TEST_CASE("engine defaults: applying other defaults keeps what was set or edited") {
  TempDir dir("apply");
  writeText(dir.path / "s.toml", scenarioText("", "fcr = 0.7\n"));
  Scenario s = loadScenario(dir.path / "s.toml");
  REQUIRE(s.intents[0].fcr_given);
  REQUIRE_FALSE(s.intents[1].fcr_given);
  s.channels[0].service_level.target = 0.9;  // edited in code (the studio): kept

  EngineDefaults other = s.engine_defaults;
  other.fcr = 0.5;
  other.service_level_target = 0.75;
  other.chat_capacity[0] = 1.25;
  other.max_contacts = 2;
  applyEngineDefaults(s, other);
  CHECK(s.intents[0].fcr == 0.7);  // the file's own
  CHECK(s.intents[1].fcr == 0.5);
  CHECK(s.channels[0].service_level.target == 0.9);
  CHECK(s.channels[1].service_level.target == 0.75);
  CHECK(s.channels[1].concurrency_slowdown == std::vector<double>{1.0, 2 / 1.25});
  CHECK(s.journeys->max_contacts == 2);
  CHECK(s.engine_defaults.fcr == 0.5);

  // A scenario built in code starts from the in-code defaults, equal to the shipped file's.
  const Scenario code = test::singleQueue(100, DistSpec::exponential(240), 10, std::nullopt, 8);
  CHECK(code.engine_defaults.fcr == loadCalibration(kShipped).engine.fcr);
  CHECK(code.channels[0].service_level.threshold_s ==
        loadCalibration(kShipped).engine.service_level_threshold_s);
}
