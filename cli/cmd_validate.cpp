// cxsim validate FILE...: checks scenario files and reports every error found; for a file
// with [journeys], what its switch matrix and return rates imply (sim/journey_chain.hpp).
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sim/journey_chain.hpp"

namespace cx::cli {

namespace {

// The chain of the scenario's journeys, as a table by the channel a case starts on.
void printJourneyChain(const Scenario& s) {
  const JourneyChain chain = journeyChain(s);
  const auto n = static_cast<Eigen::Index>(chain.channels.size());
  std::cout << "  journeys, if every contact reached an agent at once (docs/MODEL.md, \"The chain "
               "across channels\"):\n";
  std::string head = fmt::format("    {:<14}{:>8}{:>10}", "started on", "fresh", "contacts");
  for (const std::string& id : chain.channels) head += fmt::format("{:>11}", id);
  std::cout << head << fmt::format("{:>10}", "resolved") << "\n";
  for (Eigen::Index i = 0; i < n; ++i) {
    std::string row = fmt::format("    {:<14}{:>7.1f}%{:>10.3f}", chain.channels[i],
                                  100.0 * chain.fresh(i), chain.contacts.row(i).sum());
    for (Eigen::Index j = 0; j < n; ++j) row += fmt::format("{:>11.3f}", chain.contacts(i, j));
    std::cout << row << fmt::format("{:>9.1f}%", 100.0 * chain.resolved(i)) << "\n";
  }
  std::string returns = fmt::format("    {:<32}", "returning per fresh contact");
  for (Eigen::Index j = 0; j < n; ++j)
    returns += std::isnan(chain.returns(j)) ? fmt::format("{:>11}", "-")
                                            : fmt::format("{:>+10.1f}%", 100.0 * chain.returns(j));
  std::cout << returns << "\n";
}

}  // namespace

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
        if (s->journeys) printJourneyChain(*s);
      } else {
        ++bad;
      }
    }
    if (bad > 0) std::cerr << bad << " of " << files->size() << " file(s) have errors\n";
    return bad == 0 ? kExitOk : kExitBadInput;
  };
}

}  // namespace cx::cli
