// Machine-readable results: the JSON of DESIGN.md §3 and CSV tables, shared by the CLI and
// the studio.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/experiment.hpp"
#include "sim/scenario.hpp"

namespace cx {

// "08:00" for the start of interval k of a day-form scenario; "+01:30" (time since the
// start of the cycle) in the continuous form.
std::string intervalLabel(const Scenario& scenario, int interval);

// {"scenario": {...}, "reps": N, "seed": S, "overall": {METRIC: {"mean", "ci95"}}, "channels":
//  {ID: {...}}, "groups": {ID: {answered, aht_s, occupancy, busy_mean, agents_mean}},
//  "intervals": [{"index", "start", "start_s", "overall", "channels"}], "run": {...}}
// NaN (undefined: e.g. ASA with nothing answered) is written as null. Everything but "run"
// (threads, wall time) depends only on the scenario, the seed and the replication count.
nlohmann::ordered_json resultToJson(const Scenario& scenario, const ExperimentResult& result);

// Writes DIR/summary.csv (one row per scope: overall, then each channel) and
// DIR/intervals.csv (one row per interval × channel, plus an "all" row per interval); each
// metric has a column for its mean and one for its ci95. Creates DIR. Throws
// std::runtime_error naming the file on I/O failure.
void writeCsv(const Scenario& scenario, const ExperimentResult& result,
              const std::filesystem::path& dir);

}  // namespace cx
