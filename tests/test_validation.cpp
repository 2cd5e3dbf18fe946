// Validation of the simulator against exact queueing results (CALIBRATION.md, "Reference
// results for validation"). Each check: the mean over replications lies within 4 standard
// errors of the exact value, and the confidence interval is narrow enough that a wrong model
// would be caught (see checkAgainst in test_support.hpp). Seeds are fixed.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "sim/analytic.hpp"
#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

ExperimentResult simulate(const Scenario& s, int reps, std::uint64_t seed = 1) {
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  opt.threads = 2;
  return runExperiment(s, opt);
}

// Per-replication values of a derived quantity, summarised.
template <typename F>
Estimate perReplication(const ExperimentResult& r, F f) {
  std::vector<double> v;
  for (const auto& rep : r.reps) v.push_back(f(rep.overall));
  return estimate(v);
}

double at(const MetricValues& v, Metric m) {
  return v[static_cast<std::size_t>(m)];
}

}  // namespace

TEST_CASE("validation: Erlang C, 100 calls per 30 min, AHT 180 s, 14 agents") {
  // CALIBRATION.md: P(wait) 0.174, SL(20 s) 0.888, occupancy 0.714, ASA 7.84 s.
  const auto exact = analytic::erlangC(200.0 / 3600, 180, 14, 20);
  CHECK(exact.p_wait == doctest::Approx(0.174).epsilon(0.003));
  const Scenario s = singleQueue(200, DistSpec::exponential(180), 14, std::nullopt, 2000);
  const ExperimentResult r = simulate(s, 20);
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.005, "P(wait)");
  checkAgainst(est(r.overall, Metric::ServiceLevel), exact.service_level, 0.003, "SL(20 s)");
  checkAgainst(est(r.overall, Metric::Occupancy), exact.occupancy, 0.002, "occupancy");
  checkAgainst(est(r.overall, Metric::AsaS), exact.asa_s, 0.3, "ASA");
  CHECK(value(r.overall, Metric::Abandoned) == 0);
}

TEST_CASE("validation: Erlang A, same centre with mean patience 5 minutes") {
  // CALIBRATION.md: P(wait) 0.14526, P(abandon) 0.013984, occupancy 0.704297,
  // mean wait of all arrivals 4.195 s, P(answered within 20 s) 0.916792.
  const Scenario s =
      singleQueue(200, DistSpec::exponential(180), 14, DistSpec::exponential(300), 2000);
  const ExperimentResult r = simulate(s, 20);
  checkAgainst(est(r.overall, Metric::PWait), 0.14526, 0.005, "P(wait)");
  checkAgainst(est(r.overall, Metric::AbandonRate), 0.013984, 0.001, "P(abandon)");
  checkAgainst(est(r.overall, Metric::Occupancy), 0.704297, 0.002, "occupancy");
  checkAgainst(est(r.overall, Metric::WaitAllS), 4.195, 0.2, "mean wait of all arrivals");
  checkAgainst(est(r.overall, Metric::ServiceLevel), 0.916792, 0.003, "answered within 20 s");
}

TEST_CASE("validation: Erlang A with patience equal to handle time is M/M/infinity") {
  // With θ = μ the number in system is Poisson(R): P(wait) = P(Poisson(100) >= 110) = 0.17056.
  const Scenario s =
      singleQueue(3600, DistSpec::exponential(100), 110, DistSpec::exponential(100), 120, 1);
  const ExperimentResult r = simulate(s, 12);
  checkAgainst(est(r.overall, Metric::PWait), 0.17056, 0.006, "P(wait)");
}

TEST_CASE("validation: Erlang C at 100 erlangs, 110 agents") {
  // CALIBRATION.md: P(wait) 0.237 for N = 110 (0.516/0.095/0.033 for 105/115/120 are checked
  // analytically in test_analytic.cpp).
  const auto exact = analytic::erlangC(1.0, 100, 110, 20);
  CHECK(exact.p_wait == doctest::Approx(0.237).epsilon(0.003));
  const Scenario s = singleQueue(3600, DistSpec::exponential(100), 110, std::nullopt, 150, 2);
  const ExperimentResult r = simulate(s, 12);
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.012, "P(wait)");
}

TEST_CASE("validation: M/G/1 with lognormal service, CV 1.5, load 0.8 (Pollaczek-Khinchine)") {
  // Wq = rho / (1 - rho) * (1 + cv^2) / 2 * E[S] = 6.5 E[S].
  const double es = 60;
  const Scenario s =
      singleQueue(0.8 * 3600 / es, DistSpec::lognormal(es, 1.5), 1, std::nullopt, 20000, 50);
  const ExperimentResult r = simulate(s, 12);
  checkAgainst(est(r.overall, Metric::WaitAllS), 6.5 * es, 0.05 * 6.5 * es, "Wq");
  checkAgainst(est(r.overall, Metric::Occupancy), 0.8, 0.01, "utilisation");
}

