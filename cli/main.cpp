// cxsim: the command-line front end of CX Sim. See README.md for the commands.
#include <exception>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"CX Sim: contact-centre simulation, staffing and customer-experience projection"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cxsim 0.1.0");

  struct Entry {
    CLI::App* sub;
    cx::cli::Command run;
  };
  std::vector<Entry> commands;
  auto add = [&](auto adder) {
    const std::size_t before = app.get_subcommands({}).size();
    cx::cli::Command run = adder(app);
    commands.push_back({app.get_subcommands({})[before], std::move(run)});
  };
  add(cx::cli::addRunCommand);
  add(cx::cli::addErlangCommand);
  add(cx::cli::addStaffCommand);
  add(cx::cli::addCompareCommand);
  add(cx::cli::addSweepCommand);
  add(cx::cli::addOptimizeCommand);
  add(cx::cli::addValidateCommand);
  add(cx::cli::addBenchCommand);
  add(cx::cli::addRoleplayCommand);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help/version or the error
    return code == 0 ? cx::cli::kExitOk : cx::cli::kExitBadInput;
  }
  try {
    for (const Entry& c : commands)
      if (c.sub->parsed()) return c.run();
  } catch (const std::exception& e) {
    std::cerr << "cxsim: " << e.what() << "\n";
    return cx::cli::kExitFailure;
  }
  return cx::cli::kExitBadInput;
}
