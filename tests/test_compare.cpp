// Paired comparisons on common random numbers (sim/compare.hpp): the arithmetic of paired
// differences, verdicts that know each metric's good direction, exact zeros for a scenario
// against itself, and the variance reduction that is the point of CRN.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/compare.hpp"
#include "sim/html_report.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::sourcePath;

namespace {

const MetricComparison& of(const MetricComparisons& c, Metric m) {
  return c[static_cast<std::size_t>(m)];
}

// M/M/n+M at 600 calls/h, AHT 240 s, patience 120 s: 45 agents vs 46 is a real but small
// improvement (service level about +2 points), short runs so each replication is noisy.
Scenario erlangA(int agents) {
  return test::singleQueue(600, DistSpec::exponential(240), agents, DistSpec::exponential(120), 4.0,
                           0.5);
}

// The first k (2..max) at which the 95% CI of the service-level difference over the first k
// pairs excludes 0, or nullopt. Replication r always runs on the same streams, so the first k
// replications of a long run are exactly a k-replication run.
std::optional<int> replicationsToDetect(const Comparison& c) {
  std::vector<const MetricValues*> a, b;
  for (int k = 1; k <= c.replications; ++k) {
    a.push_back(&c.a.reps[static_cast<std::size_t>(k - 1)].overall);
    b.push_back(&c.b.reps[static_cast<std::size_t>(k - 1)].overall);
    if (k < 2) continue;
    const MetricComparison sl = of(compareReplications(a, b), Metric::ServiceLevel);
    if (sl.verdict == "better") return k;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("compare: paired differences and their CI, by hand") {
  MetricValues a1{}, a2{}, a3{}, b1{}, b2{}, b3{};
  const auto sl = static_cast<std::size_t>(Metric::ServiceLevel);
  const auto asa = static_cast<std::size_t>(Metric::AsaS);
  a1[sl] = 0.70, a2[sl] = 0.80, a3[sl] = 0.90;
  b1[sl] = 0.71, b2[sl] = 0.82, b3[sl] = 0.93;  // differences 0.01, 0.02, 0.03
  a1[asa] = 10, a2[asa] = 20, a3[asa] = NAN;    // an undefined value drops its pair
  b1[asa] = 12, b2[asa] = 21, b3[asa] = 30;
  const MetricComparisons c = compareReplications({&a1, &a2, &a3}, {&b1, &b2, &b3});
  const MetricComparison& s = of(c, Metric::ServiceLevel);
  CHECK(s.n == 3);
  CHECK(s.a == doctest::Approx(0.80));
  CHECK(s.b == doctest::Approx(0.82));
  CHECK(s.diff == doctest::Approx(0.02));
  // sd of (0.01, 0.02, 0.03) is 0.01: half-width t(0.975, 2) · 0.01 / √3.
  CHECK(s.ci95 == doctest::Approx(4.302653 * 0.01 / std::sqrt(3.0)).epsilon(1e-5));
  CHECK(s.verdict == "no significant difference");  // 0.02 < 0.0248
  // The unpaired half-width uses each side's own spread (sd 0.1 and 0.11).
  CHECK(s.ci95_independent ==
        doctest::Approx(4.302653 * std::sqrt((0.01 + 0.0121) / 3.0)).epsilon(1e-5));
  const MetricComparison& w = of(c, Metric::AsaS);
  CHECK(w.n == 2);
  CHECK(w.diff == doctest::Approx(1.5));
  CHECK(w.a == doctest::Approx(15.0));
  CHECK(w.b == doctest::Approx(21.0));  // the means use every defined value
}

TEST_CASE("compare: verdicts follow each metric's good direction") {
  CHECK(verdictFor(Metric::ServiceLevel, 0.02, 0.01, 10) == "better");
  CHECK(verdictFor(Metric::ServiceLevel, -0.02, 0.01, 10) == "worse");
  CHECK(verdictFor(Metric::AsaS, -3.0, 1.0, 10) == "better");
  CHECK(verdictFor(Metric::AsaS, 3.0, 1.0, 10) == "worse");
  CHECK(verdictFor(Metric::AbandonRate, -0.01, 0.001, 10) == "better");
  CHECK(verdictFor(Metric::Occupancy, 0.05, 0.01, 10) == "higher");  // no good direction
  CHECK(verdictFor(Metric::Occupancy, -0.05, 0.01, 10) == "lower");
  CHECK(verdictFor(Metric::ServiceLevel, 0.02, 0.03, 10) == "no significant difference");
  CHECK(verdictFor(Metric::ServiceLevel, 0.0, 0.0, 10) == "no significant difference");
  CHECK(verdictFor(Metric::ServiceLevel, NAN, 0.0, 10) == "no significant difference");
  CHECK(verdictFor(Metric::ServiceLevel, 0.02, 0.0, 1) == "no significant difference");
  // A constant difference (one more agent on duty) has a zero-width CI: significant.
  CHECK(verdictFor(Metric::AgentsMean, 1.0, 0.0, 5) == "higher");
  // Every metric has a direction entry, and counts of bad things are "lower is better".
  CHECK(metricInfo(Metric::Abandoned).better == Better::Lower);
  CHECK(metricInfo(Metric::ServiceLevel).better == Better::Higher);
}

TEST_CASE("compare: a scenario against itself differs by exactly zero, overall and per channel") {
  const Scenario s = loadScenario(sourcePath("scenarios/default.toml"), {"scenario.days=1"});
  ExperimentOptions opt;
  opt.seed = 3;
  opt.replications = 3;
  const Comparison c = compareScenarios(s, s, opt);
  REQUIRE(c.replications == 3);
  REQUIRE(c.channels.size() == s.channels.size());
  auto checkZero = [](const MetricComparisons& metrics) {
    for (const MetricInfo& m : allMetrics()) {
      INFO(m.name);
      const MetricComparison& x = of(metrics, m.metric);
      if (x.n == 0) continue;  // undefined on both sides (e.g. channel occupancy when shared)
      CHECK(x.diff == 0.0);
      CHECK(x.ci95 == 0.0);
      CHECK(x.a == x.b);
      CHECK(x.verdict == "no significant difference");
    }
  };
  checkZero(c.overall);
  for (const ScopeComparison& ch : c.channels) checkZero(ch.metrics);
  CHECK(c.channels[0].id == "phone");
  CHECK(of(c.overall, Metric::Offered).n == 3);
}

TEST_CASE("compare: one more agent is detected with fewer replications under CRN") {
  constexpr int kMaxReps = 40;
  ExperimentOptions opt;
  opt.seed = 1;
  opt.replications = kMaxReps;
  const Comparison crn = compareScenarios(erlangA(45), erlangA(46), opt, Streams::Common);
  const Comparison ind = compareScenarios(erlangA(45), erlangA(46), opt, Streams::Independent);
  // Same A, different B streams.
  CHECK(of(ind.overall, Metric::Offered).diff != 0.0);
  CHECK(of(crn.overall, Metric::Offered).diff == 0.0);
  CHECK(of(crn.overall, Metric::Offered).a == of(ind.overall, Metric::Offered).a);

  const std::optional<int> k_crn = replicationsToDetect(crn);
  const std::optional<int> k_ind = replicationsToDetect(ind);
  INFO("CRN detects at " << k_crn.value_or(-1) << " replications, independent at "
                         << k_ind.value_or(-1));
  REQUIRE(k_crn.has_value());
  // Seeds 1 to 12 all give 2-5 replications under CRN against 6 to over 40 independently.
  CHECK(*k_crn <= 5);
  CHECK((!k_ind || *k_ind > *k_crn));
  // With all 40 pairs the CRN interval is several times narrower, on the same runs
  // (ci95_independent) and against a truly independent comparison.
  const MetricComparison& sl = of(crn.overall, Metric::ServiceLevel);
  const MetricComparison& sl_ind = of(ind.overall, Metric::ServiceLevel);
  INFO("CRN ±" << sl.ci95 << ", estimated independent ±" << sl.ci95_independent << ", independent ±"
               << sl_ind.ci95);
  CHECK(sl.ci95 * 3 < sl.ci95_independent);
  CHECK(sl.ci95 * 3 < sl_ind.ci95);
  CHECK(sl.verdict == "better");
  // Both see the same improvement within their CIs.
  CHECK(std::fabs(sl.diff - sl_ind.diff) < sl.ci95 + sl_ind.ci95);
  // Agents on duty: exactly one more, in every replication.
  CHECK(of(crn.overall, Metric::AgentsMean).diff == doctest::Approx(1.0));
  CHECK(of(crn.overall, Metric::AgentsMean).verdict == "higher");
}

TEST_CASE("compare: results and JSON do not depend on the thread count") {
  ExperimentOptions opt;
  opt.seed = 5;
  opt.replications = 4;
  opt.threads = 1;
  const Scenario a = erlangA(44), b = erlangA(46);
  const Comparison one = compareScenarios(a, b, opt);
  opt.threads = 2;
  const Comparison two = compareScenarios(a, b, opt);
  CHECK(comparisonToJson(a, b, one).dump() == comparisonToJson(a, b, two).dump());
  const auto j = comparisonToJson(a, b, one);
  CHECK(j["streams"] == "common");
  CHECK(j["reps"] == 4);
  for (const MetricInfo& m : allMetrics()) {
    INFO(m.name);
    for (const char* field : {"a", "b", "diff", "ci95", "verdict"})
      CHECK(j["overall"][m.name].contains(field));
  }
  CHECK(j["channels"]["phone"]["service_level"]["verdict"] == "better");
}

TEST_CASE("compare: a metric only one side models says which side, not 'no difference'") {
  Scenario a = loadScenario(sourcePath("scenarios/default.toml"), {"scenario.days=1"});
  Scenario b = a;
  b.outcomes.reset();  // B does not model what customers feel
  ExperimentOptions opt;
  opt.replications = 2;
  const Comparison c = compareScenarios(a, b, opt);
  CHECK(of(c.overall, Metric::Csat).verdict == "only in A");
  CHECK(of(compareScenarios(b, a, opt).overall, Metric::Csat).verdict == "only in B");
  CHECK(of(c.overall, Metric::Deflected).verdict == "in neither");  // no bot on either side
  CHECK(of(c.overall, Metric::ServiceLevel).verdict == "no significant difference");
}

namespace {

// Two estimate tables agree to the bit (NaN matching NaN).
void checkSame(const std::vector<MetricEstimates>& x, const std::vector<MetricEstimates>& y,
               const char* what) {
  INFO(what);
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const Estimate &a = x[i][m], &b = y[i][m];
      CAPTURE(i);
      CAPTURE(metricInfo(static_cast<Metric>(m)).name);
      CHECK(a.n == b.n);
      CHECK((a.mean == b.mean || (std::isnan(a.mean) && std::isnan(b.mean))));
      CHECK((a.ci95 == b.ci95 || (std::isnan(a.ci95) && std::isnan(b.ci95))));
    }
}

}  // namespace

TEST_CASE("compare: each side is what runExperiment gives for it, in every table") {
  // compareScenarios runs the pairs on its own pool and summarises each side itself: the
  // figures must be runExperiment's, overall, per channel, group, interval and cell.
  const Scenario a = loadScenario(sourcePath("scenarios/default.toml"), {"scenario.days=1"});
  const Scenario b = loadScenario(sourcePath("scenarios/default.toml"),
                                  {"scenario.days=1", "channels.chat.agents=9"});
  ExperimentOptions opt;
  opt.seed = 8;
  opt.replications = 3;
  opt.threads = 2;
  const Comparison c = compareScenarios(a, b, opt);
  const ExperimentResult ra = runExperiment(a, opt), rb = runExperiment(b, opt);
  for (const auto& [side, ref] : {std::pair{&c.a, &ra}, std::pair{&c.b, &rb}}) {
    CHECK(side->replications == ref->replications);
    CHECK(side->seed == ref->seed);
    CHECK_FALSE(side->cancelled);
    REQUIRE(side->reps.size() == ref->reps.size());
    checkSame({side->overall}, {ref->overall}, "overall");
    checkSame(side->channels, ref->channels, "channels");
    checkSame(side->groups, ref->groups, "groups");
    checkSame(side->intervals, ref->intervals, "intervals");
    REQUIRE(side->interval_channels.size() == ref->interval_channels.size());
    for (std::size_t k = 0; k < ref->interval_channels.size(); ++k)
      checkSame(side->interval_channels[k], ref->interval_channels[k], "interval x channel");
    CHECK(side->engine.events == ref->engine.events);
    CHECK(side->engine.arrivals == ref->engine.arrivals);
    CHECK(side->engine.peak_in_system == ref->engine.peak_in_system);
  }
  CHECK_FALSE(c.cancelled);
  CHECK(c.requested == 3);
}

TEST_CASE("compare: cancelled after k pairs, it compares the first pairs as a shorter run would") {
  // The cancel flag raised from the progress callback once k pairs are done, as Ctrl-C would
  // be: with one thread exactly k pairs are kept, with two perhaps one more (the other worker
  // finishes what it holds). Under common streams the result is a k-replication comparison.
  const Scenario a = erlangA(44), b = erlangA(46);
  constexpr int kPairs = 12;
  for (int threads : {1, 2}) {
    for (int k : {2, 5}) {
      CAPTURE(threads);
      CAPTURE(k);
      std::atomic<bool> cancel{false};
      ExperimentOptions opt;
      opt.seed = 9;
      opt.replications = kPairs;
      opt.threads = threads;
      opt.cancel = &cancel;
      int last = 0;
      opt.progress = [&](int done, int total) {
        CHECK(total == kPairs);
        CHECK(done == last + 1);
        last = done;
        if (done >= k) cancel.store(true);
      };
      const Comparison cut = compareScenarios(a, b, opt);
      CHECK(cut.cancelled);
      CHECK(cut.requested == kPairs);
      if (threads == 1) CHECK(cut.replications == k);
      CHECK(cut.replications >= k);
      CHECK(cut.replications < kPairs);
      CHECK(cut.a.replications == cut.replications);
      CHECK(cut.b.replications == cut.replications);
      CHECK(cut.a.cancelled);

      ExperimentOptions shorter;
      shorter.seed = 9;
      shorter.replications = cut.replications;
      shorter.threads = threads;
      const Comparison ref = compareScenarios(a, b, shorter);
      auto j = comparisonToJson(a, b, cut);
      CHECK(j["cancelled"] == true);
      CHECK(j["reps"] == cut.replications);
      CHECK(j["reps_requested"] == kPairs);
      j.erase("cancelled");
      j.erase("reps_requested");
      auto jr = comparisonToJson(a, b, ref);
      CHECK(jr["cancelled"] == false);
      CHECK_FALSE(jr.contains("reps_requested"));
      jr.erase("cancelled");
      CHECK(j.dump() == jr.dump());
      CHECK(comparisonText(a, b, cut).find(
                fmt::format("stopped early: {} of the {} pairs asked for completed",
                            cut.replications, kPairs)) != std::string::npos);
      CHECK(comparisonText(a, b, ref).find("stopped early") == std::string::npos);
      // The HTML report says so too (compare --report after Ctrl-C).
      CHECK(compareReportHtml(a, b, cut).find(
                fmt::format("stopped early: {} of the {} pairs asked for completed",
                            cut.replications, kPairs)) != std::string::npos);
      CHECK(compareReportHtml(a, b, ref).find("stopped early") == std::string::npos);
    }
  }
}

TEST_CASE("compare: an exception in a replication or in progress reaches the caller") {
  // On the pool's worker threads an exception would otherwise end the process (std::terminate).
  const Scenario ok = erlangA(45);
  const Scenario too_long =  // refused by the engine (built in code, past validateScenario)
      test::singleQueue(60, DistSpec::exponential(240), 5, std::nullopt, 1e12, 0);
  for (const int threads : {2, 1}) {
    CAPTURE(threads);
    ExperimentOptions opt;
    opt.replications = 4;
    opt.threads = threads;
    CHECK_THROWS_AS(compareScenarios(ok, too_long, opt), std::invalid_argument);
    std::atomic<int> calls{0};
    opt.replications = 30;
    opt.progress = [&calls](int done, int) {
      ++calls;
      if (done == 2) throw std::runtime_error("progress failed at 2");
    };
    CHECK_THROWS_WITH_AS(compareScenarios(ok, ok, opt), "progress failed at 2", std::runtime_error);
    CHECK(calls.load() < 30);  // the workers stopped taking replications
  }
}
