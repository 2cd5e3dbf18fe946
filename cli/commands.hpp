// The cxsim subcommands. Each registers its options on the CLI11 app and returns the
// process exit code when run: 0 success, 1 failure at run time (I/O), 2 bad input.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace cx::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

using Command = std::function<int()>;

Command addRunCommand(CLI::App& app);
Command addErlangCommand(CLI::App& app);
Command addValidateCommand(CLI::App& app);
Command addBenchCommand(CLI::App& app);
Command addStaffCommand(CLI::App& app);
Command addCompareCommand(CLI::App& app);
Command addSweepCommand(CLI::App& app);
Command addOptimizeCommand(CLI::App& app);
Command addRoleplayCommand(CLI::App& app);
// `cxsim roleplay link`, registered by addRoleplayCommand (cli/cmd_roleplay_link.cpp).
Command addRoleplayLink(CLI::App& parent, CLI::App*& sub);

}  // namespace cx::cli
