// Helpers shared by the cxsim subcommands.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/progress.hpp"
#include "sim/scenario.hpp"

namespace cx::cli {

// Loads a scenario, with `--set KEY=VALUE` overrides applied (see loadScenario); on failure
// prints every diagnostic to stderr and returns nullopt.
std::optional<Scenario> loadOrReport(const std::filesystem::path& file,
                                     const std::vector<std::string>& overrides = {});

// The help text of the `--set` option, shared by the commands that take it.
inline constexpr const char* kSetHelp =
    "Override a scenario value: KEY=VALUE, e.g. channels.phone.agents=50, "
    "channels[0].arrivals.per_hour=[100,200], scenario.horizon_hours=10 (repeatable)";

// Writes text to PATH, or to stdout when PATH is "-". Throws std::runtime_error on failure.
void writeOutput(const std::string& path, const std::string& text);

bool stderrIsTerminal();

// While alive, Ctrl-C (SIGINT) raises the flag instead of killing the process, so workers
// finish the replication under way and the command reports what completed; a second Ctrl-C
// ends the process at once. One at a time.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  const std::atomic<bool>* flag() const;
  bool raised() const { return flag()->load(); }
};

// Exit code of a command stopped by Ctrl-C after writing what it completed (128 + SIGINT).
constexpr int kExitInterrupted = 130;

// A ProgressMeter on stderr with the steady clock: a bar on a terminal, a line every few
// seconds otherwise; nothing when disabled. Call it from one thread at a time (the
// experiment and sweep runners serialise their progress callbacks).
class StderrProgress {
 public:
  StderrProgress(std::string unit, int total, bool enabled);
  ~StderrProgress() { finish(); }
  void operator()(int done);
  void finish();  // clears the bar (once); later calls print nothing

 private:
  std::unique_ptr<ProgressMeter> meter_;  // null when disabled
};

}  // namespace cx::cli
