// Sweeps: one scenario run at many points, each point a set of overrides (the `--set` paths
// of loadScenario). Points come from a full grid over ranges LO:HI:STEP, or from a Latin
// hypercube of N points over ranges LO:HI. Every point runs the same replications on the same
// seed, so points are compared on common random numbers too. Optionally marks the
// Pareto-efficient points for two (or more) metrics, each with its good direction.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/experiment.hpp"
#include "sim/metrics.hpp"

namespace cx {

// One `--vary` range: KEY=LO:HI:STEP (grid), KEY=LO:HI (Latin hypercube) or KEY=VALUE (fixed).
struct SweepRange {
  std::string text;  // as given, for messages
  std::string key;
  double lo = 0.0, hi = 0.0;
  double step = 0.0;  // 0: none given
  // The key holds an integer in the file (agents, days, loop_turns, ...): LO, HI and STEP
  // must be whole numbers and the values are integers.
  bool integer = false;
};

// True for keys whose value is an integer (or a list of integers) in a scenario file.
bool isIntegerKey(const std::string& key);

// Parses `--vary` text; throws std::invalid_argument with a message naming the text.
SweepRange parseRange(const std::string& text);

// The grid values of one range, LO, LO+STEP, ... up to HI (HI included when on the grid), as
// TOML value text. Throws std::invalid_argument if a range with LO < HI has no step.
std::vector<std::string> gridValues(const SweepRange& range);

// Every combination of the ranges' grid values, the first range varying slowest.
std::vector<std::vector<std::string>> gridPoints(const std::vector<SweepRange>& ranges);

// `n` points of a Latin hypercube: each range is cut into n equal strata and every stratum
// holds exactly one point, at a uniform position inside it; the strata are paired across
// ranges by independent random permutations. An integer range LO:HI covers [LO, HI + 1) and
// takes the integer part, so with n = HI − LO + 1 each integer appears once. Deterministic
// from `seed` (stream "sweep/lhs"). Throws std::invalid_argument for n < 1 or a range with a
// step.
std::vector<std::vector<std::string>> latinHypercube(const std::vector<SweepRange>& ranges, int n,
                                                     std::uint64_t seed);

// A metric and the direction that counts as better on the frontier.
struct FrontierMetric {
  Metric metric;
  Better better;  // Higher or Lower
};
// "asa_s,agents_mean:min": two or more metric names, each with an optional ":min" or ":max";
// without one the metric's own direction is used. Throws std::invalid_argument for an
// unknown name, or a metric with no direction of its own and no suffix.
std::vector<FrontierMetric> parseFrontier(const std::string& text);

// Which points are Pareto-efficient: no other point is at least as good in every objective
// and strictly better in one. objectives[point][k] is judged by better[k]; a point with a
// NaN objective is never efficient and dominates nothing. Equal points are all efficient.
std::vector<bool> paretoEfficient(const std::vector<std::vector<double>>& objectives,
                                  const std::vector<Better>& better);

struct SweepPoint {
  std::vector<std::string> values;  // one per key, TOML text
  MetricEstimates overall{};
  std::vector<MetricEstimates> channels;  // [channel]
  bool pareto = false;
};

struct SweepResult {
  std::filesystem::path file;
  std::string name;    // the scenario's name (as loaded for the first point)
  std::string design;  // "grid" or "lhs"
  std::uint64_t seed = 1;
  int replications = 0;
  int threads = 1;
  bool cancelled = false;
  double wall_s = 0.0;
  std::vector<std::string> keys;
  std::vector<std::string> channel_ids;
  std::vector<FrontierMetric> frontier;  // empty: no Pareto marking
  std::vector<SweepPoint> points;        // completed points, in order
};

struct SweepSpec {
  std::filesystem::path file;
  std::vector<std::string> overrides;  // `--set`, applied before each point's values
  std::vector<SweepRange> ranges;
  int lhs_points = 0;  // 0: grid
  std::vector<FrontierMetric> frontier;
};

// The points of the sweep (grid or Latin hypercube), each loaded and validated: throws
// std::invalid_argument for bad ranges, ScenarioError (naming `--vary`) for a point the
// scenario rejects — all before anything runs.
struct PreparedSweep {
  std::vector<std::vector<std::string>> points;
  std::vector<Scenario> scenarios;
};
PreparedSweep prepareSweep(const SweepSpec& spec, std::uint64_t seed);

// Scale-out over processes (MPI ranks, see cli/scale_out.hpp): the sweep's task t (replication
// t % reps of point t / reps) runs on rank t % ranks. Each rank packs the results of its tasks,
// in task order, into one vector of doubles; `gather` must return, on rank 0, every rank's
// vector in rank order (on other ranks its return value is ignored). The library knows
// nothing of MPI: the caller supplies the exchange.
struct SweepRanks {
  int rank = 0;
  int ranks = 1;
  std::function<std::vector<std::vector<double>>(const std::vector<double>&)> gather;
};

// Runs every point's replications on a pool of `options.threads` workers (all points share the
// pool, so few replications per point still keep every core busy). Replication r of every
// point uses the streams (seed, r): results never depend on thread count, nor on how the tasks
// are split over `ranks` (rank 0 gets the same result as a single process; other ranks get a
// result with no points). `options.progress` gets (points done, points total), counting this
// rank's tasks only; on `options.cancel` the workers finish the replications under way and
// the result keeps the points whose replications all completed (on every rank). An exception
// in a replication or in `progress` stops this rank's workers and is rethrown here (after the
// exchange with the other ranks), as by runExperiment.
SweepResult runSweep(const SweepSpec& spec, const PreparedSweep& prepared,
                     const ExperimentOptions& options, const SweepRanks& ranks = {});

// CSV: KEY1,KEY2,...,offered,offered_ci95,...[,pareto], a header then one line per point.
std::string sweepCsv(const SweepResult& result);
// {"file", "design", "seed", "reps", "keys", "frontier": [{metric, better}], "points":
//  [{"values": {KEY: v}, "overall": {METRIC: {mean, ci95}}, "channels": {ID: {...}},
//  ["pareto"]}], "run": {threads, wall_s, cancelled}}. NaN as null.
nlohmann::ordered_json sweepJson(const SweepResult& result);
// A table for people: the keys and the main service metrics per point.
std::string sweepText(const SweepResult& result);

}  // namespace cx
