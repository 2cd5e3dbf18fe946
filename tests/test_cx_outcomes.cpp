// The outcome model wired into the metrics ([outcomes]): CSAT, NPS and CES per contact from
// the engine's records, churn of the customer base through the cases, and the agent groups'
// empathy, professionalism and FCR uplift. Exact values where the setup makes every contact
// alike; otherwise the metric is checked against the model applied to the same records.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/satisfaction.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::value;
using test::Recorder;

namespace {

// Ample agents (nobody waits), one routine intent with first-contact resolution `fcr`.
Scenario calm(double fcr, long customers = 10'000'000) {
  Scenario s = cx::test::singleQueue(100, DistSpec::exponential(240), 60, std::nullopt, 20, 0);
  IntentSpec in;
  in.id = "any";
  in.fcr = fcr;
  in.share = {{"phone", 1.0}};
  s.intents = {in};
  AgentGroupSpec g;
  g.id = "team";
  g.channels = {"phone"};
  g.agents = {60};
  s.channels[0].agents.clear();
  s.agent_groups = {g};
  OutcomesSpec o;
  o.customers = customers;
  s.outcomes = o;
  return s;
}

ExperimentResult run(const Scenario& s, std::uint64_t seed = 1, int reps = 2) {
  std::vector<std::string> problems;
  for (const Diagnostic& d : validateScenario(s)) problems.push_back(d.format());
  CAPTURE(problems);
  REQUIRE(problems.empty());
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  return runExperiment(s, opt);
}

double csatOf(double empathy, bool resolved, const SatisfactionParams& p = {}) {
  ContactExperience x;
  x.empathy = empathy;
  x.resolved = resolved;
  return predictSatisfaction(x, p).p_csat;
}

}  // namespace

TEST_CASE("outcomes: absent without [outcomes], so a plain queue prints no CSAT") {
  Scenario s = calm(1.0);
  s.outcomes.reset();
  const ExperimentResult r = run(s);
  for (Metric m : {Metric::Csat, Metric::Nps, Metric::Ces, Metric::ChurnRate, Metric::RevenueAtRisk,
                   Metric::CsatService})
    CHECK(std::isnan(value(r.overall, m)));
}

TEST_CASE("outcomes: every contact the reference contact gives the reference CSAT and CES") {
  const SatisfactionParams p;
  const ExperimentResult r = run(calm(1.0));
  CHECK(value(r.overall, Metric::Csat) == doctest::Approx(p.reference_csat));
  CHECK(value(r.overall, Metric::Ces) == doctest::Approx(p.reference_ces));
  CHECK(value(r.overall, Metric::CsatService) == doctest::Approx(p.reference_csat));
  CHECK(value(r.overall, Metric::CsatCare) == doctest::Approx(p.reference_csat));
  ContactExperience x;
  const Satisfaction ref = predictSatisfaction(x, p);
  CHECK(value(r.overall, Metric::Nps) == doctest::Approx(100 * (ref.p_promoter - ref.p_detractor)));
}

TEST_CASE("outcomes: CSAT is the model's mean over the contacts the engine produced") {
  // Half the contacts unresolved: CSAT is the mix of the two predictions in the proportion
  // the engine resolved them (same seed, so the records are those of the run).
  Scenario s = calm(0.5);
  Recorder rec;
  Monitor monitor(s);
  struct Both final : SimObserver {
    Recorder& a;
    Monitor& b;
    Both(Recorder& x, Monitor& y) : a(x), b(y) {}
    void onContact(const ContactRecord& r) override {
      a.onContact(r);
      b.onContact(r);
    }
    void onInterval(const IntervalSample& i) override { b.onInterval(i); }
    void onGroupInterval(const GroupSample& g) override { b.onGroupInterval(g); }
  } both(rec, monitor);
  Simulation sim(s, 3, 0);
  sim.run(both);
  double resolved = 0;
  for (const ContactRecord& c : rec.contacts) resolved += c.resolved;
  const double n = static_cast<double>(rec.contacts.size());
  const double expected = (resolved * csatOf(0.7, true) + (n - resolved) * csatOf(0.7, false)) / n;
  const MetricValues v = monitor.metrics().overall;
  CHECK(v[static_cast<std::size_t>(Metric::Csat)] == doctest::Approx(expected));
  CHECK(resolved / n == doctest::Approx(0.5).epsilon(0.1));
}

