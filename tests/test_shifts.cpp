// Shifts and breaks in a scenario: `shifts` of a channel or agent group become agents on duty
// and agents on a break per interval, exactly; the engine then runs what an explicit
// per-interval list would give; breaks are paid.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/experiment.hpp"
#include "sim/scenario.hpp"
#include "test_support.hpp"

using namespace cx;

namespace {

// A 12-hour day (08:00–20:00) in half-hours, three shifts on one group.
constexpr const char* kDay = R"(
[scenario]
name = "shift day"
days = 2
open = "08:00"
interval_minutes = 30

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = [PER_HOUR] }
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 180 }

[[agent_groups]]
id = "phones"
channels = ["phone"]
cost_per_hour = 30
shifts = [
  { start = "08:00", hours = 8, agents = 6, breaks = [{ start = "12:00", minutes = 30 }] },
  { start = "12:00", hours = 8, agents = 4, breaks = [{ start = "15:00", minutes = 60 },
                                                      { start = "18:30", minutes = 30 }] },
  { start = "10:00", hours = 4, agents = 2 },
]

[costs]
agent_per_hour = 30
shrinkage = 0.2
)";

std::string dayText(double per_hour) {
  std::string text = kDay, list;
  for (int i = 0; i < 24; ++i) list += (i ? ", " : "") + std::to_string(per_hour);
  text.replace(text.find("PER_HOUR"), 8, list);
  return text;
}

}  // namespace

TEST_CASE("shifts: agents on duty and on a break per interval, exactly as the shifts say") {
  const Scenario s = parseScenario(dayText(60), "day.toml");
  const AgentGroupSpec& g = s.agent_groups.front();
  REQUIRE(g.agents.size() == 24);
  REQUIRE(g.on_break.size() == 24);
  for (int k = 0; k < 24; ++k) {
    const double clock = 8 + k * 0.5;  // hours
    int duty = 0, rest = 0;
    auto shift = [&](double from, double to, int n, std::vector<std::pair<double, double>> brk) {
      if (clock < from || clock >= to) return;
      for (auto [b0, b1] : brk)
        if (clock >= b0 && clock < b1) {
          rest += n;
          return;
        }
      duty += n;
    };
    shift(8, 16, 6, {{12, 12.5}});
    shift(12, 20, 4, {{15, 16}, {18.5, 19}});
    shift(10, 14, 2, {});
    CAPTURE(clock);
    CHECK(g.agents[static_cast<std::size_t>(k)] == duty);
    CHECK(g.on_break[static_cast<std::size_t>(k)] == rest);
  }
  CHECK(g.agents.front() == 6);  // 08:00: the early shift only
  CHECK(g.agents[8] == 2 + 4);   // 12:00: early on lunch, late starts, part-timers
  CHECK(g.on_break[8] == 6);
}

TEST_CASE("shifts: the engine runs exactly what the equivalent agents list gives") {
  const Scenario with_shifts = parseScenario(dayText(70), "day.toml");
  Scenario listed = with_shifts;
  listed.agent_groups.front().shifts.clear();
  listed.agent_groups.front().on_break.clear();
  REQUIRE(validateScenario(listed).empty());
  ExperimentOptions opt;
  opt.seed = 3;
  opt.replications = 3;
  const ExperimentResult a = runExperiment(with_shifts, opt), b = runExperiment(listed, opt);
  for (Metric m : {Metric::Offered, Metric::Answered, Metric::Abandoned, Metric::AsaS,
                   Metric::ServiceLevel, Metric::AgentsMean})
    CHECK(cx::test::value(a.overall, m) == cx::test::value(b.overall, m));
  // ... except the cost: breaks are paid. The explicit list pays on-duty hours only.
  CHECK(cx::test::value(a.overall, Metric::CostTotal) >
        cx::test::value(b.overall, Metric::CostTotal));
}

TEST_CASE("shifts: paid hours are the shifts' hours, breaks included, over 1 - shrinkage") {
  // Nobody calls: agents are present exactly as rostered, so the cost is exact.
  const Scenario s = parseScenario(dayText(0), "day.toml");
  ExperimentOptions opt;
  opt.seed = 1;
  opt.replications = 2;
  const ExperimentResult r = runExperiment(s, opt);
  const double shift_hours = 6 * 8 + 4 * 8 + 2 * 4;  // per day, breaks included
  CHECK(cx::test::value(r.overall, Metric::CostTotal) ==
        doctest::Approx(2 * shift_hours * 30 / 0.8));
}

TEST_CASE("shifts: in the continuous form shifts repeat daily and a night shift wraps") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "round the clock"
horizon_hours = 48
interval_minutes = 60

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 240 }
shifts = [
  { start = "06:00", hours = 8, agents = 5, breaks = [{ start = "10:00", minutes = 60 }] },
  { start = "14:00", hours = 8, agents = 4 },
  { start = "22:00", hours = 8, agents = 2 },
]
)",
                                   "night.toml");
  const ChannelSpec& ch = s.channels.front();
  REQUIRE(ch.agents.size() == 24);  // a 24-hour cycle when nothing else sets one
  CHECK(ch.agents[0] == 2);         // 00:00: the night shift that started at 22:00
  CHECK(ch.agents[5] == 2);
  CHECK(ch.agents[6] == 5);
  CHECK(ch.agents[10] == 0);  // everyone on the early shift at lunch
  CHECK(ch.on_break[10] == 5);
  CHECK(ch.agents[14] == 4);
  CHECK(ch.agents[22] == 2);
  CHECK(ch.agents[23] == 2);
  // The group the engine runs for the channel carries the breaks for the cost.
  CHECK(s.effectiveAgentGroups().front().on_break == ch.on_break);
}

TEST_CASE("shifts: a cycle that is not whole days cannot hold daily shifts") {
  try {
    parseScenario(R"(
[scenario]
name = "odd cycle"
horizon_hours = 48
interval_minutes = 60

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = [10, 20, 30, 40, 50] }
handle_time = { dist = "exponential", mean_s = 240 }
shifts = [{ start = "06:00", hours = 8, agents = 5 }]
)",
                  "odd.toml");
    FAIL("expected an error");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics().front().key == "channels[0].shifts");
    CHECK(e.diagnostics().front().message.find("whole days") != std::string::npos);
  }
}
