// Scenario files: the DESIGN.md §5 examples, every shipped scenario, and broken files whose
// expected errors are written in their own first comment lines (tests/bad_scenarios/).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace fs = std::filesystem;
using namespace cx;

namespace {

const fs::path kSourceDir = CX_SOURCE_DIR;

// The two examples of DESIGN.md §5, verbatim.
constexpr const char* kErlangA = R"(
[scenario]
name = "Erlang-A check"
horizon_hours = 200      # measured time
warmup_hours = 2         # discarded at the start

[[channels]]
id = "phone"
kind = "voice"
agents = 45                                            # constant, dedicated to this channel
arrivals = { per_hour = 600 }                          # constant Poisson rate
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 120 }      # omit: nobody abandons
service_level = { threshold_s = 20, target = 0.8 }
)";

constexpr const char* kHourlyDay = R"(
[scenario]
name = "Hourly day"
days = 20                # instead of horizon_hours
open = "08:00"
interval_minutes = 60

[[channels]]
id = "phone"
kind = "voice"
agents = [12, 18, 22, 22, 20, 18, 16, 12, 8]
arrivals = { per_hour = [150, 260, 320, 300, 280, 240, 200, 150, 90], busyness_alpha = 50 }
handle_time = { dist = "lognormal", mean_s = 240, cv = 1.0 }
patience = { dist = "exponential", mean_s = 300 }
balk_probability = 0.05   # leaves at once when no agent is free on arrival
service_level = { threshold_s = 20, target = 0.8 }
)";

// A valid one-channel scenario to break in code.
Scenario validInCode() {
  Scenario s;
  s.name = "in code";
  s.horizon_hours = 10;
  ChannelSpec ch;
  ch.id = "phone";
  ch.agents = {5};
  ch.arrivals.per_hour = {60};
  ch.handle_time = DistSpec::exponential(240);
  s.channels.push_back(ch);
  return s;
}

std::vector<Diagnostic> diagnosticsOf(const std::string& text, const fs::path& base = {}) {
  try {
    parseScenario(text, "test.toml", base);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<std::string> keysOf(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> keys;
  for (const Diagnostic& d : diagnostics) keys.push_back(d.key);
  return keys;
}

// Enums as their file names, so doctest can print them.
template <typename Kind>
std::string name(Kind kind) {
  return toString(kind);
}

// "# expect: L:C: key: message part" lines from the comment block at the top of a file.
std::vector<std::string> expectations(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  const std::string tag = "# expect: ";
  for (std::string line; std::getline(in, line) && line.rfind('#', 0) == 0;) {
    if (line.rfind(tag, 0) == 0) out.push_back(line.substr(tag.size()));
  }
  return out;
}

// `expect` = "line:col: " + ("key: " unless the key is empty) + a part of the message.
bool matches(const Diagnostic& d, const std::string& expect) {
  std::string head = std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": ";
  if (!d.key.empty()) head += d.key + ": ";
  return expect.rfind(head, 0) == 0 &&
         d.message.find(expect.substr(head.size())) != std::string::npos;
}

std::vector<fs::path> filesUnder(const fs::path& dir, const std::string& extension,
                                 const fs::path& skip = {}) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (!skip.empty() && it->path() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == extension) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void checkErlangA(const Scenario& s) {
  CHECK(s.name == "Erlang-A check");
  CHECK_FALSE(s.dayStructured());
  CHECK(s.horizon_hours == 200.0);
  CHECK(s.warmup_hours == 2.0);
  CHECK(s.interval_minutes == 60.0);
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);
  CHECK(s.intervalsPerDay() == 1);
  REQUIRE(s.channels.size() == 1);
  const ChannelSpec& ch = s.channels[0];
  CHECK(ch.id == "phone");
  CHECK(name(ch.kind) == "voice");
  CHECK(ch.agents == std::vector<int>{45});
  CHECK(ch.arrivals.per_hour == std::vector<double>{600.0});
  CHECK(ch.arrivals.busyness_alpha == 0.0);
  CHECK(name(ch.handle_time.kind) == "exponential");
  CHECK(ch.handle_time.mean_s == 240.0);
  REQUIRE(ch.patience.has_value());
  CHECK(name(ch.patience->kind) == "exponential");
  CHECK(ch.patience->mean_s == 120.0);
  CHECK(ch.balk_probability == 0.0);
  CHECK(ch.service_level.threshold_s == 20.0);
  CHECK(ch.service_level.target == 0.8);
}

void checkHourlyDay(const Scenario& s) {
  CHECK(s.name == "Hourly day");
  CHECK(s.dayStructured());
  CHECK(s.days == 20);
  CHECK(s.open_s == 8 * 3600.0);
  CHECK(s.horizon_hours == 0.0);
  CHECK(s.warmup_hours == 0.0);
  CHECK(s.interval_minutes == 60.0);
  CHECK(s.intervalSeconds() == 3600.0);
  CHECK(s.intervalsPerDay() == 9);
  REQUIRE(s.channels.size() == 1);
  const ChannelSpec& ch = s.channels[0];
  CHECK(ch.agents == std::vector<int>{12, 18, 22, 22, 20, 18, 16, 12, 8});
  CHECK(ch.arrivals.per_hour == std::vector<double>{150, 260, 320, 300, 280, 240, 200, 150, 90});
  CHECK(ch.arrivals.busyness_alpha == 50.0);
  CHECK(name(ch.handle_time.kind) == "lognormal");
  CHECK(ch.handle_time.mean_s == 240.0);
  CHECK(ch.handle_time.cv == 1.0);
  REQUIRE(ch.patience.has_value());
  CHECK(ch.patience->mean_s == 300.0);
  CHECK(ch.balk_probability == 0.05);
  CHECK(ch.service_level.threshold_s == 20.0);
  CHECK(ch.service_level.target == 0.8);
}

}  // namespace