TEST_CASE("outcomes: +0.2 empathy raises CSAT by the model's amount, on the same seed") {
  Scenario s = calm(1.0);
  const double before = value(run(s).overall, Metric::Csat);
  s.agent_groups[0].empathy = 0.9;
  const ExperimentResult after = run(s);
  CHECK(value(after.overall, Metric::Csat) - before ==
        doctest::Approx(csatOf(0.9, true) - csatOf(0.7, true)));
  // The care side moves, the service side does not.
  CHECK(value(after.overall, Metric::CsatService) == doctest::Approx(0.92));
  CHECK(value(after.overall, Metric::CsatCare) > 0.92);
  // Per group, the group's own answered contacts.
  CHECK(value(after.groups[0], Metric::Csat) == doctest::Approx(csatOf(0.9, true)));
}

TEST_CASE("outcomes: +0.2 professionalism alone raises CSAT by the model's amount") {
  // Only professionalism moves (empathy stays at the reference agent's 0.7): the care side
  // gains β_prof × 0.2 on every answered contact, and nothing else changes.
  Scenario s = calm(1.0);
  const ExperimentResult before = run(s);
  s.agent_groups[0].professionalism = 0.9;
  const ExperimentResult after = run(s);
  ContactExperience x;
  const SatisfactionParams p;
  const double ref = predictSatisfaction(x, p).p_csat;
  x.professionalism = 0.9;
  const double raised = predictSatisfaction(x, p).p_csat;
  REQUIRE(raised - ref > 0.005);  // large enough to be told from no effect
  CHECK(value(before.overall, Metric::Csat) == doctest::Approx(ref));
  CHECK(value(after.overall, Metric::Csat) - value(before.overall, Metric::Csat) ==
        doctest::Approx(raised - ref));
  // Isolated: the service side and the queue do not move; the same contacts were answered.
  CHECK(value(after.overall, Metric::CsatService) == doctest::Approx(p.reference_csat));
  CHECK(value(after.overall, Metric::CsatCare) == doctest::Approx(raised));
  CHECK(value(after.overall, Metric::Answered) == value(before.overall, Metric::Answered));
  CHECK(value(after.overall, Metric::AhtS) == value(before.overall, Metric::AhtS));
  // And it is professionalism's coefficient, not empathy's, that sized it.
  SatisfactionParams no_prof = p;
  no_prof.professionalism = 0.0;
  CHECK(predictSatisfaction(x, no_prof).p_csat == doctest::Approx(ref));
}

TEST_CASE("outcomes: the same empathy change moves CSAT more for an emotional intent") {
  // End to end: the same operation and customers (same seed), one intent, routine or
  // emotional; agents' empathy from 0.7 (the reference) to 0.9. The care side is weighted by
  // the intent's complexity (×1 routine, ×2 emotional), so the emotional intent gains more —
  // by exactly what the model says for each.
  auto delta = [](Complexity complexity) {
    Scenario s = calm(1.0);
    s.intents[0].complexity = complexity;
    const double before = value(run(s).overall, Metric::Csat);
    s.agent_groups[0].empathy = 0.9;
    return value(run(s).overall, Metric::Csat) - before;
  };
  auto model = [](Complexity complexity) {
    ContactExperience x;
    x.complexity = complexity;
    const double ref = predictSatisfaction(x, {}).p_csat;
    x.empathy = 0.9;
    return predictSatisfaction(x, {}).p_csat - ref;
  };
  const double routine = delta(Complexity::Routine), emotional = delta(Complexity::Emotional);
  INFO("CSAT gain: routine " << routine << ", emotional " << emotional);
  CHECK(routine == doctest::Approx(model(Complexity::Routine)));
  CHECK(emotional == doctest::Approx(model(Complexity::Emotional)));
  CHECK(emotional > routine + 0.005);
  CHECK(delta(Complexity::Complex) > routine);
}

