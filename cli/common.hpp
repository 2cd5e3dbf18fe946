// Helpers shared by the cxsim subcommands.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

}  // namespace cx::cli
