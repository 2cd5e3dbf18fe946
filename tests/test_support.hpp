// Helpers shared by the test files: scenarios built in code, statistical checks, and the
// cxsim command line run as a user would.
#pragma once

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/experiment.hpp"
#include "sim/records.hpp"
#include "sim/scenario.hpp"
#include "sim/stats.hpp"

namespace cx::test {

// Keeps every contact record of a run (the engine's output before any metric).
struct Recorder final : SimObserver {
  std::vector<ContactRecord> contacts;
  void onContact(const ContactRecord& r) override { contacts.push_back(r); }
  void onInterval(const IntervalSample&) override {}
  void onGroupInterval(const GroupSample&) override {}
};

// A single-channel continuous scenario: the plain Erlang queue of DESIGN.md §5.
inline Scenario singleQueue(double per_hour, DistSpec handle, int agents,
                            std::optional<DistSpec> patience, double horizon_hours,
                            double warmup_hours = 2.0) {
  Scenario s;
  s.name = "test queue";
  s.horizon_hours = horizon_hours;
  s.warmup_hours = warmup_hours;
  ChannelSpec c;
  c.id = "phone";
  c.agents = {agents};
  c.arrivals.per_hour = {per_hour};
  c.handle_time = handle;
  c.patience = patience;
  s.channels.push_back(c);
  return s;
}

inline double value(const MetricEstimates& e, Metric m) {
  return e[static_cast<std::size_t>(m)].mean;
}
inline const Estimate& est(const MetricEstimates& e, Metric m) {
  return e[static_cast<std::size_t>(m)];
}

// Standard error behind a 95% half-width over n replications.
inline double standardError(const Estimate& e) {
  return e.ci95 / studentTQuantile(0.975, e.n - 1);
}

// The statistical check used throughout: the simulated mean lies within `k` standard errors
// of the exact value (k = 4: a correct model fails with probability ~1e-4; with fixed seeds
// the outcome is deterministic), and the estimate is precise enough (`max_ci`) for a wrong
// model to be caught.
inline void checkAgainst(const Estimate& e, double exact, double max_ci, const char* what,
                         double k = 4.0) {
  INFO(what << ": simulated " << e.mean << " ± " << e.ci95 << " (n=" << e.n << "), exact "
            << exact);
  CHECK(e.n >= 2);
  CHECK(e.ci95 <= max_ci);
  CHECK(std::fabs(e.mean - exact) <= k * standardError(e));
}

inline std::string sourcePath(const std::string& relative) {
  return std::string(CX_SOURCE_DIR) + "/" + relative;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#ifdef CXSIM_EXE
struct CliRun {
  int code = -1;
  std::string out, err;
};

// Runs `cxsim ARGS` from the source folder with no terminal, `input` on stdin; captures both
// streams.
inline CliRun cxsim(const std::string& args, const std::string& input = "") {
  static int counter = 0;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cxsim_cli_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string n = std::to_string(counter++);
  const fs::path in = dir / ("in" + n), out = dir / ("out" + n), err = dir / ("err" + n);
  std::ofstream(in) << input;
  const std::string cmd = "cd '" + std::string(CX_SOURCE_DIR) + "' && '" + CXSIM_EXE + "' " + args +
                          " > '" + out.string() + "' 2> '" + err.string() + "' < '" + in.string() +
                          "'";
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}
#endif

}  // namespace cx::test