TEST_CASE("scenario: the smallest valid scenario of DESIGN.md loads as written") {
  checkErlangA(parseScenario(kErlangA, "erlang_a.toml"));
  // The shipped copy says the same (plus a comment header).
  const fs::path file = kSourceDir / "scenarios/validation/erlang_a.toml";
  const Scenario shipped = loadScenario(file);
  checkErlangA(shipped);
  CHECK(shipped.source_path == file);
  CHECK(shipped.channels[0].loc.line > 1);
}

TEST_CASE("scenario: the day-structured example of DESIGN.md loads as written") {
  checkHourlyDay(parseScenario(kHourlyDay, "hourly_day.toml"));
  checkHourlyDay(loadScenario(kSourceDir / "scenarios/examples/hourly_day.toml"));
}

TEST_CASE("scenario: every file under scenarios/ loads") {
  const fs::path root = kSourceDir / "scenarios";
  const auto files = filesUnder(root, ".toml", root / "roleplay");
  CHECK(files.size() >= 4);
  for (const fs::path& file : files) {
    CAPTURE(file.string());
    if (file.parent_path() == root / "shifts") continue;  // shift files: tests/test_roster.cpp
    try {
      const Scenario s = loadScenario(file);
      CHECK(validateScenario(s).empty());
      CHECK_FALSE(s.channels.empty());
    } catch (const ScenarioError& e) {
      FAIL_CHECK(e.what());
    }
  }
}

TEST_CASE("scenario: the default scenario is a working week of phone and chat") {
  const Scenario s = loadScenario(kSourceDir / "scenarios/default.toml");
  CHECK(s.days == 5);
  CHECK(s.open_s == 8 * 3600.0);
  CHECK(s.interval_minutes == 30.0);
  CHECK(s.intervalsPerDay() == 24);  // 08:00-20:00
  REQUIRE(s.channels.size() == 2);
  CHECK(s.channels[0].id == "phone");
  CHECK(name(s.channels[0].kind) == "voice");
  CHECK(s.channels[1].id == "chat");
  CHECK(name(s.channels[1].kind) == "chat");
  CHECK(s.channels[1].service_level.threshold_s == 60.0);
  for (const ChannelSpec& ch : s.channels) {
    CHECK(ch.agents.size() == 24);
    CHECK(ch.arrivals.per_hour.size() == 24);
    CHECK(ch.arrivals.busyness_alpha > 0.0);
    CHECK(ch.patience.has_value());
  }
}

