#include "gui/run_job.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <utility>

#include "sim/engine.hpp"

namespace cx::studio {

namespace {

// Folds interval samples into per-slot integrals and publishes them to the trace under the
// job's mutex, at most every `kPublishEvery` samples so the engine is not slowed by locking.
class LiveObserver final : public SimObserver {
 public:
  LiveObserver(std::mutex& mutex, LiveTrace& trace, double interval_s)
      : mutex_(mutex), trace_(trace), interval_s_(interval_s) {}

  void onContact(const ContactRecord&) override {}
  void onInterval(const IntervalSample& s) override {
    Slot& slot = slots_[s.slot];
    slot.queue_s += s.queue_contact_s;
    slot.busy_s += s.busy_agent_s;
    bump();
  }
  void onGroupInterval(const GroupSample& s) override {
    Slot& slot = slots_[s.slot];
    slot.staffed_s += s.staffed_agent_s;
    slot.open = true;
    bump();
  }
  void publish(bool finished) {
    LiveTrace next;
    next.interval_h = interval_s_ / 3600.0;
    next.finished = finished;
    if (!slots_.empty()) {
      const std::uint64_t first = slots_.begin()->first;
      const std::uint64_t last = slots_.rbegin()->first;
      constexpr double nan = std::numeric_limits<double>::quiet_NaN();
      for (std::uint64_t k = first; k <= last; ++k) {
        auto it = slots_.find(k);
        const bool open = it != slots_.end() && it->second.open;
        next.hours.push_back(static_cast<double>(k) * next.interval_h);
        next.queue.push_back(open ? it->second.queue_s / interval_s_ : nan);
        next.busy.push_back(open ? it->second.busy_s / interval_s_ : nan);
        next.staffed.push_back(open ? it->second.staffed_s / interval_s_ : nan);
      }
    }
    std::lock_guard lock(mutex_);
    next.version = trace_.version + 1;
    trace_ = std::move(next);
  }

 private:
  struct Slot {
    double queue_s = 0.0, busy_s = 0.0, staffed_s = 0.0;
    bool open = false;
  };
  static constexpr int kPublishEvery = 64;

  void bump() {
    if (++since_publish_ >= kPublishEvery) {
      since_publish_ = 0;
      publish(false);
    }
  }

  std::mutex& mutex_;
  LiveTrace& trace_;
  double interval_s_;
  std::map<std::uint64_t, Slot> slots_;
  int since_publish_ = 0;
};

}  // namespace

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

RunJob::~RunJob() {
  // Join before the members the worker uses are destroyed (thread_ is declared first, so its
  // own destructor would run last). The worker checks cancel_ between replications.
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
}

double RunJob::elapsedSeconds() const {
  const double start = started_s_;
  if (start == 0.0) return 0.0;
  return (running_ ? nowSeconds() : ended_s_.load()) - start;
}

void RunJob::start(const Scenario& scenario, const RunSettings& settings) {
  if (running_) return;
  if (thread_.joinable()) thread_.join();
  cancel_ = false;
  done_ = 0;
  total_ = settings.replications;
  started_s_ = nowSeconds();
  {
    std::lock_guard lock(mutex_);
    outcome_.reset();
    error_.clear();
    live_ = LiveTrace{};
  }
  running_ = true;
  thread_ = std::jthread([this, scenario, settings] { work(scenario, settings); });
}

void RunJob::watch(const Scenario& scenario, std::uint64_t seed) {
  LiveObserver observer(mutex_, live_, scenario.intervalSeconds());
  Simulation sim(scenario, seed, 0);
  sim.run(observer);
  observer.publish(true);
}

void RunJob::work(Scenario scenario, RunSettings settings) {
  try {
    // The watched replication first, on this thread: with threads = cores − 1 (the panel's
    // default) the window keeps a core to itself throughout.
    if (!cancel_) watch(scenario, settings.seed);
    ExperimentOptions options;
    options.seed = settings.seed;
    options.replications = settings.replications;
    options.threads = settings.threads;
    options.cancel = &cancel_;
    options.progress = [this](int done, int) { done_ = done; };
    auto outcome = std::make_shared<RunOutcome>();
    outcome->result = runExperiment(scenario, options);
    outcome->label =
        fmt::format("{} · {} replication{} · seed {}", scenario.name, outcome->result.replications,
                    outcome->result.replications == 1 ? "" : "s", settings.seed);
    outcome->scenario = std::move(scenario);
    std::lock_guard lock(mutex_);
    outcome_ = std::move(outcome);
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    error_ = e.what();
  }
  ended_s_ = nowSeconds();
  running_ = false;
}

std::shared_ptr<const RunOutcome> RunJob::takeOutcome() {
  std::lock_guard lock(mutex_);
  return std::exchange(outcome_, nullptr);
}

std::string RunJob::takeError() {
  std::lock_guard lock(mutex_);
  return std::exchange(error_, std::string());
}

std::optional<LiveTrace> RunJob::liveSince(std::uint64_t version) const {
  std::lock_guard lock(mutex_);
  if (live_.version == version) return std::nullopt;
  return live_;
}

}  // namespace cx::studio
