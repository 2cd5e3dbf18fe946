// Comparing two scenarios on common random numbers (DESIGN.md §4): replication r of A and of B
// use the same streams (seed, r, purpose), so the paired differences B − A cancel most of the
// noise the two runs share. Reported per metric: both means, the mean paired difference with
// its 95% CI, the CI an independent-streams comparison would have had, and a verdict.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace cx {

struct MetricComparison {
  double a = 0.0, b = 0.0;  // means over replications (NaN: undefined in every replication)
  double diff = 0.0;        // mean of the paired differences B − A
  double ci95 = 0.0;        // 95% half-width of `diff` from the paired differences
  // 95% half-width of B − A had the two runs used independent streams: t·sqrt(sA²/n + sB²/n)
  // from the same runs' own variances (the marginal variances do not depend on the pairing).
  double ci95_independent = 0.0;
  int n = 0;  // pairs used (replications where both values are defined)
  // "better" / "worse" / "higher" / "lower" / "no significant difference"; "only in A" / "only
  // in B" / "in neither" when a side does not model the metric
  std::string verdict;
};
using MetricComparisons = std::array<MetricComparison, kMetricCount>;

struct ScopeComparison {
  std::string id;  // channel id
  MetricComparisons metrics{};
};

// Common: replication r of A and of B share their streams (seed, r, purpose) — the default,
// and the point of comparing on one seed. Independent: B runs on replications A never uses
// (seed, N + r, purpose), as two unrelated studies would; kept to show what CRN saves.
enum class Streams { Common, Independent };
const char* toString(Streams streams);

struct Comparison {
  Streams streams = Streams::Common;
  std::uint64_t seed = 1;
  int replications = 0;  // pairs compared (fewer than asked if cancelled)
  int requested = 0;     // pairs asked for
  bool cancelled = false;
  MetricComparisons overall{};
  std::vector<ScopeComparison> channels;  // channels present in both, in A's order
  ExperimentResult a, b;
};

// The verdict for B relative to A: significant when the 95% CI of the difference excludes 0;
// then "better"/"worse" following the metric's direction, or "higher"/"lower" for a metric
// with none (e.g. occupancy).
std::string verdictFor(Metric metric, double diff, double ci95, int n);

// Compares per-replication values (paired by index). Exposed for tests.
MetricComparisons compareReplications(const std::vector<const MetricValues*>& a,
                                      const std::vector<const MetricValues*>& b);

// Runs both scenarios with the same options (seed, replications, threads) and pairs
// replication r of A with replication r of B. Channels are matched by id. The result depends
// only on the scenarios, the seed, the replication count and `streams`, never on threads.
// The replications run pair by pair (A's r, B's r, A's r + 1, ...) on one pool of workers,
// so `options.progress` gets (pairs done, pairs asked) and, on `options.cancel`, the workers
// finish the replications under way and the comparison keeps the unbroken prefix of
// completed pairs (`cancelled` set; `a` and `b` hold those replications only). Under common
// streams a comparison cancelled after k pairs equals one asked for k replications. An
// exception in a replication or in `progress` stops the workers and is rethrown here, as by
// runExperiment.
Comparison compareScenarios(const Scenario& a, const Scenario& b, const ExperimentOptions& options,
                            Streams streams = Streams::Common);

// {"a": {name, file}, "b": {...}, "streams", "reps", "seed", "cancelled", "overall": {METRIC:
//  {"a", "b", "diff", "ci95", "ci95_independent", "verdict"}}, "channels": {ID: {...}}}; NaN as
//  null. "reps" is the pairs compared; a cancelled comparison adds "reps_requested".
nlohmann::ordered_json comparisonToJson(const Scenario& a, const Scenario& b, const Comparison& c);

// A table for people: one block per scope, one line per metric.
std::string comparisonText(const Scenario& a, const Scenario& b, const Comparison& c);
// One block of that table: a title line, a header, one line per metric (those in `only`, in
// the report's order; all when empty).
std::string comparisonBlock(const std::string& title, const MetricComparisons& metrics,
                            const std::vector<Metric>& only = {});

}  // namespace cx