TEST_CASE("validation: infinite servers with a sinusoidal arrival rate") {
  // λ(t) = 100 (1 + 0.2 sin t), μ = 1 (time unit: one hour): mean busy = 100 + 10 (sin t − cos t).
  // The rate is piecewise constant over 100 intervals per period (each interval's rate is the
  // exact average of λ over it); 400 agents are never all busy.
  constexpr int kPerPeriod = 100;
  constexpr double kTwoPi = 2 * std::numbers::pi;
  const double h = kTwoPi / kPerPeriod;  // interval length in hours
  Scenario s =
      singleQueue(0, DistSpec::exponential(3600), 400, std::nullopt, 20 * kTwoPi, 2 * kTwoPi);
  s.interval_minutes = h * 60;
  s.channels[0].arrivals.per_hour.clear();
  for (int k = 0; k < kPerPeriod; ++k) {
    const double a = k * h, b = a + h;
    s.channels[0].arrivals.per_hour.push_back(100 * (1 + 0.2 * (std::cos(a) - std::cos(b)) / h));
  }
  // The exact periodic mean for this piecewise-constant input (m' = λ_k − m), from iterating
  // the interval-to-interval map to its fixed point, and its interval averages.
  std::vector<double> exact(kPerPeriod);
  double m = 100;
  for (int sweep = 0; sweep < 60; ++sweep)
    for (int k = 0; k < kPerPeriod; ++k) {
      const double lam = s.channels[0].arrivals.per_hour[k];
      exact[k] = lam + (m - lam) * (1 - std::exp(-h)) / h;
      m = lam + (m - lam) * std::exp(-h);
    }

  ExperimentOptions opt;
  opt.seed = 4;
  opt.replications = 24;
  const ExperimentResult r = runExperiment(s, opt);
  REQUIRE(r.intervals.size() == kPerPeriod);
  double worst_formula = 0;
  for (int k = 0; k < kPerPeriod; ++k) {
    const Estimate& busy = est(r.intervals[k], Metric::BusyMean);
    CAPTURE(k);
    checkAgainst(busy, exact[k], 2.5, "mean busy agents in the interval");
    // The closed form of CALIBRATION.md, averaged over the interval.
    const double a = k * h, b = a + h;
    const double formula =
        100 + 10 * ((std::cos(a) - std::cos(b)) - (std::sin(b) - std::sin(a))) / h;
    worst_formula = std::max(worst_formula, std::fabs(exact[k] - formula));
  }
  CHECK(worst_formula < 0.05);  // the piecewise input is a faithful stand-in for λ(t)
}

TEST_CASE("validation: Little's law and P(abandon) = θ·E[queue]/λ on an Erlang A run") {
  const double per_hour = 600, patience = 120;
  const Scenario s =
      singleQueue(per_hour, DistSpec::exponential(240), 45, DistSpec::exponential(patience), 1000);
  const ExperimentResult r = simulate(s, 12);
  const double hours = 1000;
  // Little: E[queue] = λ_measured · E[wait of all arrivals], per replication (edge effects only).
  for (const auto& rep : r.reps) {
    const double lambda = at(rep.overall, Metric::Offered) / (hours * 3600);
    CHECK(at(rep.overall, Metric::QueueMean) ==
          doctest::Approx(lambda * at(rep.overall, Metric::WaitAllS)).epsilon(0.005));
    CHECK(at(rep.overall, Metric::BusyMean) ==
          doctest::Approx(lambda * (1 - at(rep.overall, Metric::AbandonRate)) *
                          at(rep.overall, Metric::AhtS))
              .epsilon(0.005));
  }
  // Abandonment: the difference between the two sides has mean zero.
  const Estimate diff = perReplication(r, [&](const MetricValues& v) {
    const double lambda = at(v, Metric::Offered) / (hours * 3600);
    return at(v, Metric::AbandonRate) - at(v, Metric::QueueMean) / patience / lambda;
  });
  checkAgainst(diff, 0.0, 0.002, "P(abandon) − θ·E[queue]/λ");
  // And both agree with the exact Erlang A figure.
  const auto exact = analytic::erlangA(per_hour / 3600, 240, 45, patience, 20);
  checkAgainst(est(r.overall, Metric::AbandonRate), exact.abandon_rate, 0.002, "P(abandon)");
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.006, "P(wait)");
}

TEST_CASE("validation: balking when all agents are busy matches the birth-death chain") {
  // M/M/N with arrivals joining with probability 1 − b once all N agents are busy.
  const double lambda = 200.0 / 3600, mu = 1.0 / 180, b = 0.3;
  const int n = 12;
  std::vector<double> p(400);
  p[0] = 1;
  for (std::size_t k = 1; k < p.size(); ++k) {
    const double birth = static_cast<int>(k - 1) < n ? lambda : lambda * (1 - b);
    p[k] = p[k - 1] * birth / (std::min<int>(static_cast<int>(k), n) * mu);
  }
  double total = 0, busy = 0;
  for (double x : p) total += x;
  for (std::size_t k = n; k < p.size(); ++k) busy += p[k] / total;  // PASTA: all busy on arrival
  Scenario s = singleQueue(200, DistSpec::exponential(180), n, std::nullopt, 2000);
  s.channels[0].balk_probability = b;
  const ExperimentResult r = simulate(s, 16);
  checkAgainst(est(r.overall, Metric::PWait), busy, 0.006, "P(all busy)");
  const Estimate balk_share = perReplication(
      r, [](const MetricValues& v) { return at(v, Metric::Balked) / at(v, Metric::Offered); });
  checkAgainst(balk_share, b * busy, 0.003, "P(balk)");
}

