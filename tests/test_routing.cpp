// Agent groups and skills-based routing: dedicated groups reproduce per-channel agents, a
// pooled group is one M/M/N queue, channel priorities, longest-idle selection, proficiency.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/analytic.hpp"
#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

ChannelSpec channel(const std::string& id, double per_hour, DistSpec handle,
                    std::optional<DistSpec> patience = std::nullopt) {
  ChannelSpec c;
  c.id = id;
  c.arrivals.per_hour = {per_hour};
  c.handle_time = handle;
  c.patience = patience;
  return c;
}

AgentGroupSpec group(const std::string& id, std::vector<std::string> skills,
                     std::vector<int> agents, double proficiency = 1.0) {
  AgentGroupSpec g;
  g.id = id;
  g.channels = std::move(skills);
  g.agents = std::move(agents);
  g.proficiency = proficiency;
  return g;
}

Scenario continuous(double hours, std::vector<ChannelSpec> channels,
                    std::vector<AgentGroupSpec> groups) {
  Scenario s;
  s.name = "routing";
  s.horizon_hours = hours;
  s.warmup_hours = 2;
  s.channels = std::move(channels);
  s.agent_groups = std::move(groups);
  return s;
}

ExperimentResult simulate(const Scenario& s, int reps, std::uint64_t seed = 1) {
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  return runExperiment(s, opt);
}

double at(const MetricValues& v, Metric m) {
  return v[static_cast<std::size_t>(m)];
}

}  // namespace

TEST_CASE("routing: dedicated agent groups give exactly the results of per-channel agents") {
  Scenario per_channel;
  per_channel.name = "per channel";
  per_channel.days = 2;
  per_channel.open_s = 9 * 3600;
  per_channel.interval_minutes = 60;
  ChannelSpec phone =
      channel("phone", 0, DistSpec::lognormal(240, 1.1), DistSpec::exponential(200));
  phone.arrivals.per_hour = {120, 200, 150};
  phone.agents = {8, 12, 10};
  ChannelSpec chat = channel("chat", 0, DistSpec::exponential(500), DistSpec::exponential(150));
  chat.arrivals.per_hour = {40, 60, 50};
  chat.agents = {6, 9, 7};
  per_channel.channels = {phone, chat};

  Scenario grouped = per_channel;
  grouped.agent_groups = {group("chat_team", {"chat"}, {6, 9, 7}),
                          group("phone_team", {"phone"}, {8, 12, 10})};
  for (auto& c : grouped.channels) c.agents.clear();

  const ExperimentResult a = simulate(per_channel, 3), b = simulate(grouped, 3);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      CAPTURE(metricInfo(static_cast<Metric>(m)).name);
      // Equal up to the order in which group figures are added.
      for (auto [x, y] : {std::pair{a.reps[r].overall[m], b.reps[r].overall[m]},
                          std::pair{a.reps[r].channels[0][m], b.reps[r].channels[0][m]},
                          std::pair{a.reps[r].channels[1][m], b.reps[r].channels[1][m]}})
        CHECK((std::isnan(x) ? std::isnan(y) : x == doctest::Approx(y).epsilon(1e-12)));
    }
  // Groups are reported under their own names and in their own order.
  CHECK(at(b.reps[0].groups[1], Metric::Answered) == at(b.reps[0].channels[0], Metric::Answered));
  CHECK(at(b.reps[0].groups[0], Metric::Answered) == at(b.reps[0].channels[1], Metric::Answered));
}