TEST_CASE("outcomes: a 90-day run works and loses more customers than a week") {
  // A small day-form operation (160 contacts a day, a weekly pattern) over a quarter and over
  // its first week, same seed and customers: the quarter's churn is well above the week's
  // (about 13 times the cases over the same 2,000 customers; memory of bad cases raises it,
  // customers already gone lower it).
  Scenario s;
  s.name = "quarter";
  s.open_s = 9 * 3600;
  s.interval_minutes = 60;
  ChannelSpec phone;
  phone.id = "phone";
  phone.agents = {5};
  phone.arrivals.per_hour = {20, 20, 20, 20, 20, 20, 20, 20};
  phone.arrivals.day_factors = {1.2, 1.0, 1.0, 1.0, 1.1, 0.5, 0.2};
  phone.handle_time = DistSpec::exponential(240);
  phone.patience = DistSpec::exponential(300);
  s.channels = {phone};
  IntentSpec in;
  in.id = "any";
  in.fcr = 0.7;
  in.share = {{"phone", 1.0}};
  s.intents = {in};
  JourneySpec j;
  j.retry_unresolved = 0.5;
  j.retry_abandoned = 0.5;
  j.delay = DistSpec::exponential(3600);
  s.journeys = j;
  OutcomesSpec o;
  o.customers = 2000;
  s.outcomes = o;
  auto runDays = [&](int days) {
    s.days = days;
    return run(s, 7, 3);
  };
  const ExperimentResult week = runDays(7), quarter = runDays(90);
  REQUIRE(quarter.replications == 3);
  // Fresh arrivals follow the weekly pattern over all 90 days (returns come on top).
  double fresh = 0;
  for (int d = 0; d < 90; ++d) fresh += 160 * phone.arrivals.day_factors[d % 7];
  Monitor monitor(s);
  Simulation one(s, 7, 0);
  one.run(monitor);
  const double first_contacts = static_cast<double>(one.stats().arrivals - one.stats().retries);
  CHECK(std::fabs(first_contacts - fresh) < 4 * std::sqrt(fresh));
  CHECK(one.stats().retries > 0);
  const double churn_week = value(week.overall, Metric::ChurnRate),
               churn_quarter = value(quarter.overall, Metric::ChurnRate);
  INFO("churn: 7 days " << churn_week << ", 90 days " << churn_quarter);
  CHECK(churn_week > 0.0);
  CHECK(churn_quarter > 5 * churn_week);
  CHECK(churn_quarter < 1.0);
  CHECK(value(quarter.overall, Metric::Churned) ==
        doctest::Approx(churn_quarter * 2000).epsilon(1e-9));
}

TEST_CASE("outcomes: the FCR uplift raises FCR by the uplift") {
  Scenario s = calm(0.5);
  s.agent_groups[0].fcr_uplift = 0.2;
  const ExperimentResult r = run(s, 4, 4);
  const Estimate& fcr = cx::test::est(r.overall, Metric::Fcr);
  INFO("FCR " << fcr.mean << " ± " << fcr.ci95);
  CHECK(std::fabs(fcr.mean - 0.7) < fcr.ci95 + 0.01);
  // The same customers: the uplift only turns unresolved contacts into resolved ones.
  s.agent_groups[0].fcr_uplift = 0.0;
  CHECK(value(run(s, 4, 4).overall, Metric::Fcr) < fcr.mean - 0.15);
}

TEST_CASE("outcomes: a negative FCR uplift lowers FCR by as much, never below 0") {
  Scenario s = calm(0.5);
  s.agent_groups[0].fcr_uplift = -0.2;
  const ExperimentResult r = run(s, 4, 4);
  const Estimate& fcr = cx::test::est(r.overall, Metric::Fcr);
  INFO("FCR " << fcr.mean << " ± " << fcr.ci95);
  CHECK(std::fabs(fcr.mean - 0.3) < fcr.ci95 + 0.01);
  s.agent_groups[0].fcr_uplift = -0.9;  // 0.5 - 0.9 is kept at 0
  CHECK(value(run(s, 4, 4).overall, Metric::Fcr) == 0.0);
}