TEST_CASE("validation: the daily busyness factor over-disperses daily volumes") {
  // Daily count ~ Poisson(Λ·G), G ~ Gamma(α, 1/α): variance Λ + Λ²/α (Λ = 1000, α = 20: 51000).
  Scenario s;
  s.name = "busyness";
  s.days = 400;
  s.open_s = 9 * 3600;
  s.interval_minutes = 60;
  ChannelSpec c;
  c.id = "phone";
  c.agents = {20, 20};
  c.arrivals.per_hour = {500, 500};
  c.arrivals.busyness_alpha = 20;
  c.handle_time = DistSpec::exponential(60);
  c.patience = DistSpec::exponential(60);
  s.channels.push_back(c);
  struct DayCounter final : SimObserver {
    std::vector<double> per_day = std::vector<double>(400, 0.0);
    void onContact(const ContactRecord& r) override { per_day[r.day] += 1; }
    void onInterval(const IntervalSample&) override {}
    void onGroupInterval(const GroupSample&) override {}
  } counter;
  Simulation(s, 8, 0).run(counter);
  double mean = 0, var = 0;
  for (double x : counter.per_day) mean += x / 400;
  for (double x : counter.per_day) var += (x - mean) * (x - mean) / 399;
  const double expected_var = 1000 + 1000.0 * 1000 / 20;
  INFO("daily mean " << mean << ", variance " << var << " (expected " << expected_var << ")");
  CHECK(std::fabs(mean - 1000) < 4 * std::sqrt(expected_var / 400));
  // Sample variance of ~Gamma-mixed counts: relative sd ≈ sqrt(2/(n−1) + excess kurtosis/n),
  // about 0.09 here (Gamma(20) excess kurtosis 6/α = 0.3); 4 sd.
  CHECK(std::fabs(var / expected_var - 1) < 4 * 0.09);
}

TEST_CASE("validation: metric definitions on hand-built contact records") {
  // DESIGN.md §3 / docs/MODEL.md: abandon_rate = abandoned / (answered + abandoned) and
  // service_level = answered within threshold / (answered + abandoned), balked counted as
  // abandoned in both; p_wait = waited / contacts reaching the agents; asa_s = mean wait of
  // the answered. Threshold 20 s (inclusive).
  auto record = [](Outcome outcome, bool waited, double wait_s, double handle_s = 0) {
    ContactRecord r;
    r.outcome = outcome;
    r.waited = waited;
    r.wait_s = wait_s;
    r.response_s = outcome == Outcome::Answered ? wait_s : 0.0;
    r.handle_s = handle_s;
    return r;
  };
  const std::vector<ContactRecord> records = {
      record(Outcome::Answered, false, 0, 100),  // answered at once: within
      record(Outcome::Answered, false, 0, 200),  // answered at once: within
      record(Outcome::Answered, true, 10, 300),  // within
      record(Outcome::Answered, true, 20, 400),  // exactly the threshold: within
      record(Outcome::Answered, true, 50, 500),  // outside
      record(Outcome::Abandoned, true, 30),      // abandoned
      record(Outcome::Abandoned, true, 90),      // abandoned
      record(Outcome::Balked, true, 0),          // balked: abandoned too
  };
  // Hand-computed: answered 5, abandoned 3 (1 balked), ended 8; within 4; waited 6 of 8;
  // waits of the answered 0 + 0 + 10 + 20 + 50 = 80; of all 80 + 30 + 90 + 0 = 200.
  auto check = [](const MetricValues& v) {
    CHECK(at(v, Metric::Offered) == 8);
    CHECK(at(v, Metric::Answered) == 5);
    CHECK(at(v, Metric::Abandoned) == 3);
    CHECK(at(v, Metric::Balked) == 1);
    CHECK(at(v, Metric::AbandonRate) == 3.0 / 8.0);
    CHECK(at(v, Metric::ServiceLevel) == 4.0 / 8.0);
    CHECK(at(v, Metric::PWait) == 6.0 / 8.0);
    CHECK(at(v, Metric::AsaS) == 80.0 / 5.0);
    CHECK(at(v, Metric::WaitAllS) == 200.0 / 8.0);
    CHECK(at(v, Metric::AhtS) == 1500.0 / 5.0);
  };

  SUBCASE("Tally") {
    Tally t;
    for (const ContactRecord& r : records) t.add(r, 20.0);
    check(t.values());
  }
  SUBCASE("Monitor, as the engine feeds it") {
    Scenario s = singleQueue(60, DistSpec::exponential(240), 2, std::nullopt, 1, 0);
    s.channels[0].service_level.threshold_s = 20;
    Monitor monitor(s);
    for (const ContactRecord& r : records) monitor.onContact(r);
    const ReplicationMetrics m = monitor.metrics();
    check(m.overall);
    check(m.channels.at(0));
    check(m.intervals.at(0));
  }
}