TEST_CASE("routing: one group serving two channels is a single M/M/N queue") {
  // Two Poisson streams of 100/h each, the same exponential handle time, 14 agents skilled
  // for both: the pooled system is M/M/14 at 200/h (Erlang C), whatever the priorities.
  const Scenario s = continuous(2000,
                                {channel("a", 100, DistSpec::exponential(180)),
                                 channel("b", 100, DistSpec::exponential(180))},
                                {group("pool", {"a", "b"}, {14})});
  const ExperimentResult r = simulate(s, 16);
  const auto exact = analytic::erlangC(200.0 / 3600, 180, 14, 20);
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.006, "P(wait), pooled");
  checkAgainst(est(r.overall, Metric::WaitAllS), exact.wait_all_s, 0.4, "mean wait, pooled");
  checkAgainst(est(r.overall, Metric::Occupancy), exact.occupancy, 0.003, "occupancy, pooled");
  checkAgainst(est(r.groups[0], Metric::Occupancy), exact.occupancy, 0.003, "group occupancy");
  // A channel sharing its agents has no occupancy of its own.
  CHECK(std::isnan(value(r.channels[0], Metric::Occupancy)));
  CHECK(std::isnan(value(r.channels[0], Metric::AgentsMean)));
  // Priority: "a" comes first for every agent, so it waits far less than "b".
  CHECK(value(r.channels[0], Metric::AsaS) < 0.5 * value(r.channels[1], Metric::AsaS));
  CHECK(value(r.channels[0], Metric::ServiceLevel) > value(r.channels[1], Metric::ServiceLevel));
}

TEST_CASE("routing: the longest-idle agent takes the next contact, so work is shared fairly") {
  // Two groups of 6 and 12 identical agents on one channel: with longest-idle selection each
  // agent is equally busy, so both groups have the same occupancy and the larger answers twice
  // as many contacts.
  const Scenario s = continuous(400, {channel("phone", 200, DistSpec::exponential(180))},
                                {group("small", {"phone"}, {6}), group("large", {"phone"}, {12})});
  const ExperimentResult r = simulate(s, 12);
  const double occ_small = value(r.groups[0], Metric::Occupancy);
  const double occ_large = value(r.groups[1], Metric::Occupancy);
  INFO("occupancy small " << occ_small << ", large " << occ_large);
  CHECK(std::fabs(occ_small - occ_large) < 0.01);
  const double ratio = value(r.groups[1], Metric::Answered) / value(r.groups[0], Metric::Answered);
  CHECK(ratio == doctest::Approx(2.0).epsilon(0.03));
  // Both together are one M/M/18 queue.
  const auto exact = analytic::erlangC(200.0 / 3600, 180, 18, 20);
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.01, "P(wait), two groups");
}

TEST_CASE("routing: proficiency scales the handle time of the group's agents") {
  const Scenario s =
      continuous(300, {channel("phone", 200, DistSpec::exponential(180))},
                 {group("fast", {"phone"}, {8}, 0.8), group("slow", {"phone"}, {8}, 1.25)});
  const ExperimentResult r = simulate(s, 8);
  checkAgainst(est(r.groups[0], Metric::AhtS), 0.8 * 180, 3.0, "AHT of the fast group");
  checkAgainst(est(r.groups[1], Metric::AhtS), 1.25 * 180, 4.0, "AHT of the slow group");
}

TEST_CASE("routing: a specialist group serves its channel first and helps with the other") {
  // Phone specialists (skills phone > chat) and chat specialists (chat only): when phone is
  // quiet, phone specialists take chats, so chat does better than with its own agents alone.
  auto build = [](std::vector<std::string> phone_team_skills) {
    return continuous(300,
                      {channel("phone", 60, DistSpec::exponential(240)),
                       channel("chat", 100, DistSpec::exponential(300))},
                      {group("phone_team", std::move(phone_team_skills), {8}),
                       group("chat_team", {"chat"}, {10})});
  };
  const ExperimentResult alone = simulate(build({"phone"}), 6),
                         helped = simulate(build({"phone", "chat"}), 6);
  CHECK(value(helped.channels[1], Metric::ServiceLevel) >
        value(alone.channels[1], Metric::ServiceLevel) + 0.02);
  CHECK(value(helped.channels[0], Metric::ServiceLevel) <
        value(alone.channels[0], Metric::ServiceLevel));
  CHECK(value(helped.groups[0], Metric::Occupancy) >
        value(alone.groups[0], Metric::Occupancy) + 0.05);
}
