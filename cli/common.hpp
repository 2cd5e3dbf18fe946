// Helpers shared by the cxsim subcommands.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "sim/scenario.hpp"

namespace cx::cli {

// Loads a scenario; on failure prints every diagnostic to stderr and returns nullopt.
std::optional<Scenario> loadOrReport(const std::filesystem::path& file);

// Writes text to PATH, or to stdout when PATH is "-". Throws std::runtime_error on failure.
void writeOutput(const std::string& path, const std::string& text);

bool stderrIsTerminal();

}  // namespace cx::cli
