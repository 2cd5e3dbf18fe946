// The compare panel's sweep view: the current scenario (as edited, saved or not) run at every
// point of a grid over one or two `--vary` ranges, as `cxsim sweep` would run the saved file
// (sim/sweep.hpp). The scenario is written back as TOML and each point parsed from that text
// with its overrides, so the points meet the same loader rules as the command line's.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "gui/run_job.hpp"
#include "gui/task.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace cx::studio {

struct SweepView {
  // KEY=LO:HI:STEP texts; an empty one is not used. Prefilled once from the scenario.
  std::array<std::string, 2> vary;
  bool prefilled = false;
  // The scatter's axes and colour; defaults prefer the CX outcomes when the library has them.
  Metric x = Metric::CostTotal;
  Metric y = Metric::ServiceLevel;
  Metric colour = Metric::AbandonRate;
  AsyncTask<SweepResult> job;
  std::string running_label;  // the scenario the running sweep is of (its name)
  std::shared_ptr<const SweepResult> result;
  std::string result_label;  // and the one `result` is of: the scenario may have changed since
  std::string error;
  bool pending = false;     // start a sweep before the next frame (main.cpp)
  bool select_tab = false;  // bring the sweep tab to the front once (smoke mode)
};

// Fills `view.vary` and the axes from `scenario`: cost against CSAT (else service level), churn
// (else abandonment) as colour, CSAT and churn only when the scenario has [outcomes]; the
// agents, around their mean, of the first staffed unit serving a channel the bot is in front
// of (else the first unit), and with a bot its containment (of the contact reason with the
// most of the bot's channels' contacts when reasons set their own).
void prefillSweep(SweepView& view, const Scenario& scenario);

// The points of the sweep, each parsed from `scenario` written as TOML plus the point's
// overrides. Throws std::invalid_argument for bad ranges and ScenarioError (naming the
// `--vary`) for a point the loader rejects.
PreparedSweep prepareSweepOf(const Scenario& scenario, const SweepSpec& spec);

// Parses the non-empty `vary` texts into a spec whose frontier is (x, y) in their own good
// directions (metrics with no direction are left out). Throws std::invalid_argument.
SweepSpec sweepSpecOf(const SweepView& view);

// Starts the sweep of `scenario` on a worker thread with the run panel's settings (at least
// two replications, so every point has a CI).
void startSweep(SweepView& view, const Scenario& scenario, const RunSettings& settings);

}  // namespace cx::studio