TEST_CASE("scenario: broken files report line, column, key and what was expected") {
  const auto files = filesUnder(kSourceDir / "tests/bad_scenarios", ".toml");
  CHECK(files.size() >= 15);
  for (const fs::path& file : files) {
    CAPTURE(file.filename().string());
    const std::vector<std::string> expected = expectations(file);
    REQUIRE_MESSAGE(!expected.empty(), "no '# expect:' line at the top of the file");
    std::vector<Diagnostic> found;
    try {
      loadScenario(file);
    } catch (const ScenarioError& e) {
      found = e.diagnostics();
    }
    std::string all;
    for (const Diagnostic& d : found) all += d.format() + "\n";
    CAPTURE(all);
    CHECK(found.size() == expected.size());  // nothing missed, nothing spurious
    for (const std::string& expect : expected) {
      CAPTURE(expect);
      CHECK(std::any_of(found.begin(), found.end(),
                        [&](const Diagnostic& d) { return matches(d, expect); }));
    }
    for (const Diagnostic& d : found) CHECK(d.file == file.string());
  }
}

TEST_CASE("scenario: every problem in a file is reported, not just the first") {
  const fs::path file = kSourceDir / "tests/bad_scenarios/three_errors.toml";
  try {
    loadScenario(file);
    FAIL("three_errors.toml loaded");
  } catch (const ScenarioError& e) {
    CHECK(keysOf(e.diagnostics()) == std::vector<std::string>{"scenario.horizon_hours",
                                                              "channels[0].agents[1]",
                                                              "channels[0].patience.cv"});
    // what() is every diagnostic, formatted, one per line.
    const std::string what = e.what();
    CHECK(std::count(what.begin(), what.end(), '\n') == 2);
    CHECK(what.find(file.string() + ":7:17: scenario.horizon_hours: ") == 0);
  }
}

TEST_CASE("scenario: missing or unreadable files give a diagnostic without a line") {
  for (const fs::path& file :
       {kSourceDir / "scenarios/no_such_scenario.toml", kSourceDir / "scenarios"}) {
    CAPTURE(file.string());
    try {
      loadScenario(file);
      FAIL("loaded");
    } catch (const ScenarioError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      const Diagnostic& d = e.diagnostics()[0];
      CHECK(d.loc.line == 0);
      CHECK(d.file == file.string());
      CHECK(d.format().rfind(file.string() + ": cannot read scenario file: ", 0) == 0);
    }
  }
}

TEST_CASE("scenario: bad bytes and odd documents raise ScenarioError and nothing else") {
  const std::vector<std::string> texts = {
      "",
      std::string("\0\xff\xfe", 3),
      "[scenario",
      "scenario = 5\nchannels = 5",
      "channels = [1, 2]",
      "[[channels]]\n[[channels]]\nid = 3",
      "[scenario]\nname = \"x\"\ndays = 99999999999999\nopen = \"08:00\"",
      "[scenario]\nname = \"x\"\nhorizon_hours = inf\nwarmup_hours = nan\nseed = -1",
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    CHECK_THROWS_AS(parseScenario(text, "odd.toml"), ScenarioError);
  }
}

TEST_CASE("scenario: defaults for optional keys") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "defaults"
horizon_hours = 1
[[channels]]
id = "c1"
kind = "email"
agents = 1
arrivals = { per_hour = 1 }
handle_time = { dist = "exponential", mean_s = 60 }
)",
                                   "defaults.toml");
  CHECK(s.warmup_hours == 0.0);
  CHECK(s.interval_minutes == 60.0);
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);
  CHECK(s.source_path.empty());
  const ChannelSpec& ch = s.channels.at(0);
  CHECK(name(ch.kind) == "email");
  CHECK_FALSE(ch.patience.has_value());
  CHECK(ch.balk_probability == 0.0);
  CHECK(ch.arrivals.busyness_alpha == 0.0);
  CHECK(ch.service_level.threshold_s == 20.0);
  CHECK(ch.service_level.target == 0.8);
  CHECK(ch.loc.line == 5);
  CHECK(ch.loc.column == 1);
}

