// Experiments: independent replications of a scenario, run in parallel, summarised as means
// with 95% confidence intervals. Replication r always uses the streams (seed, r, ...), and
// results are gathered in replication order, so the output never depends on thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/engine.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "sim/stats.hpp"

namespace cx {

using MetricEstimates = std::array<Estimate, kMetricCount>;

struct ExperimentOptions {
  std::uint64_t seed = 1;
  int replications = 10;
  // Replication r runs on the streams (seed, first_replication + r). 0 for ordinary runs; an
  // independent-streams comparison gives its second scenario streams the first never uses.
  std::uint32_t first_replication = 0;
  int threads = 0;  // 0 = all hardware threads
  // Called from worker threads (serialised) after each replication: (done, total).
  std::function<void(int, int)> progress;
  // When set and becoming true, workers stop after their current replication.
  const std::atomic<bool>* cancel = nullptr;
};

struct ExperimentResult {
  std::uint64_t seed = 1;
  int replications = 0;  // completed (fewer than asked if cancelled)
  int threads = 1;
  bool cancelled = false;
  double wall_s = 0.0;
  std::vector<ReplicationMetrics> reps;
  MetricEstimates overall{};
  std::vector<MetricEstimates> channels;                        // [channel]
  std::vector<MetricEstimates> groups;                          // [agent group]
  std::vector<MetricEstimates> intervals;                       // [interval]
  std::vector<std::vector<MetricEstimates>> interval_channels;  // [interval][channel]
  EngineStats engine;  // counts summed, peaks, capacities and end time the maximum (addEngineStats)
};

// An exception thrown by a replication (std::bad_alloc, the engine's refusal of a run it
// cannot number, ...) or by `progress` stops the other workers after their current
// replication and is rethrown here, on the calling thread, once every worker has finished:
// the one of the lowest-numbered replication when several fail.
ExperimentResult runExperiment(const Scenario& scenario, const ExperimentOptions& options);

// Runs one replication and returns its metrics (and, optionally, the engine's statistics).
ReplicationMetrics runReplication(const Scenario& scenario, std::uint64_t seed,
                                  std::uint32_t replication, EngineStats* stats = nullptr);

// Summary across replications (exposed for compare/sweep code and tests).
MetricEstimates summarise(const std::vector<const MetricValues*>& values);

// Fills `result`'s estimates (overall, per channel, group, interval and interval × channel)
// from its `reps`, and adds one replication's engine statistics to `result.engine`: the two
// steps runExperiment ends with, shared with compareScenarios so each side of a comparison is
// what runExperiment would have given.
void summariseReplications(const Scenario& scenario, ExperimentResult& result);
void addEngineStats(EngineStats& total, const EngineStats& one);

}  // namespace cx
