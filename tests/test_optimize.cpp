// Optimisation over a sweep (sim/optimize.hpp): constraints, their one-sided confidence,
// the choice of the best feasible point on hand-made results, and the staffing answer on an
// Erlang-A queue checked against the exact formula.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "sim/analytic.hpp"
#include "sim/optimize.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::sourcePath;

namespace {

// An estimate over n = 10 replications with the given standard error.
Estimate withSe(double mean, double se) {
  return Estimate{mean, studentTQuantile(0.975, 9) * se, 10};
}

// A hand-made sweep of one key; each point: (agents, service level estimate).
SweepResult handMade(const std::vector<std::pair<int, Estimate>>& points) {
  SweepResult s;
  s.file = "hand.toml";
  s.keys = {"channels.phone.agents"};
  s.replications = 10;
  for (const auto& [agents, sl] : points) {
    SweepPoint p;
    p.values = {std::to_string(agents)};
    p.overall[static_cast<std::size_t>(Metric::AgentsMean)] = Estimate{double(agents), 0.0, 10};
    p.overall[static_cast<std::size_t>(Metric::ServiceLevel)] = sl;
    p.overall[static_cast<std::size_t>(Metric::AbandonRate)] = withSe(0.02, 0.001);
    s.points.push_back(p);
  }
  return s;
}

}  // namespace