TEST_CASE("scenario: every distribution form fills kind, mean and CV") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "distributions"
days = 1
open = 09:30:00          # a TOML local time works as well as "09:30"
interval_minutes = 15
seed = 42
replications = 3

[[channels]]
id = "a"
kind = "voice"
agents = [1, 2]
arrivals = { per_hour = 10 }
handle_time = { dist = "gamma", mean_s = 200, cv = 0.5 }
patience = { dist = "gamma", shape = 4, scale_s = 50 }

[[channels]]
id = "b"
kind = "messaging"
agents = 1
arrivals = { per_hour = [3, 4.5] }
handle_time = { dist = "deterministic", value_s = 90 }
patience = { dist = "deterministic", mean_s = 45 }

[[channels]]
id = "c_2"
kind = "chat"
agents = 0
arrivals.per_hour = 0
handle_time = { dist = "empirical", values_s = [100, 200, 600] }
)",
                                   "dists.toml");
  CHECK(s.open_s == 9.5 * 3600);
  CHECK(s.seed == 42);
  CHECK(s.replications == 3);
  CHECK(s.intervalsPerDay() == 2);
  const auto& a = s.channels.at(0);
  CHECK(name(a.handle_time.kind) == "gamma");
  CHECK(a.handle_time.mean_s == 200.0);
  CHECK(a.handle_time.cv == 0.5);
  CHECK(name(a.patience->kind) == "gamma");
  CHECK(a.patience->mean_s == doctest::Approx(200.0));  // shape 4 × scale 50
  CHECK(a.patience->cv == doctest::Approx(0.5));        // 1 / sqrt(shape)
  const auto& b = s.channels.at(1);
  CHECK(name(b.kind) == "messaging");
  CHECK(b.arrivals.per_hour == std::vector<double>{3.0, 4.5});
  CHECK(name(b.handle_time.kind) == "deterministic");
  CHECK(b.handle_time.mean_s == 90.0);
  CHECK(b.handle_time.cv == 0.0);
  CHECK(b.patience->mean_s == 45.0);
  const auto& c = s.channels.at(2);
  CHECK(c.agents == std::vector<int>{0});
  CHECK(name(c.handle_time.kind) == "empirical");
  CHECK(c.handle_time.values_s == std::vector<double>{100, 200, 600});
  CHECK(c.handle_time.mean_s == doctest::Approx(300.0));
  CHECK(c.handle_time.source.empty());
}

TEST_CASE("scenario: empirical distributions read a CSV column relative to the file") {
  SUBCASE("the shipped sample in data/") {
    const Scenario s = loadScenario(kSourceDir / "scenarios/examples/empirical_aht.toml");
    const DistSpec& d = s.channels.at(0).handle_time;
    CHECK(name(d.kind) == "empirical");
    CHECK(d.values_s.size() == 400);
    CHECK(d.mean_s == doctest::Approx(304.9375));  // the sample mean, stated in the CSV header
    CHECK(fs::equivalent(d.source, kSourceDir / "data/handle_times_phone.csv"));
  }
  SUBCASE("a named column, comments and blank lines") {
    const fs::path dir = fs::temp_directory_path() / "cx_test_scenario_csv";
    fs::create_directories(dir / "sub");
    {
      std::ofstream csv(dir / "sub/times.csv");
      csv << "# a comment\r\ndate,aht_s\r\n2024-01-01,100\r\n\r\n# another\r\n2024-01-02, 300\r\n";
    }
    const std::string text = R"(
[scenario]
name = "csv"
horizon_hours = 1
[[channels]]
id = "p"
kind = "voice"
agents = 1
arrivals = { per_hour = 1 }
handle_time = { dist = "empirical", file = "sub/times.csv", column = "aht_s" }
patience = { dist = "empirical", file = "sub/times.csv", column = "date" }
)";
    const auto diagnostics = diagnosticsOf(text, dir);
    // The first column holds dates, not seconds: reported with the CSV's own line numbers.
    REQUIRE(diagnostics.size() == 2);
    CHECK(diagnostics[0].key == "channels[0].patience.file");
    CHECK(diagnostics[0].message.find("sub/times.csv line 3:") == 0);
    CHECK(diagnostics[1].message.find("sub/times.csv line 6:") == 0);

    std::string fixed = text.substr(0, text.find("patience ="));
    const Scenario s = parseScenario(fixed, "csv.toml", dir);
    const DistSpec& d = s.channels.at(0).handle_time;
    CHECK(d.values_s == std::vector<double>{100, 300});
    CHECK(d.mean_s == 200.0);
    CHECK(d.cv == doctest::Approx(0.5));
    fs::remove_all(dir);
  }
}

