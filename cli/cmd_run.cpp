// cxsim run FILE: replications of a scenario, reported as text, JSON and CSV.
#include <iostream>
#include <new>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/text_report.hpp"
#include "sim/experiment.hpp"
#include "sim/html_report.hpp"
#include "sim/report.hpp"

namespace cx::cli {

Command addRunCommand(CLI::App& app) {
  struct Options {
    std::string file;
    std::optional<int> reps;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string json, csv, report;
    std::vector<std::string> set;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("run", "Simulate a scenario and report its metrics");
  cmd->add_option("file", o->file, "Scenario file (TOML)")->required();
  cmd->add_option("--reps", o->reps, "Replications (default: the scenario's, else 10)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scenario's, else 1)");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--json", o->json,
                  "Write results as JSON to PATH ('-' = stdout, nothing else printed)");
  cmd->add_option("--csv", o->csv, "Write summary.csv and intervals.csv into DIR");
  cmd->add_option("--report", o->report,
                  "Write a self-contained HTML report (charts and tables) to FILE.html");
  cmd->add_flag("--quiet,-q", o->quiet, "Print no report and no progress");
  cmd->add_option("--set", o->set, kSetHelp)->allow_extra_args(false);

  return [o]() -> int {
    auto scenario = loadOrReport(o->file, o->set);
    if (!scenario) return kExitBadInput;

    if (o->reps) {  // the file's bound on replications holds for --reps too
      Scenario with_reps = *scenario;
      with_reps.replications = *o->reps;
      for (const Diagnostic& d : validateScenario(with_reps)) {
        if (d.key != "scenario.replications") continue;
        std::cerr << "error: --reps " << *o->reps << ": " << d.message << "\n";
        return kExitBadInput;
      }
    }

    ExperimentOptions opt;
    opt.seed = o->seed.value_or(scenario->seed);
    opt.replications = o->reps.value_or(scenario->replications);
    opt.threads = o->threads;
    InterruptGuard interrupt;
    opt.cancel = interrupt.flag();
    StderrProgress progress("replications", opt.replications, !o->quiet);
    opt.progress = [&progress](int done, int) { progress(done); };
    ExperimentResult result;
    try {
      result = runExperiment(*scenario, opt);
    } catch (const std::bad_alloc&) {
      progress.finish();
      std::cerr << "cxsim run: out of memory while simulating " << o->file
                << " (a queue that grows without bound holds every waiting contact: are there "
                   "more arrivals than the agents can serve, with no patience?)\n";
      return kExitFailure;
    } catch (...) {
      progress.finish();  // main() prints the error on a clean line
      throw;
    }
    progress.finish();
    if (result.cancelled)
      std::cerr << "interrupted: reporting " << result.replications << " completed replications\n";

    if (!o->json.empty()) writeOutput(o->json, resultToJson(*scenario, result).dump(2) + "\n");
    if (!o->csv.empty()) writeCsv(*scenario, result, o->csv);
    if (!o->report.empty()) writeOutput(o->report, runReportHtml(*scenario, result));
    if (!o->quiet && o->json != "-") std::cout << textReport(*scenario, result);
    if (result.cancelled) return kExitInterrupted;
    return result.replications > 0 ? kExitOk : kExitFailure;
  };
}

}  // namespace cx::cli
