// cxsim compare A.toml B.toml: both scenarios on common random numbers, paired differences.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/scale_out.hpp"
#include "sim/compare.hpp"
#include "sim/html_report.hpp"

namespace cx::cli {

Command addCompareCommand(CLI::App& app) {
  struct Options {
    std::string file_a, file_b;
    std::optional<int> reps;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::vector<std::string> set, set_a, set_b;
    std::string json, report;
    bool independent = false;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "compare", "Compare scenario B with scenario A on common random numbers (paired CIs)");
  cmd->add_option("a", o->file_a, "Scenario A, the baseline (TOML)")->required();
  cmd->add_option("b", o->file_b, "Scenario B (TOML)")->required();
  cmd->add_option("--reps", o->reps, "Replications of each (default: A's, else 10)")
      ->check(CLI::Range(2, 1000000));
  cmd->add_option("--seed", o->seed, "Random seed, shared by both (default: A's, else 1)");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--set", o->set, std::string(kSetHelp) + "; applies to both scenarios")
      ->allow_extra_args(false);
  cmd->add_option("--set-a", o->set_a, "KEY=VALUE for A only, after --set (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set-b", o->set_b,
                  "KEY=VALUE for B only, after --set (repeatable): compare a file with a "
                  "variant of itself")
      ->allow_extra_args(false);
  cmd->add_flag("--independent", o->independent,
                "Run B on streams independent of A's (to see what common random numbers save)");
  cmd->add_option("--json", o->json,
                  "Write the comparison as JSON to PATH ('-' = stdout, nothing else printed)");
  cmd->add_option("--report", o->report,
                  "Write a self-contained HTML report (charts and tables) to FILE.html");
  cmd->add_flag("--quiet,-q", o->quiet, "Print no table and no progress");

  return [o]() -> int {
    // Under mpirun every rank would run the whole comparison and print it: refuse instead.
    const ScaleOut scale_out;
    if (scale_out.ranks() > 1) {
      if (scale_out.rank() == 0)
        std::cerr << "error: compare runs in one process; start it without mpirun (only sweep "
                     "and optimize spread over MPI ranks)\n";
      return kExitBadInput;
    }
    InterruptGuard interrupt;
    auto with = [&](const std::vector<std::string>& own) {
      std::vector<std::string> all = o->set;
      all.insert(all.end(), own.begin(), own.end());
      return all;
    };
    auto a = loadOrReport(o->file_a, with(o->set_a));
    auto b = loadOrReport(o->file_b, with(o->set_b));
    if (!a || !b) return kExitBadInput;
    ExperimentOptions opt;
    opt.seed = o->seed.value_or(a->seed);
    opt.replications = o->reps.value_or(a->replications);
    opt.threads = o->threads;
    if (opt.replications < 2) {
      std::cerr << "error: compare needs at least 2 replications for a confidence interval\n";
      return kExitBadInput;
    }
    opt.cancel = interrupt.flag();
    StderrProgress progress("replication pairs", opt.replications, !o->quiet);
    opt.progress = [&progress](int done, int) { progress(done); };
    const Comparison c =
        compareScenarios(*a, *b, opt, o->independent ? Streams::Independent : Streams::Common);
    progress.finish();
    if (c.cancelled) {
      if (c.replications < 2) {
        std::cerr << "interrupted: " << c.replications << " of " << c.requested
                  << " pairs completed, too few to compare (at least 2); nothing written\n";
        return kExitInterrupted;
      }
      std::cerr << "interrupted: comparing the " << c.replications << " completed pairs of "
                << c.requested << "\n";
    }
    if (!o->json.empty()) writeOutput(o->json, comparisonToJson(*a, *b, c).dump(2) + "\n");
    if (!o->report.empty()) writeOutput(o->report, compareReportHtml(*a, *b, c));
    if (!o->quiet && o->json != "-") std::cout << comparisonText(*a, *b, c);
    return c.cancelled ? kExitInterrupted : kExitOk;
  };
}

}  // namespace cx::cli
