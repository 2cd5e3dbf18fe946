// Cost figures: paid agent time (on duty / (1 - shrinkage)) × each group's rate.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "test_support.hpp"

using namespace cx;

namespace {

double mean(const MetricEstimates& v, Metric m) {
  return v[static_cast<std::size_t>(m)].mean;
}

// One 8-hour day: phone (specialists), chat (specialists) and a blended group.
Scenario day(bool with_costs) {
  Scenario s;
  s.name = "costs";
  s.days = 2;
  s.open_s = 9 * 3600;
  s.interval_minutes = 60;
  ChannelSpec phone;
  phone.id = "phone";
  phone.arrivals.per_hour = {120, 120, 120, 120, 120, 120, 120, 120};
  phone.handle_time = DistSpec::exponential(240);
  phone.patience = DistSpec::exponential(300);
  ChannelSpec chat = phone;
  chat.id = "chat";
  chat.kind = ChannelKind::Chat;
  chat.arrivals.per_hour = {40};
  auto group = [](std::string id, std::vector<std::string> skills, int agents) {
    AgentGroupSpec g;
    g.id = std::move(id);
    g.channels = std::move(skills);
    g.agents = {agents};
    return g;
  };
  s.channels = {phone, chat};
  s.agent_groups = {group("phones", {"phone"}, 9), group("chats", {"chat"}, 3),
                    group("blended", {"phone", "chat"}, 2)};
  if (with_costs) {
    s.costs = CostSpec{30.0, 0.25, {}};
    s.agent_groups[2].cost_per_hour = 36.0;
  }
  return s;
}

ExperimentResult run(const Scenario& s) {
  ExperimentOptions opt;
  opt.seed = 5;
  opt.replications = 4;
  return runExperiment(s, opt);
}

}  // namespace

TEST_CASE("costs: paid hours are hours on duty over 1 - shrinkage, at each group's rate") {
  const Scenario s = day(true);
  REQUIRE(validateScenario(s).empty());
  const ExperimentResult r = run(s);
  // Agents on duty while open: exactly the plan (2 days × 8 h). The drain after closing adds
  // overtime of whoever is finishing a contact, so the cost is at least the planned cost and
  // at most a few agent-minutes more per group and day.
  const double open_hours = 2 * 8;
  const double planned[] = {9 * open_hours * 30 / 0.75, 3 * open_hours * 30 / 0.75,
                            2 * open_hours * 36 / 0.75};
  double total = 0;
  for (std::size_t g = 0; g < 3; ++g) {
    const double cost = mean(r.groups[g], Metric::CostTotal);
    CHECK(cost >= planned[g]);
    CHECK(cost <= planned[g] + 2 * 0.25 * 36 / 0.75 * (g == 0 ? 9 : g == 1 ? 3 : 2));
    total += cost;
    CHECK(mean(r.groups[g], Metric::CostPerContact) ==
          doctest::Approx(cost / mean(r.groups[g], Metric::Answered)).epsilon(0.05));
  }
  CHECK(mean(r.overall, Metric::CostTotal) == doctest::Approx(total));
  // Per contact overall: the cost of every group over every answered contact (means of
  // per-replication ratios, so only approximately the ratio of means).
  CHECK(mean(r.overall, Metric::CostPerContact) ==
        doctest::Approx(total / mean(r.overall, Metric::Answered)).epsilon(0.02));
  // Both channels share the blended group: their agent cost cannot be split.
  CHECK(std::isnan(mean(r.channels[0], Metric::CostTotal)));
  CHECK(std::isnan(mean(r.channels[1], Metric::CostPerContact)));
}

