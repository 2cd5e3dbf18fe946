// Shift rosters (docs/STAFFING.md "Rosters"): shift templates read from a TOML file, and the
// integer program that picks how many agents work each template, on each day of the plan and
// for each channel c (or agent group, when the scenario has [[agent_groups]]), so that every
// interval's requirement is covered at least cost. Solved with GLPK (glp_intopt, presolve on,
// to optimality):
//
//   minimise   Σ cost_s · x_{s,d,c}
//   subject to Σ_{(s,d) working interval k} x_{s,d,c} ≥ ⌈required_{c,k}⌉   every channel c, k
//              min_s ≤ Σ_c x_{s,d,c} ≤ max_s                                every template s, day d
//              x integer ≥ 0, x_{s,d,c} = 0 where s may not serve c
//
// (with x integer, "≥ required" and "≥ ⌈required⌉" are the same constraint, so the fractional
// requirements of staffing.hpp are rounded here and nowhere earlier.)
//
// The plan is the scenario's intervals (Scenario::intervalsPerDay()): one opening day in the
// day form (shifts must lie within opening hours); in the continuous form a cycle of whole
// days (24 h, or 336 half-hours for a week), where every template can be used on every day and
// shifts wrap around the end of the cycle (it repeats).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.hpp"

namespace cx {

struct ShiftTemplate {
  std::string name;
  double start_s = 0.0;          // clock time the shift starts (seconds after midnight)
  int length = 1;                // intervals, breaks included
  std::vector<int> breaks;       // offsets from the start (in intervals) not worked
  double cost = 0.0;             // per shift worked
  int min_count = 0;             // per day
  std::optional<int> max_count;  // per day; none: unbounded
  // Whom it may staff (file key `channels`, or `groups` when the scenario has [[agent_groups]]):
  // ids from Scenario::staffedIds(); empty: anyone.
  std::vector<std::string> channels;
  SourceLoc loc;  // of the [[shifts]] table

  bool usableFor(const std::string& channel) const;
};

// Reads a shift file against the scenario it rosters (interval length, opening hours, channel
// ids). Throws ScenarioError with every problem found (file, line, column, key, expectation).
std::vector<ShiftTemplate> loadShifts(const std::filesystem::path& file, const Scenario& scenario);
std::vector<ShiftTemplate> parseShifts(std::string_view toml_text,
                                       const std::string& name_for_errors,
                                       const Scenario& scenario);

struct RosterLine {
  int shift = 0;    // index into the templates
  int day = 0;      // day of the plan (0 in the day form)
  int channel = 0;  // index into RosterResult::ids: a channel, or an agent group
  int count = 0;    // agents working it
  int start_interval = 0;
};

struct RosterResult {
  bool feasible = false;
  std::string message;                        // why not, when infeasible
  std::vector<std::string> ids;               // who is staffed: Scenario::staffedIds()
  std::vector<RosterLine> lines;              // shifts worked (count > 0)
  std::vector<std::vector<double>> required;  // [id][interval] (fractional)
  std::vector<std::vector<int>> coverage;     // [id][interval]: agents rostered
  std::vector<double> cost_per_interval;      // [interval]: each shift's cost spread evenly
  double cost = 0.0;
  double over_agent_intervals = 0.0;   // Σ max(0, coverage − required)
  double under_agent_intervals = 0.0;  // Σ max(0, required − coverage) (0 when feasible)
  int days = 1;                        // days in the plan
};

// Solves the roster for `required[id][interval]`, ids as Scenario::staffedIds() (the channels,
// or the agent groups), intervals as in the scenario. When no
// roster can cover the requirement, returns feasible = false with a message naming the
// intervals the templates cannot reach. Throws std::invalid_argument when the scenario's
// cycle is not a whole number of days (continuous form), std::runtime_error if GLPK fails.
RosterResult solveRoster(const Scenario& scenario, const std::vector<ShiftTemplate>& shifts,
                         const std::vector<std::vector<double>>& required);

}  // namespace cx
