#include "sim/experiment.hpp"

#include "sim/parallel.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace cx {

ReplicationMetrics runReplication(const Scenario& scenario, std::uint64_t seed,
                                  std::uint32_t replication, EngineStats* stats) {
  Monitor monitor(scenario);
  Simulation sim(scenario, seed, replication);
  sim.run(monitor);
  if (stats) *stats = sim.stats();
  return monitor.metrics();
}

MetricEstimates summarise(const std::vector<const MetricValues*>& values) {
  MetricEstimates out{};
  std::vector<double> column(values.size());
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    for (std::size_t r = 0; r < values.size(); ++r) column[r] = (*values[r])[m];
    out[m] = estimate(column);
  }
  return out;
}

void addEngineStats(EngineStats& total, const EngineStats& one) {
  total.events += one.events;
  total.arrivals += one.arrivals;
  total.retries += one.retries;
  total.cases_open += one.cases_open;
  total.transfers += one.transfers;
  total.silent_abandons += one.silent_abandons;
  total.end_time_s = std::max(total.end_time_s, one.end_time_s);
  total.peak_in_system = std::max(total.peak_in_system, one.peak_in_system);
  total.contact_slots = std::max(total.contact_slots, one.contact_slots);
  total.event_capacity = std::max(total.event_capacity, one.event_capacity);
}

void summariseReplications(const Scenario& scenario, ExperimentResult& result) {
  std::vector<const MetricValues*> column;
  auto collect = [&](auto&& pick) {
    column.clear();
    for (const auto& rep : result.reps) column.push_back(&pick(rep));
    return summarise(column);
  };
  result.overall =
      collect([](const ReplicationMetrics& m) -> const MetricValues& { return m.overall; });
  const std::size_t n_channels = scenario.channels.size();
  const auto n_intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  for (std::size_t c = 0; c < n_channels; ++c)
    result.channels.push_back(
        collect([c](const ReplicationMetrics& m) -> const MetricValues& { return m.channels[c]; }));
  for (std::size_t g = 0; g < scenario.effectiveAgentGroups().size(); ++g)
    result.groups.push_back(
        collect([g](const ReplicationMetrics& m) -> const MetricValues& { return m.groups[g]; }));
  result.interval_channels.resize(n_intervals);
  for (std::size_t k = 0; k < n_intervals; ++k) {
    result.intervals.push_back(collect(
        [k](const ReplicationMetrics& m) -> const MetricValues& { return m.intervals[k]; }));
    for (std::size_t c = 0; c < n_channels; ++c)
      result.interval_channels[k].push_back(
          collect([k, c](const ReplicationMetrics& m) -> const MetricValues& {
            return m.interval_channels[k][c];
          }));
  }
}

ExperimentResult runExperiment(const Scenario& scenario, const ExperimentOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int total = std::max(options.replications, 0);
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, total));

  std::vector<ReplicationMetrics> reps(static_cast<std::size_t>(total));
  std::vector<EngineStats> engine(static_cast<std::size_t>(total));
  std::vector<char> done(static_cast<std::size_t>(total), 0);
  std::atomic<int> finished{0};
  std::mutex progress_mutex;
  const std::exception_ptr error =
      forEachTask(static_cast<std::size_t>(total), threads, options.cancel, [&](std::size_t i) {
        reps[i] =
            runReplication(scenario, options.seed,
                           options.first_replication + static_cast<std::uint32_t>(i), &engine[i]);
        done[i] = 1;
        const int n = ++finished;
        if (options.progress) {
          std::lock_guard lock(progress_mutex);
          options.progress(n, total);
        }
      });
  if (error) std::rethrow_exception(error);

  ExperimentResult result;
  result.seed = options.seed;
  result.threads = threads;
  // Keep the completed replications in order; on cancel, only the unbroken prefix, so a
  // cancelled run equals a shorter run with the same seed.
  std::size_t kept = 0;
  while (kept < done.size() && done[kept]) ++kept;
  result.cancelled = kept < static_cast<std::size_t>(total);
  reps.resize(kept);
  result.reps = std::move(reps);
  result.replications = static_cast<int>(kept);
  for (std::size_t r = 0; r < kept; ++r) addEngineStats(result.engine, engine[r]);
  summariseReplications(scenario, result);
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace cx