TEST_CASE("scenario: validateScenario applies the file rules to scenarios built in code") {
  CHECK(validateScenario(validInCode()).empty());

  struct Case {
    const char* what;
    void (*breakIt)(Scenario&);
    const char* key;
  };
  const Case cases[] = {
      {"empty name", [](Scenario& s) { s.name.clear(); }, "scenario.name"},
      {"no horizon", [](Scenario& s) { s.horizon_hours = 0; }, "scenario.horizon_hours"},
      {"negative warm-up", [](Scenario& s) { s.warmup_hours = -1; }, "scenario.warmup_hours"},
      {"both forms", [](Scenario& s) { s.days = 3; }, "scenario.horizon_hours"},
      {"warm-up in day form",
       [](Scenario& s) {
         s.horizon_hours = 0;
         s.days = 1;
         s.warmup_hours = 1;
       },
       "scenario.warmup_hours"},
      {"opening time past midnight",
       [](Scenario& s) {
         s.horizon_hours = 0;
         s.days = 1;
         s.open_s = 90000;
       },
       "scenario.open"},
      {"interval not dividing a day", [](Scenario& s) { s.interval_minutes = 50; },
       "scenario.interval_minutes"},
      {"no replications", [](Scenario& s) { s.replications = 0; }, "scenario.replications"},
      {"no channels", [](Scenario& s) { s.channels.clear(); }, "channels"},
      {"bad id", [](Scenario& s) { s.channels[0].id = "a-b"; }, "channels[0].id"},
      {"duplicate id", [](Scenario& s) { s.channels.push_back(s.channels[0]); }, "channels[1].id"},
      {"no agents", [](Scenario& s) { s.channels[0].agents.clear(); }, "channels[0].agents"},
      {"negative agents",
       [](Scenario& s) {
         s.channels[0].agents = {1, -1};
       },
       "channels[0].agents[1]"},
      {"NaN rate", [](Scenario& s) { s.channels[0].arrivals.per_hour = {NAN}; },
       "channels[0].arrivals.per_hour[0]"},
      {"negative busyness", [](Scenario& s) { s.channels[0].arrivals.busyness_alpha = -1; },
       "channels[0].arrivals.busyness_alpha"},
      {"zero mean", [](Scenario& s) { s.channels[0].handle_time.mean_s = 0; },
       "channels[0].handle_time.mean_s"},
      {"zero cv", [](Scenario& s) { s.channels[0].handle_time = DistSpec::lognormal(100, 0); },
       "channels[0].handle_time.cv"},
      {"infinite patience",
       [](Scenario& s) { s.channels[0].patience = DistSpec::exponential(INFINITY); },
       "channels[0].patience.mean_s"},
      {"empirical mean not filled",
       [](Scenario& s) {
         s.channels[0].handle_time.kind = DistSpec::Kind::Empirical;
         s.channels[0].handle_time.values_s = {1, 2};
       },
       "channels[0].handle_time.mean_s"},
      {"negative empirical value",
       [](Scenario& s) {
         s.channels[0].handle_time = DistSpec::empirical({5, -1});
       },
       "channels[0].handle_time.values_s[1]"},
      {"balk above 1", [](Scenario& s) { s.channels[0].balk_probability = 1.5; },
       "channels[0].balk_probability"},
      {"zero threshold", [](Scenario& s) { s.channels[0].service_level.threshold_s = 0; },
       "channels[0].service_level.threshold_s"},
      {"target above 1", [](Scenario& s) { s.channels[0].service_level.target = 1.2; },
       "channels[0].service_level.target"},
      {"list lengths differ",
       [](Scenario& s) {
         s.channels[0].agents = {1, 2, 3};
         s.channels[0].arrivals.per_hour = {1, 2};
       },
       "channels[0].arrivals.per_hour"},
      {"more than a day of intervals",
       [](Scenario& s) {
         s.horizon_hours = 0;
         s.days = 1;
         s.interval_minutes = 720;
         s.channels[0].agents = {1, 2, 3};
       },
       "channels[0].agents"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Scenario s = validInCode();
    c.breakIt(s);
    const auto diagnostics = validateScenario(s);
    CHECK(keysOf(diagnostics) == std::vector<std::string>{c.key});
    for (const Diagnostic& d : diagnostics) {
      CHECK(d.loc.line == 0);
      CHECK_FALSE(d.message.empty());
    }
  }
  // Built in code, a day may run past midnight as long as it lasts at most 24 h.
  Scenario night = validInCode();
  night.horizon_hours = 0;
  night.days = 2;
  night.open_s = 22 * 3600.0;
  night.interval_minutes = 60;
  night.channels[0].agents = std::vector<int>(24, 3);
  CHECK(validateScenario(night).empty());
}

TEST_CASE("scenario: type errors are reported once, not again by the value rules") {
  const auto diagnostics = diagnosticsOf(R"(
[scenario]
name = "types"
horizon_hours = "ten"

[[channels]]
id = "p"
kind = "voice"
agents = [1, 2.5, 3]
arrivals = { per_hour = [1, 2, 3] }
handle_time = { dist = "lognormal", mean_s = "long" }
)");
  CHECK(keysOf(diagnostics) ==
        std::vector<std::string>{"scenario.horizon_hours", "channels[0].agents[1]",
                                 "channels[0].handle_time.cv", "channels[0].handle_time.mean_s"});
  CHECK(diagnostics.at(0).message == "expected a number, got string \"ten\"");
  CHECK(diagnostics.at(1).message == "expected an integer, got float 2.5");
  CHECK(diagnostics.at(2).message.find("missing required key") == 0);
  CHECK(diagnostics.at(2).loc.line == 11);  // the inline table that lacks it
  CHECK(diagnostics.at(2).loc.column == 15);
}

TEST_CASE("scenario: keys are reported as written in the file") {
  // value_s is stored as mean_s; the error still names value_s, where it stands.
  const auto diagnostics = diagnosticsOf(R"(
[scenario]
name = "alias"
horizon_hours = 1
[[channels]]
id = "p"
kind = "voice"
agents = 1
arrivals = { per_hour = 1 }
handle_time = { dist = "deterministic", value_s = -3 }
)");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].key == "channels[0].handle_time.value_s");
  CHECK(diagnostics[0].loc.line == 10);
  CHECK(diagnostics[0].loc.column == 51);
  CHECK(diagnostics[0].message == "expected a positive number of seconds, got -3");
}

TEST_CASE("scenario: Diagnostic::format leaves out what is unknown") {
  CHECK(Diagnostic{"f.toml", {7, 3}, "channels[0].id", "bad"}.format() ==
        "f.toml:7:3: channels[0].id: bad");
  CHECK(Diagnostic{"f.toml", {}, "", "cannot read"}.format() == "f.toml: cannot read");
  CHECK(Diagnostic{"f.toml", {2, 1}, "", "syntax"}.format() == "f.toml:2:1: syntax");
  CHECK(Diagnostic{"", {}, "scenario.name", "empty"}.format() == "scenario.name: empty");
  const ScenarioError error({Diagnostic{"a", {1, 2}, "k", "m"}, Diagnostic{"a", {}, "", "n"}});
  CHECK(std::string(error.what()) == "a:1:2: k: m\na: n");
  CHECK(error.diagnostics().size() == 2);
}

TEST_CASE("scenario: names, intervals and per-interval lookups") {
  for (auto kind : {DistSpec::Kind::Exponential, DistSpec::Kind::Lognormal, DistSpec::Kind::Gamma,
                    DistSpec::Kind::Deterministic, DistSpec::Kind::Empirical}) {
    CHECK((distKindFromString(toString(kind)) == kind));
  }
  for (auto kind :
       {ChannelKind::Voice, ChannelKind::Chat, ChannelKind::Email, ChannelKind::Messaging}) {
    CHECK((channelKindFromString(toString(kind)) == kind));
  }
  CHECK_FALSE(channelKindFromString("Voice").has_value());

  Scenario s = validInCode();
  CHECK(s.intervalsPerDay() == 1);
  s.channels[0].arrivals.per_hour = {10, 20, 30};
  CHECK(s.intervalsPerDay() == 3);
  const ChannelSpec& ch = s.channels[0];
  CHECK(ch.agentsAt(2) == 5);  // a single value applies to every interval
  CHECK(ch.arrivals.perHourAt(1) == 20.0);
  CHECK(ch.arrivals.perHourAt(4) == 20.0);  // cyclic
}

TEST_CASE("scenario: [[agent_groups]] give skills in priority order, staffing and proficiency") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "groups"
horizon_hours = 8
interval_minutes = 60

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 100 }
handle_time = { dist = "exponential", mean_s = 240 }

