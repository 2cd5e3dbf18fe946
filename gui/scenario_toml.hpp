// A scenario written back as TOML, for saving from the studio's editor and for checking an
// edited scenario with the loader itself (serialise, then parseScenario) so the editor's
// messages are exactly the ones `cxsim validate` would give for the saved file.
//
// toml++ parses but does not keep comments, so the text is written from the Scenario struct
// in the order of docs/SCENARIO_FORMAT.md: a saved file loses the user's comments and blank
// lines (docs/STUDIO.md says so). Empirical distributions are written as inline `values_s`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace cx::studio {

// TOML text that loads back (parseScenario) into an equal scenario.
std::string scenarioToToml(const Scenario& scenario);

// The loader's verdict on `scenario` as it would be saved: empty when it loads. Relative
// paths resolve against `base_dir`. Never throws for bad content.
std::vector<Diagnostic> checkByLoader(const Scenario& scenario,
                                      const std::filesystem::path& base_dir,
                                      const std::string& name_for_errors);

// -------------------------------------------------------------------------------------------
// Edits the scenario panel makes that are more than setting one value, kept here (out of the
// draw code) so the tests make the very same edits without a window.

// The optional tables as the panel's on/off checkboxes add them: the defaults of
// docs/SCENARIO_FORMAT.md — the engine defaults in force for the scenario (`defaults`, its
// calibration's [engine]) for max_contacts and extra_minutes, written out in full when saved —
// and for a required key that has none a typical value: [journeys] delay lognormal, mean 2 h,
// CV 1 (the format's example); [outcomes] customers 100000 (the rest from the calibration).
JourneySpec defaultJourneys(const EngineDefaults& defaults = kEngineDefaults);
OutcomesSpec defaultOutcomes();
EmpowermentSpec defaultEmpowerment(const EngineDefaults& defaults = kEngineDefaults);
// A transfer of an intent as the panel adds it: to the last agent group (often the
// specialists), share 1, after exponential 120 s.
TransferSpec defaultTransfer(const Scenario& scenario);

// Ticks `id` on (appended, so a priority order is kept) or off in a list of ids: skills, the
// bot's channels, a group's intents.
void setChosen(std::vector<std::string>& ids, const std::string& id, bool on);

// [journeys] switch matrix: P(next contact on `to` | last one on `from`); 0 when not given.
const std::vector<std::pair<std::string, double>>* switchRow(const JourneySpec& journeys,
                                                             const std::string& from);
double switchProbability(const JourneySpec& journeys, const std::string& from,
                         const std::string& to);
void setSwitchProbability(JourneySpec& journeys, const std::string& from, const std::string& to,
                          double p);
// A row for `from` on (every customer stays on `from`, until edited) or off (removed: the
// channel keeps its customers, the format's rule for a channel without a row).
void setSwitchRow(JourneySpec& journeys, const std::string& from, bool on);

// The calibration in force as the loader sets it (data/calibration.toml, the scenario's
// [outcomes] `calibration` file on top, then value_per_year and response_rate), for a scenario
// edited in the studio; relative paths resolve against `base_dir`. Its engine defaults become
// the scenario's (applyEngineDefaults: keys the file did not give and nobody edited follow
// them). A calibration that cannot be read leaves [outcomes]' calibration null and the engine
// defaults as they were: the loader's check reports why, and the run waits.
void refreshCalibration(Scenario& scenario, const std::filesystem::path& base_dir);

}  // namespace cx::studio
