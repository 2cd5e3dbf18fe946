// cxsim sweep FILE --vary KEY=LO:HI:STEP ...: a scenario over a grid or a Latin hypercube of
// override values, one row per point, optionally with its Pareto frontier.
#include <iostream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/scale_out.hpp"
#include "sim/html_report.hpp"
#include "sim/optimize.hpp"
#include "sim/sweep.hpp"

namespace cx::cli {

Command addSweepCommand(CLI::App& app) {
  struct Options {
    std::string file;
    std::vector<std::string> vary, set;
    int lhs = 0;
    std::optional<int> reps;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string csv, json, frontier, report;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "sweep", "Run a scenario over a grid (or Latin hypercube) of values; one row per point");
  cmd->add_option("file", o->file, "Scenario file (TOML)")->required();
  cmd->add_option("--vary", o->vary,
                  "KEY=LO:HI:STEP, a grid axis (KEY=LO:HI with --lhs; KEY=VALUE fixed), e.g. "
                  "channels.phone.agents=40:50:1 (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--lhs", o->lhs, "A Latin hypercube of N points instead of a grid")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--reps", o->reps, "Replications per point (default: the scenario's, else 10)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", o->seed,
                  "Random seed, shared by every point (default: the scenario's, else 1)");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--set", o->set, std::string(kSetHelp) + "; applies to every point")
      ->allow_extra_args(false);
  cmd->add_option("--frontier", o->frontier,
                  "Mark the Pareto-efficient points for two metrics X,Y (each may end in :min or "
                  ":max), e.g. agents_mean:min,service_level");
  cmd->add_option("--csv", o->csv, "Write the rows as CSV to PATH ('-' = stdout)");
  cmd->add_option("--json", o->json,
                  "Write the rows as JSON to PATH ('-' = stdout, nothing else printed)");
  cmd->add_option("--report", o->report,
                  "Write a self-contained HTML report (scatter with the frontier, table) to "
                  "FILE.html");
  cmd->add_flag("--quiet,-q", o->quiet, "Print no table and no progress");

  return [o]() -> int {
    // Under mpirun every rank loads and checks the same points; rank 0 alone speaks.
    const ScaleOut scale_out;
    std::streambuf* const cerr_buf = std::cerr.rdbuf();
    struct RestoreCerr {
      std::streambuf* buf;
      ~RestoreCerr() { std::cerr.rdbuf(buf); }
    } restore{cerr_buf};
    if (scale_out.rank() != 0) std::cerr.rdbuf(nullptr);
    const bool root = scale_out.rank() == 0;
    InterruptGuard interrupt;  // from the start: loading many points takes a moment too
    // The base scenario first: its own errors point into the file, and it gives the defaults.
    auto base = loadOrReport(o->file, o->set);
    if (!base) return kExitBadInput;
    SweepSpec spec;
    spec.file = o->file;
    spec.overrides = o->set;
    spec.lhs_points = o->lhs;
    ExperimentOptions opt;
    opt.seed = o->seed.value_or(base->seed);
    opt.replications = o->reps.value_or(base->replications);
    opt.threads = o->threads;
    PreparedSweep prepared;
    try {
      for (const std::string& v : o->vary) spec.ranges.push_back(parseRange(v));
      if (!o->frontier.empty()) spec.frontier = parseFrontier(o->frontier);
      prepared = prepareSweep(spec, opt.seed);
      // A frontier on a metric the scenario does not model would mark nothing.
      for (const FrontierMetric& f : spec.frontier) {
        const std::string needs =
            metricNeeds(prepared.scenarios.empty() ? *base : prepared.scenarios.front(), f.metric);
        if (!needs.empty())
          throw std::invalid_argument("--frontier " + o->frontier + ": " + o->file +
                                      " does not model " + metricInfo(f.metric).name +
                                      ": it needs " + needs);
      }
    } catch (const std::invalid_argument& e) {
      std::cerr << "error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const ScenarioError& e) {
      for (const Diagnostic& d : e.diagnostics()) std::cerr << "error: " << d.format() << "\n";
      return kExitBadInput;
    }
    opt.cancel = interrupt.flag();
    const int total = static_cast<int>(prepared.points.size());
    StderrProgress progress("points", total, !o->quiet && root);
    opt.progress = [&progress](int done, int) { progress(done); };
    SweepRanks ranks;
    ranks.rank = scale_out.rank();
    ranks.ranks = scale_out.ranks();
    ranks.gather = [&scale_out](const std::vector<double>& local) {
      return scale_out.gather(local);
    };
    const SweepResult result = runSweep(spec, prepared, opt, ranks);
    progress.finish();
    if (!root) return kExitOk;  // rank 0 writes everything
    if (result.cancelled)
      std::cerr << "interrupted: writing the " << result.points.size() << " completed points of "
                << total << "\n";
    if (!o->csv.empty()) writeOutput(o->csv, sweepCsv(result));
    if (!o->json.empty()) writeOutput(o->json, sweepJson(result).dump(2) + "\n");
    if (!o->report.empty()) writeOutput(o->report, sweepReportHtml(result));
    if (!o->quiet && o->json != "-" && o->csv != "-") std::cout << sweepText(result);
    return result.cancelled ? kExitInterrupted : kExitOk;
  };
}

}  // namespace cx::cli