TEST_CASE("outcomes: a cold handoff lowers CSAT (the story told again), a warm one does not") {
  Scenario s = calm(1.0);
  BotSpec bot;
  bot.channels = {"phone"};
  bot.conversation = DistSpec::deterministic(60);
  bot.containment = 0.0;  // everyone escalates
  s.bot = bot;
  const double warm = value(run(s).overall, Metric::Csat);
  s.bot->cold = true;
  s.bot->cold_handle_factor = 1.3;
  const ExperimentResult cold = run(s);
  const SatisfactionParams p;
  ContactExperience x;
  x.bot_failed = true;
  const double p_warm = predictSatisfaction(x, p).p_csat;
  x.repeated_info = true;
  const double p_cold = predictSatisfaction(x, p).p_csat;
  CHECK(warm == doctest::Approx(p_warm));
  CHECK(value(cold.overall, Metric::Csat) == doctest::Approx(p_cold));
  CHECK(value(cold.overall, Metric::AhtS) > 1.25 * 240 * 0.95);
}

TEST_CASE("outcomes: churn of unresolved cases matches the customer model's expectation") {
  // Every contact its own case, none resolved; a base so large that almost nobody has two
  // cases: 2,000 cases over 10 million customers give 0.2 pairs on the same customer per
  // replication, each moving `churned` by under 0.03 of about 195 (the memory factor on the
  // second case), hence the 1e-3 tolerance. (The validator caps the base at 100 million; the
  // model keeps 5 bytes per customer.)
  const ExperimentResult r = run(calm(0.0), 5, 2);
  const CustomerParams c;
  const double per_case = c.decision_share * c.stated_to_actual * (1 - c.stay_unresolved);
  const double cases = value(r.overall, Metric::Offered);
  CHECK(value(r.overall, Metric::Churned) == doctest::Approx(cases * per_case).epsilon(1e-3));
  CHECK(value(r.overall, Metric::ChurnRate) ==
        doctest::Approx(cases * per_case / 1e7).epsilon(1e-3));
  CHECK(value(r.overall, Metric::RevenueAtRisk) ==
        doctest::Approx(cases * per_case * c.value_per_year).epsilon(1e-3));
  CHECK(value(r.overall, Metric::WomNegative) ==
        doctest::Approx(cases * c.wom_unhappy_mean).epsilon(1e-4));
  // Resolved cases lose fewer customers; a small base remembers bad cases and loses more
  // per case than the same cases spread over many customers.
  CHECK(value(run(calm(1.0), 5, 2).overall, Metric::Churned) < 0.7 * cases * per_case);
  const double small = value(run(calm(0.0, 500), 5, 2).overall, Metric::Churned);
  CHECK(small < 500);
  CHECK(small / cases > per_case);
}

TEST_CASE("outcomes: [outcomes] and the groups' care keys load, with errors that say where") {
  const Scenario s = parseScenario(R"(
[scenario]
name = "outcomes"
horizon_hours = 8

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 100 }
handle_time = { dist = "exponential", mean_s = 300 }

[[agent_groups]]
id = "team"
channels = ["phone"]
agents = 12
empathy = 0.85
professionalism = 0.6
fcr_uplift = 0.05

[outcomes]
customers = 250000
value_per_year = 320
response_rate = 0.2
)",
                                   "outcomes.toml");
  REQUIRE(s.outcomes.has_value());
  CHECK(s.outcomes->customers == 250000);
  REQUIRE(s.outcomes->calibration);
  CHECK(s.agent_groups[0].empathy == 0.85);
  CHECK(s.agent_groups[0].professionalism == 0.6);
  CHECK(s.agent_groups[0].fcr_uplift == 0.05);
  try {
    parseScenario(R"(
[scenario]
name = "bad outcomes"
horizon_hours = 8

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = 100 }
handle_time = { dist = "exponential", mean_s = 300 }

[[agent_groups]]
id = "team"
channels = ["phone"]
agents = 12
empathy = 1.5

[outcomes]
customers = 0
calibration = "no_such_file.toml"
)",
                  "bad.toml");
    FAIL("expected errors");
  } catch (const ScenarioError& e) {
    std::vector<std::string> found;
    for (const Diagnostic& d : e.diagnostics()) found.push_back(d.format());
    CAPTURE(found);
    REQUIRE(found.size() == 3);
    CHECK(found[0].find("bad.toml:16:11: agent_groups[0].empathy: expected a score from 0 to 1") !=
          std::string::npos);
    CHECK(found[1].find("outcomes.customers: expected a customer base of at least 1") !=
          std::string::npos);
    CHECK(found[2].find("outcomes.calibration: cannot read \"no_such_file.toml\"") !=
          std::string::npos);
  }
}
