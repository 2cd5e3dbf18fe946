// `--set KEY=VALUE` overrides (loadScenario / parseScenario with overrides): every way of
// naming a value, the tables they create, and every way they can be wrong — each problem must
// name the override that caused it.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

using namespace cx;

namespace {

constexpr const char* kTwoChannels = R"(
[scenario]
name = "Two channels"
days = 2
open = "08:00"
interval_minutes = 60

[[channels]]
id = "phone"
kind = "voice"
agents = [10, 12, 14]
arrivals = { per_hour = [100, 120, 140] }
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 300 }

[[channels]]
id = "chat"
kind = "chat"
agents = 5
arrivals = { per_hour = 40 }
handle_time = { dist = "lognormal", mean_s = 400, cv = 0.8 }
)";

Scenario withSet(const std::vector<std::string>& overrides) {
  return parseScenario(kTwoChannels, "two.toml", {}, overrides);
}

// The diagnostics the overrides give (fails the test if they load).
std::vector<Diagnostic> problems(const std::vector<std::string>& overrides) {
  try {
    withSet(overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  FAIL("the overrides were accepted");
  return {};
}

// Problems all attributed to `override_text` (none to a place in the file), one of which
// contains `fragment`.
void expectProblem(const std::vector<Diagnostic>& d, const std::string& override_text,
                   const std::string& fragment) {
  REQUIRE(!d.empty());
  bool found = false;
  for (const Diagnostic& x : d) {
    INFO(x.format());
    CHECK(x.file == "--set " + override_text);
    CHECK(x.loc.line == 0);
    found = found || x.format().find(fragment) != std::string::npos;
  }
  INFO("looking for: " << fragment << " in: " << d[0].format());
  CHECK(found);
}
void expectProblem(const std::string& override_text, const std::string& fragment) {
  expectProblem(problems({override_text}), override_text, fragment);
}

}  // namespace

TEST_CASE("overrides: a channel's value by index and by id") {
  const Scenario base = withSet({});
  REQUIRE(base.channels[1].agents == std::vector<int>{5});

  CHECK(withSet({"channels[1].agents=7"}).channels[1].agents == std::vector<int>{7});
  CHECK(withSet({"channels.chat.agents=8"}).channels[1].agents == std::vector<int>{8});
  // A whole per-interval list, and one element of it.
  CHECK(withSet({"channels.phone.agents=[1, 2, 3]"}).channels[0].agents ==
        std::vector<int>{1, 2, 3});
  CHECK(withSet({"channels.phone.agents[1]=20"}).channels[0].agents ==
        std::vector<int>{10, 20, 14});
  CHECK(withSet({"channels[0].arrivals.per_hour[2]=155.5"}).channels[0].arrivals.per_hour ==
        std::vector<double>{100, 120, 155.5});
  // Nothing else moved.
  const Scenario s = withSet({"channels.chat.agents=8"});
  CHECK(s.channels[0].agents == base.channels[0].agents);
  CHECK(s.channels[1].handle_time.mean_s == 400.0);
}

TEST_CASE("overrides: scenario keys, strings, and the order they are applied in") {
  const Scenario s = withSet({"scenario.days=5", "scenario.name=Quiet week", "scenario.seed=42"});
  CHECK(s.days == 5);
  CHECK(s.name == "Quiet week");  // not TOML: taken as a string
  CHECK(s.seed == 42);
  CHECK(withSet({"scenario.name=\"quoted # not a comment\""}).name == "quoted # not a comment");
  CHECK((withSet({"channels.chat.kind=email"}).channels[1].kind == ChannelKind::Email));
  CHECK(withSet({"scenario.open=\"09:30\""}).open_s == 9.5 * 3600);
  // Later overrides win.
  CHECK(withSet({"channels.chat.agents=8", "channels[1].agents=9"}).channels[1].agents ==
        std::vector<int>{9});
  // Spaces around the key and value are ignored.
  CHECK(withSet({" channels.chat.agents = 6 "}).channels[1].agents == std::vector<int>{6});
  // An inline table replaces the whole distribution.
  const Scenario d =
      withSet({"channels.chat.handle_time={ dist = \"gamma\", mean_s = 300, cv = 2 }"});
  CHECK((d.channels[1].handle_time.kind == DistSpec::Kind::Gamma));
  CHECK(d.channels[1].handle_time.cv == 2.0);
}

TEST_CASE("overrides: tables the file leaves out are created") {
  // The chat channel has no patience: setting its mean creates an exponential one.
  const Scenario s = withSet({"channels.chat.patience.mean_s=90"});
  REQUIRE(s.channels[1].patience.has_value());
  CHECK((s.channels[1].patience->kind == DistSpec::Kind::Exponential));
  CHECK(s.channels[1].patience->mean_s == 90.0);
  // ... or another distribution if `dist` is set too.
  const Scenario l = withSet({"channels.chat.patience.dist=lognormal",
                              "channels.chat.patience.mean_s=90", "channels.chat.patience.cv=0.5"});
  CHECK((l.channels[1].patience->kind == DistSpec::Kind::Lognormal));
  CHECK(l.channels[1].patience->cv == 0.5);
  // A service-level table, filled from its defaults.
  const Scenario t = withSet({"channels.chat.service_level.threshold_s=60"});
  CHECK(t.channels[1].service_level.threshold_s == 60.0);
  CHECK(t.channels[1].service_level.target == 0.8);
}

TEST_CASE("overrides: problems with the path name the override") {
  expectProblem("channels.fax.agents=3", "no channel with id 'fax' (channels: phone, chat)");
  expectProblem("channels[2].agents=3", "channels has 2 entries ([0] to [1]), got [2]");
  expectProblem("channels.phone.agents[3]=1",
                "channels[0].agents has 3 entries ([0] to [2]), got [3]");
  expectProblem("channels.chat.agents[0]=1", "channels[1].agents is an integer 5, not a list");
  expectProblem("channels.chat.agents.x=1", "channels[1].agents is an integer 5, not a table");
  expectProblem("channels.phone.agents.x=1",
                "channels[0].agents is a list of values, not of tables");
  expectProblem("channels.chat=1", "channels[1] is a whole table");
  expectProblem("bot.containment.order_status=0.6",
                "bot.containment.order_status is the containment of intent 'order_status', and "
                "the file has no [[intents]]");
  expectProblem("scenario..days=1", "expected a key name at position 10");
  expectProblem("channels[x].agents=1", "expected an index such as [0]");
  expectProblem("scenario.days", "expected KEY=VALUE");
  expectProblem("=3", "expected KEY=VALUE with a key");
  expectProblem("scenario.days=", "expected a value after '='");
  expectProblem("channels.phone.agents=[1, 2", "the value is not valid TOML");
  expectProblem("scenario.days=1\nx = 2", "a single value");
  expectProblem("scenario.nope[0]=1", "scenario.nope is not in the file");
}

TEST_CASE("overrides: the loader's findings about an overridden value name the override") {
  expectProblem("channels.chat.agents=-2", "non-negative");
  expectProblem("channels.chat.agents=many", "expected an integer, got string \"many\"");
  expectProblem("channels.chat.agnets=2", "channels[1].agnets: unknown key");
  expectProblem("scenario.horizon_hours=10", "exclude each other");
  expectProblem("channels.chat.patience.cv=2",
                "unknown key");  // an exponential has no cv
  expectProblem("channels.phone.handle_time.dist=weibull", "expected one of: exponential");
  // Several bad overrides: each is reported.
  const std::vector<Diagnostic> d = problems({"channels.fax.agents=1", "scenario.days=0"});
  REQUIRE(d.size() == 1);  // path problems stop before the file is checked
  CHECK(d[0].file == "--set channels.fax.agents=1");
  const std::vector<Diagnostic> both = problems({"channels.fax.agents=1", "channels.x.agents=1"});
  CHECK(both.size() == 2);
  // Two overrides with bad values: each finding names its own override.
  const std::vector<Diagnostic> values =
      problems({"channels.chat.agents=-2", "channels.phone.balk_probability=3"});
  REQUIRE(values.size() == 2);
  std::vector<std::string> files{values[0].file, values[1].file};
  std::sort(files.begin(), files.end());
  CHECK(files[0] == "--set channels.chat.agents=-2");
  CHECK(files[1] == "--set channels.phone.balk_probability=3");
}

TEST_CASE("overrides: problems in the file itself still point into the file") {
  // The file is broken in a key no override touches: its diagnostic keeps the file and line.
  const std::string broken = std::string(kTwoChannels) + "balk_probability = 2\n";
  try {
    parseScenario(broken, "two.toml", {}, {"channels.phone.agents=3"});
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].file == "two.toml");
    CHECK(e.diagnostics()[0].loc.line > 0);
  }
}

TEST_CASE("overrides: bot.containment.ID sets that intent's containment") {
  const std::string file = std::string(CX_SOURCE_DIR) + "/scenarios/examples/ai_assistant.toml";
  const Scenario s = loadScenario(file, {"bot.containment.returns=0.9"});
  REQUIRE(s.intents.size() == 5);
  CHECK(s.intents[1].id == "returns");
  CHECK(s.intents[1].bot_containment == 0.9);
  CHECK(s.intents[0].bot_containment == 0.65);  // the others as in the file
  CHECK_THROWS_WITH_AS(loadScenario(file, {"bot.containment.refunds=0.9"}),
                       doctest::Contains("no entry of intents with id 'refunds'"), ScenarioError);
}
