// cxsim validate FILE...: checks scenario files and reports every error found.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"

namespace cx::cli {

Command addValidateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("validate", "Check scenario files and report every error found");
  auto files = std::make_shared<std::vector<std::string>>();
  auto overrides = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "Scenario files (TOML)")->required();
  cmd->add_option("--set", *overrides, std::string(kSetHelp) + "; applies to every file")
      ->allow_extra_args(false);
  return [files, overrides] {
    int bad = 0;
    for (const std::string& f : *files) {
      if (auto s = loadOrReport(f, *overrides)) {
        std::cout << f << ": ok (" << s->name << ", " << s->channels.size() << " channel"
                  << (s->channels.size() == 1 ? "" : "s") << ")\n";
      } else {
        ++bad;
      }
    }
    if (bad > 0) std::cerr << bad << " of " << files->size() << " file(s) have errors\n";
    return bad == 0 ? kExitOk : kExitBadInput;
  };
}

}  // namespace cx::cli
