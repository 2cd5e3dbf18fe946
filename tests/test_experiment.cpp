// Experiments (sim/experiment.hpp): the confidence intervals of replicated runs narrow like
// 1/√reps, as the t-based half-width promises; failures on worker threads reach the caller.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/experiment.hpp"
#include "sim/stats.hpp"
#include "test_support.hpp"

using namespace cx;

namespace {

// CDF of Fisher's F(d1, d2) through the regularised incomplete beta.
double fCdf(double x, double d1, double d2) {
  if (x <= 0.0) return 0.0;
  return incompleteBeta(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2));
}

// Quantile of F(d1, d2) by bisection on the CDF (monotone): plenty for a test tolerance.
double fQuantile(double p, double d1, double d2) {
  double lo = 0.0, hi = 1.0;
  while (fCdf(hi, d1, d2) < p) hi *= 2.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (fCdf(mid, d1, d2) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

TEST_CASE("experiment: the F quantiles used below match published tables") {
  // F(0.95; 5, 10) = 3.3258 and F(0.99; 10, 20) = 3.3682 (NIST/SEMATECH tables).
  CHECK(fQuantile(0.95, 5, 10) == doctest::Approx(3.3258).epsilon(1e-4));
  CHECK(fQuantile(0.99, 10, 20) == doctest::Approx(3.3682).epsilon(1e-4));
}

TEST_CASE("experiment: CI half-widths shrink like 1/sqrt(reps)") {
  // A short, noisy Erlang-A queue. Two experiments on disjoint replications (streams 0..39
  // and 40..1319), so their sample variances are independent estimates of one variance.
  const Scenario s =
      test::singleQueue(120, DistSpec::exponential(240), 8, DistSpec::exponential(180), 2.0, 0.25);
  constexpr int kSmall = 40, kLarge = 1280;
  ExperimentOptions small_options;
  small_options.seed = 7;
  small_options.replications = kSmall;
  small_options.threads = 2;
  ExperimentOptions large_options = small_options;
  large_options.replications = kLarge;
  large_options.first_replication = kSmall;
  const ExperimentResult small = runExperiment(s, small_options);
  const ExperimentResult large = runExperiment(s, large_options);

  // h_n = t(0.975, n−1) · s_n / √n. Remove the t quantiles and the √n the claim is about:
  // what is left, (s_small / s_large)², is a ratio of two independent sample variances of
  // the same quantity, distributed F(n_small − 1, n_large − 1) for normal replication means.
  // The check: the observed ratio lies in the central 99.9% of that F, about [0.41, 1.9].
  // A half-width shrinking like n^-p puts a factor 32^(2p−1) (32 = 1280/40) into the ratio:
  // p = 1 gives 32, p = 0 (no shrinking) 1/32, and any p outside about [0.37, 0.60] falls
  // outside the interval.
  const double d1 = kSmall - 1, d2 = kLarge - 1;
  const double f_lo = fQuantile(0.0005, d1, d2), f_hi = fQuantile(0.9995, d1, d2);
  for (const Metric m : {Metric::ServiceLevel, Metric::AsaS, Metric::AbandonRate, Metric::Offered,
                         Metric::Occupancy}) {
    const Estimate& a = test::est(small.overall, m);
    const Estimate& b = test::est(large.overall, m);
    REQUIRE(a.n == kSmall);
    REQUIRE(b.n == kLarge);
    const double scaled_small = a.ci95 / studentTQuantile(0.975, d1) * std::sqrt(kSmall);
    const double scaled_large = b.ci95 / studentTQuantile(0.975, d2) * std::sqrt(kLarge);
    const double variance_ratio = std::pow(scaled_small / scaled_large, 2);
    INFO(metricInfo(m).name << ": h40 = " << a.ci95 << ", h1280 = " << b.ci95
                            << ", h40/h1280 = " << a.ci95 / b.ci95 << ", variance ratio "
                            << variance_ratio << " in [" << f_lo << ", " << f_hi << "]?");
    CHECK(variance_ratio >= f_lo);
    CHECK(variance_ratio <= f_hi);
    // The headline number: 32× the replications, about √32 ≈ 5.7× narrower (t quantiles aside).
    CHECK(a.ci95 / b.ci95 >
          std::sqrt(32.0 * f_lo) * studentTQuantile(0.975, d1) / studentTQuantile(0.975, d2));
  }
}

TEST_CASE("experiment: an exception in a replication on a worker thread reaches the caller") {
  // Before: the exception left the worker thread and std::terminate aborted the process
  // (exit 134), whatever the caller's try/catch. Now the first failure is rethrown on the
  // calling thread once the workers have stopped, with 2 threads as with 1.
  const Scenario too_long =  // refused by the engine (built in code, past validateScenario)
      test::singleQueue(60, DistSpec::exponential(240), 5, std::nullopt, 1e12, 0);
  for (const int threads : {2, 1}) {
    CAPTURE(threads);
    ExperimentOptions opt;
    opt.replications = 4;
    opt.threads = threads;
    std::string message;
    try {
      runExperiment(too_long, opt);
      FAIL("runExperiment returned");
    } catch (const std::invalid_argument& e) {
      message = e.what();
    }
    CHECK(message.find("too long for the engine") != std::string::npos);
  }
}

TEST_CASE("experiment: an exception from the progress callback on a worker reaches the caller") {
  const Scenario s =
      test::singleQueue(120, DistSpec::exponential(240), 8, DistSpec::exponential(180), 0.5, 0);
  ExperimentOptions opt;
  opt.replications = 40;
  opt.threads = 2;
  std::atomic<int> calls{0};
  opt.progress = [&calls](int done, int) {
    ++calls;
    if (done == 3) throw std::runtime_error("progress failed at 3");
  };
  CHECK_THROWS_WITH_AS(runExperiment(s, opt), "progress failed at 3", std::runtime_error);
  CHECK(calls.load() < 40);  // the workers stopped taking replications
  // The same experiment without the failure still runs, on two threads.
  opt.progress = nullptr;
  CHECK(runExperiment(s, opt).replications == 40);
}