TEST_CASE("optimize: constraints parse and bad ones say why") {
  const Constraint c = parseConstraint("service_level >= 0.8");
  CHECK(c.metric == Metric::ServiceLevel);
  CHECK(c.at_least);
  CHECK(c.bound == 0.8);
  const Constraint d = parseConstraint("asa_s<=20");
  CHECK_FALSE(d.at_least);
  CHECK(d.bound == 20.0);
  CHECK_THROWS_WITH_AS(parseConstraint("service_level>0.8"), doctest::Contains("METRIC>=VALUE"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseConstraint("happiness>=0.8"),
                       doctest::Contains("no metric 'happiness'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseConstraint("asa_s<=fast"), doctest::Contains("expected a number"),
                       std::invalid_argument);
}

TEST_CASE("optimize: a constraint's confidence is one-sided Student t") {
  const Constraint at_least = parseConstraint("service_level>=0.8");
  const Constraint at_most = parseConstraint("asa_s<=20");
  // Two standard errors above the bound, 9 degrees of freedom.
  CHECK(constraintConfidence(withSe(0.82, 0.01), at_least) == doctest::Approx(studentTCdf(2.0, 9)));
  CHECK(constraintConfidence(withSe(0.82, 0.01), at_least) ==
        doctest::Approx(0.96170).epsilon(1e-4));
  CHECK(constraintConfidence(withSe(0.80, 0.01), at_least) == doctest::Approx(0.5));
  CHECK(constraintConfidence(withSe(0.78, 0.01), at_least) ==
        doctest::Approx(1 - 0.96170).epsilon(1e-3));
  CHECK(constraintConfidence(withSe(18.0, 1.0), at_most) == doctest::Approx(studentTCdf(2.0, 9)));
  // A constant is met or not; undefined stays undefined.
  CHECK(constraintConfidence(Estimate{0.8, 0.0, 5}, at_least) == 1.0);
  CHECK(constraintConfidence(Estimate{0.79, 0.0, 5}, at_least) == 0.0);
  CHECK(std::isnan(constraintConfidence(Estimate{0.9, NAN, 1}, at_least)));
}

TEST_CASE("optimize: the cheapest point meeting every constraint with the confidence asked") {
  const SweepResult s = handMade({
      {40, withSe(0.76, 0.01)},   // misses
      {41, withSe(0.805, 0.01)},  // meets on average, confidence only ~69%
      {42, withSe(0.83, 0.01)},   // 3 se above: ~99.2%
      {43, withSe(0.86, 0.01)},
  });
  const std::vector<Constraint> constraints = {parseConstraint("service_level>=0.8"),
                                               parseConstraint("abandon_rate<=0.05")};
  const OptimizeResult r = optimizeSweep(s, Metric::AgentsMean, Better::Lower, constraints, 0.95);
  REQUIRE(r.best.has_value());
  CHECK(*r.best == 2);
  CHECK(r.feasible == std::vector<bool>{false, false, true, true});
  CHECK(r.confidence[1][0] == doctest::Approx(studentTCdf(0.5, 9)));
  // Bonferroni: 1 − (1 − c_sl) − (1 − c_abandon).
  CHECK(r.joint[2] == doctest::Approx(r.confidence[2][0] + r.confidence[2][1] - 1.0));
  // Asking less confidence buys the cheaper point; asking too much finds none.
  CHECK(*optimizeSweep(s, Metric::AgentsMean, Better::Lower, constraints, 0.6).best == 1);
  CHECK_FALSE(optimizeSweep(s, Metric::AgentsMean, Better::Lower,
                            {parseConstraint("service_level>=0.9")}, 0.95)
                  .best.has_value());
  // Maximising picks the other end.
  CHECK(*optimizeSweep(s, Metric::ServiceLevel, Better::Higher, constraints, 0.95).best == 3);
  const auto j = optimizeJson(r);
  CHECK(j["best"]["values"]["channels.phone.agents"] == 42);
  CHECK(j["best"]["constraints"][0]["confidence"].get<double>() > 0.99);
  CHECK(j["points"].size() == 4);
  CHECK(optimizeText(r).find("Best: channels.phone.agents=42") != std::string::npos);
}

TEST_CASE("optimize: Erlang-A staffing found by simulation matches the exact minimum") {
  // 600 calls/h, AHT 240 s, patience 120 s, 75% in 20 s: exactly 40 agents (76.9%; 39 give
  // 72.7%), each five standard errors or more from the target with 10 replications of 30 h.
  analytic::StaffingTarget target;
  target.service_level = 0.75;
  const int exact = analytic::minimumAgents(600 / 3600.0, 240, 120.0, target).agents;
  REQUIRE(exact == 40);
  SweepSpec spec;
  spec.file = sourcePath("scenarios/validation/erlang_a.toml");
  spec.overrides = {"scenario.horizon_hours=30"};
  spec.ranges = {parseRange("channels.phone.agents=38:42:1")};
  ExperimentOptions opt;
  opt.replications = 10;
  const PreparedSweep prepared = prepareSweep(spec, 1);
  const OptimizeResult r =
      optimizeSweep(runSweep(spec, prepared, opt), Metric::AgentsMean, Better::Lower,
                    {parseConstraint("service_level>=0.75")}, 0.95);
  REQUIRE(r.best.has_value());
  CHECK(r.sweep.points[*r.best].values[0] == std::to_string(exact));
  CHECK(r.joint[*r.best] > 0.99);
  CHECK(r.joint[*r.best - 1] < 0.01);
}

TEST_CASE(
    "optimize: metricNeeds names the table a scenario lacks for a metric, nothing otherwise") {
  // bot_chat: one chat channel behind a bot, with [costs]; no [outcomes], reasons or journeys.
  const Scenario bot = loadScenario(sourcePath("scenarios/examples/bot_chat.toml"));
  CHECK(metricNeeds(bot, Metric::Csat) == "an [outcomes] table");
  CHECK(metricNeeds(bot, Metric::Nps) == "an [outcomes] table");
  CHECK(metricNeeds(bot, Metric::ChurnRate) == "an [outcomes] table");
  CHECK(metricNeeds(bot, Metric::CaseResolution).find("[journeys]") != std::string::npos);
  CHECK(metricNeeds(bot, Metric::Fcr).find("[[intents]]") != std::string::npos);
  CHECK(metricNeeds(bot, Metric::FrtS) == "an email or messaging channel");
  CHECK(metricNeeds(bot, Metric::SilentAbandoned) == "a channel with silent_abandon");
  for (Metric m :
       {Metric::CostTotal, Metric::CostPerContact, Metric::BotContainment, Metric::Deflected,
        Metric::ServiceLevel, Metric::AbandonRate, Metric::AgentsMean})
    CHECK(metricNeeds(bot, m).empty());
  // erlang_a: a bare queue, neither bot nor costs.
  const Scenario bare = loadScenario(sourcePath("scenarios/validation/erlang_a.toml"));
  CHECK(metricNeeds(bare, Metric::CostTotal) == "a [costs] table");
  CHECK(metricNeeds(bare, Metric::BotContainment).find("[bot]") != std::string::npos);
  CHECK(metricNeeds(bare, Metric::AsaS).empty());
  // The check agrees with what a run measures: every metric it passes is defined, every one
  // it names is undefined (default.toml models almost everything; erlang_a almost nothing).
  for (const auto& [file, shorter] :
       {std::pair{"scenarios/default.toml", "scenario.days=1"},
        std::pair{"scenarios/validation/erlang_a.toml", "scenario.horizon_hours=4"},
        std::pair{"scenarios/examples/bot_chat.toml", "scenario.horizon_hours=4"}}) {
    const Scenario s = loadScenario(sourcePath(file), {shorter});
    ExperimentOptions opt;
    opt.replications = 2;
    const ExperimentResult r = runExperiment(s, opt);
    for (const MetricInfo& m : allMetrics()) {
      CAPTURE(file);
      CAPTURE(m.name);
      const bool defined = r.overall[static_cast<std::size_t>(m.metric)].n > 0;
      CHECK(defined == metricNeeds(s, m.metric).empty());
    }
  }
}

TEST_CASE("optimize: a cancelled sweep is judged on its completed points, and says so") {
  SweepResult s = handMade({{40, withSe(0.76, 0.01)}, {42, withSe(0.83, 0.01)}});
  const std::vector<Constraint> constraints = {parseConstraint("service_level>=0.8")};
  const std::string whole =
      optimizeText(optimizeSweep(s, Metric::AgentsMean, Better::Lower, constraints, 0.95));
  CHECK(whole.find("stopped early") == std::string::npos);
  s.cancelled = true;
  const OptimizeResult r = optimizeSweep(s, Metric::AgentsMean, Better::Lower, constraints, 0.95);
  REQUIRE(r.best.has_value());
  CHECK(*r.best == 1);
  CHECK(optimizeText(r).find("· feasible = all constraints met with confidence ≥ 95.0%\nstopped "
                             "early: only the completed points are judged\n\n") !=
        std::string::npos);
  CHECK(optimizeJson(r)["sweep"]["run"]["cancelled"] == true);
}
