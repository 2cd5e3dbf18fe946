// Helpers shared by the test files: scenarios built in code and statistical checks.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/experiment.hpp"
#include "sim/scenario.hpp"
#include "sim/stats.hpp"

namespace cx::test {

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

}  // namespace cx::test
