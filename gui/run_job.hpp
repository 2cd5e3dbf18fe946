// A simulation run on worker threads, handed to the UI thread when it ends (ImHex's tasks,
// Tracy's worker): the UI starts it, polls progress each frame, may cancel it, and takes the
// result when done. Draw code never waits on it.
//
// The live view: the engine reports each channel's queue and busy agents per interval through
// SimObserver as it goes (records.hpp), but runExperiment() keeps its observers to itself. So
// before the experiment, the worker runs replication 1 (streams (seed, 0), the same as the
// experiment's first replication) with an observer that publishes those samples; the UI plots
// them as they arrive. It costs one extra replication. A hook in ExperimentOptions (an
// observer per replication) would let the experiment's own replication feed the view.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/experiment.hpp"
#include "sim/scenario.hpp"

namespace cx::studio {

// A finished run: the scenario as it was when the run started, and its results.
struct RunOutcome {
  Scenario scenario;
  ExperimentResult result;
  std::string label;  // "Service centre: a working week · 20 replications · seed 1"
};

// One replication as it runs: per interval slot since time 0 (day form: nights are slots
// without samples, NaN), all channels together.
struct LiveTrace {
  double interval_h = 1.0;
  std::vector<double> hours;    // start of each slot, simulated hours since time 0
  std::vector<double> queue;    // mean contacts waiting
  std::vector<double> busy;     // mean agents handling contacts
  std::vector<double> staffed;  // mean agents present
  bool finished = false;
  std::uint64_t version = 0;  // changes whenever samples were added
};

struct RunSettings {
  int replications = 10;
  std::uint64_t seed = 1;
  int threads = 1;
};

class RunJob {
 public:
  RunJob() = default;
  RunJob(const RunJob&) = delete;
  RunJob& operator=(const RunJob&) = delete;
  ~RunJob();  // cancels and joins

  // Starts a run of a copy of `scenario` (which must be valid). No effect while running.
  void start(const Scenario& scenario, const RunSettings& settings);
  void cancel() { cancel_ = true; }

  bool running() const { return running_; }
  bool cancelling() const { return cancel_; }
  int done() const { return done_; }
  int total() const { return total_; }
  double elapsedSeconds() const;

  // The result of the run that just ended (once), or nothing.
  std::shared_ptr<const RunOutcome> takeOutcome();
  // The error of a run that failed (once), or empty.
  std::string takeError();
  // A copy of the live trace when it changed since `version`.
  std::optional<LiveTrace> liveSince(std::uint64_t version) const;

 private:
  void work(Scenario scenario, RunSettings settings);
  void watch(const Scenario& scenario, std::uint64_t seed);

  std::jthread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_{false};
  std::atomic<int> done_{0};
  std::atomic<int> total_{0};
  std::atomic<double> started_s_{0.0};
  std::atomic<double> ended_s_{0.0};

  mutable std::mutex mutex_;  // guards what follows
  std::shared_ptr<const RunOutcome> outcome_;
  std::string error_;
  LiveTrace live_;
};

// Seconds on a steady clock, for frame and run timing.
double nowSeconds();

}  // namespace cx::studio