[[channels]]
id = "chat"
kind = "chat"
arrivals = { per_hour = 40 }
handle_time = { dist = "exponential", mean_s = 400 }

[[agent_groups]]
id = "blended"
channels = ["chat", "phone"]
agents = [3, 4, 5, 6, 6, 5, 4, 3]
proficiency = 0.9

[[agent_groups]]
id = "phones"
channels = "phone"
agents = 7
)",
                                   "groups.toml");
  REQUIRE(s.agent_groups.size() == 2);
  CHECK(s.channels[0].agents.empty());
  CHECK(s.agent_groups[0].id == "blended");
  CHECK(s.agent_groups[0].channels == std::vector<std::string>{"chat", "phone"});
  CHECK(s.agent_groups[0].agentsAt(3) == 6);
  CHECK(s.agent_groups[0].proficiency == 0.9);
  CHECK(s.agent_groups[0].loc.line == 19);  // the [[agent_groups]] line
  CHECK(s.agent_groups[1].channels == std::vector<std::string>{"phone"});
  CHECK(s.agent_groups[1].agentsAt(5) == 7);
  CHECK(s.agent_groups[1].proficiency == 1.0);
  CHECK(s.intervalsPerDay() == 8);
  CHECK(s.effectiveAgentGroups().size() == 2);

  // Without groups, each channel is its own group with the channel's agents.
  Scenario plain = s;
  plain.agent_groups.clear();
  plain.channels[0].agents = {9};
  plain.channels[1].agents = {4};
  const auto groups = plain.effectiveAgentGroups();
  REQUIRE(groups.size() == 2);
  CHECK(groups[1].id == "chat");
  CHECK(groups[1].channels == std::vector<std::string>{"chat"});
  CHECK(groups[1].agentsAt(0) == 4);
  CHECK(validateScenario(plain).empty());
}