TEST_CASE("costs: a channel's own agents give it a cost; no [costs] gives no cost figures") {
  Scenario s = day(true);
  s.agent_groups.pop_back();  // no blended group: each channel has its own team
  const ExperimentResult r = run(s);
  CHECK(mean(r.channels[0], Metric::CostTotal) == mean(r.groups[0], Metric::CostTotal));
  CHECK(mean(r.channels[1], Metric::CostTotal) == mean(r.groups[1], Metric::CostTotal));
  for (std::size_t k = 0; k < r.intervals.size(); ++k)
    CHECK(mean(r.intervals[k], Metric::CostTotal) >= 12 * 30 / 0.75 * 2 - 1e-6);

  const ExperimentResult none = run(day(false));
  CHECK(std::isnan(mean(none.overall, Metric::CostTotal)));
  CHECK(std::isnan(mean(none.groups[0], Metric::CostPerContact)));
  // Costs are a report on the same run: the queue is unchanged.
  const ExperimentResult costed = run(day(true));
  CHECK(mean(none.overall, Metric::ServiceLevel) == mean(costed.overall, Metric::ServiceLevel));
}

TEST_CASE("costs: cost per resolved case is the cost over the cases that ended resolved") {
  // Counted from the records of the same run: cases whose last contact solved the problem.
  // With journeys a case may take several contacts (and cost them all); without, every
  // contact is a case of one.
  struct Capture final : SimObserver {
    explicit Capture(const Scenario& s) : monitor(s) {}
    Monitor monitor;
    double resolved_cases = 0, resolved_contacts = 0, contacts = 0;
    void onContact(const ContactRecord& r) override {
      monitor.onContact(r);
      contacts += 1;
      resolved_contacts += r.resolved;
      resolved_cases += r.case_ended && r.resolved;
    }
    void onInterval(const IntervalSample& x) override { monitor.onInterval(x); }
    void onGroupInterval(const GroupSample& x) override { monitor.onGroupInterval(x); }
  };
  auto at = [](const MetricValues& v, Metric m) { return v[static_cast<std::size_t>(m)]; };
  Scenario s = day(true);
  IntentSpec in;
  in.id = "any";
  in.fcr = 0.6;
  in.share = {{"phone", 1.0}, {"chat", 1.0}};
  s.intents = {in};
  JourneySpec j;
  j.retry_unresolved = 0.8;
  j.retry_abandoned = 0.5;
  j.delay = DistSpec::exponential(1800);
  s.journeys = j;
  for (bool journeys : {true, false}) {
    INFO("with journeys: " << journeys);
    if (!journeys) s.journeys.reset();
    REQUIRE(validateScenario(s).empty());
    Capture cap(s);
    Simulation(s, 5, 0).run(cap);
    const MetricValues v = cap.monitor.metrics().overall;
    REQUIRE(cap.resolved_cases > 100);
    CHECK(at(v, Metric::CostPerResolved) ==
          doctest::Approx(at(v, Metric::CostTotal) / cap.resolved_cases));
    if (journeys) {
      // A solved problem ends its case, so a resolved case has one resolved contact; its
      // earlier, unresolved contacts were paid for too, so a resolved case costs more than a
      // contact.
      CHECK(cap.resolved_cases == cap.resolved_contacts);
      CHECK(at(v, Metric::CaseResolution) < 1.0);
      CHECK(at(v, Metric::CostPerResolved) > at(v, Metric::CostPerContact));
    }
  }
}

TEST_CASE("costs: [costs] and cost_per_hour are checked") {
  Scenario s = day(true);
  s.costs->shrinkage = 1.0;
  s.costs->agent_per_hour = -1;
  s.agent_groups[0].cost_per_hour = std::nan("");
  const auto d = validateScenario(s);
  REQUIRE(d.size() == 3);
  CHECK(d[0].key == "costs.agent_per_hour");
  CHECK(d[1].key == "costs.shrinkage");
  CHECK(d[1].message == "expected a share from 0 up to (not including) 1, got 1");
  CHECK(d[2].key == "agent_groups[0].cost_per_hour");

  Scenario no_table = day(true);
  no_table.costs.reset();
  const auto e = validateScenario(no_table);
  REQUIRE(e.size() == 1);
  CHECK(e[0].key == "agent_groups[2].cost_per_hour");
}
