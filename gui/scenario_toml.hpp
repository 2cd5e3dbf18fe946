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

}  // namespace cx::studio