TEST_CASE("scenario: upper bounds keep what a value sizes allocatable (docs: Limits)") {
  // Each case: the largest value allowed validates, one step past it does not. Values like
  // these once passed validate and crashed run (length_error, bad_alloc, std::terminate).
  struct Case {
    const char* what;
    void (*atLimit)(Scenario&);
    void (*pastLimit)(Scenario&);
    const char* key;
  };
  const Case cases[] = {
      {"horizon", [](Scenario& s) { s.horizon_hours = 1e6; },
       [](Scenario& s) { s.horizon_hours = 1.000001e6; }, "scenario.horizon_hours"},
      {"warm-up with horizon",
       [](Scenario& s) {
         s.horizon_hours = 4e5;
         s.warmup_hours = 6e5;
       },
       [](Scenario& s) {
         s.horizon_hours = 4e5;
         s.warmup_hours = 6.0001e5;
       },
       "scenario.warmup_hours"},
      {"days",
       [](Scenario& s) {
         s.horizon_hours = 0;
         s.days = 36500;
       },
       [](Scenario& s) {
         s.horizon_hours = 0;
         s.days = 36501;
       },
       "scenario.days"},
      {"interval length", [](Scenario& s) { s.interval_minutes = 1; },
       [](Scenario& s) { s.interval_minutes = 0.5; }, "scenario.interval_minutes"},
      {"agents", [](Scenario& s) { s.channels[0].agents = {1000000}; },
       [](Scenario& s) { s.channels[0].agents = {1000001}; }, "channels[0].agents[0]"},
      {"arrival rate", [](Scenario& s) { s.channels[0].arrivals.per_hour = {1e7}; },
       [](Scenario& s) { s.channels[0].arrivals.per_hour = {1.0000001e7}; },
       "channels[0].arrivals.per_hour[0]"},
      {"day factor",
       [](Scenario& s) {
         s.channels[0].arrivals.day_factors = {1, 100};
       },
       [](Scenario& s) {
         s.channels[0].arrivals.day_factors = {1, 100.5};
       },
       "channels[0].arrivals.day_factors[1]"},
      {"per-interval list length",
       [](Scenario& s) { s.channels[0].arrivals.per_hour.assign(10080, 60); },
       [](Scenario& s) { s.channels[0].arrivals.per_hour.assign(10081, 60); },
       "channels[0].arrivals.per_hour"},
      {"channels",
       [](Scenario& s) {
         for (int i = 1; i < 100; ++i) {
           s.channels.push_back(s.channels[0]);
           s.channels.back().id = "c" + std::to_string(i);
         }
       },
       [](Scenario& s) {
         for (int i = 1; i < 101; ++i) {
           s.channels.push_back(s.channels[0]);
           s.channels.back().id = "c" + std::to_string(i);
         }
       },
       "channels"},
      {"customers",
       [](Scenario& s) {
         s.outcomes.emplace();
         s.outcomes->customers = 100000000;
       },
       [](Scenario& s) {
         s.outcomes.emplace();
         s.outcomes->customers = 100000001;
       },
       "outcomes.customers"},
      // 1 channel, 1 group, 1 interval: 5 sets of metrics a replication, so the plain cap.
      {"replications", [](Scenario& s) { s.replications = 100000; },
       [](Scenario& s) { s.replications = 100001; }, "scenario.replications"},
      // 96 intervals: 1 + 1 + 1 + 96 + 96 = 195 sets, a million in all: 5128 replications.
      {"replications of a detailed scenario",
       [](Scenario& s) {
         s.interval_minutes = 15;
         s.channels[0].arrivals.per_hour.assign(96, 60);
         s.replications = 5128;
       },
       [](Scenario& s) {
         s.interval_minutes = 15;
         s.channels[0].arrivals.per_hour.assign(96, 60);
         s.replications = 5129;
       },
       "scenario.replications"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Scenario at = validInCode();
    c.atLimit(at);
    CHECK(keysOf(validateScenario(at)).empty());
    Scenario past = validInCode();
    c.pastLimit(past);
    const auto diagnostics = validateScenario(past);
    CHECK(keysOf(diagnostics) == std::vector<std::string>{c.key});
    for (const Diagnostic& d : diagnostics) CHECK(d.message.rfind("expected ", 0) == 0);
  }
}

TEST_CASE("scenario: shifts adding up to more agents than the bound are reported, not wrapped") {
  // Three shifts of a million agents each overlap: 3e6 agents on duty, no int overflow.
  const auto diagnostics = diagnosticsOf(R"(
[scenario]
name = "many shifts"
days = 1
open = "08:00"

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = [60, 60, 60, 60, 60, 60, 60, 60] }
handle_time = { dist = "exponential", mean_s = 240 }
shifts = [
    { start = "08:00", hours = 8, agents = 1000000 },
    { start = "08:00", hours = 8, agents = 1000000 },
    { start = "08:00", hours = 8, agents = 1000000 },
]
)");
  REQUIRE(diagnostics.size() == 8);  // one per interval
  for (const Diagnostic& d : diagnostics) {
    CAPTURE(d.format());
    CHECK(d.key.rfind("channels[0].agents[", 0) == 0);
    CHECK(d.message == "expected at most 1000000 agents, got 3000000");
    CHECK(d.loc.line == 7);  // the channel: the file has no agents key to point at
  }
}
