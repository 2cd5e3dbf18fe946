// cxsim optimize FILE --minimize METRIC --subject-to "METRIC>=X" --vary ...: the best point of
// a sweep that meets every constraint with the required confidence.
#include <iostream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/scale_out.hpp"
#include "sim/optimize.hpp"

namespace cx::cli {

Command addOptimizeCommand(CLI::App& app) {
  struct Options {
    std::string file, minimize, maximize, json;
    std::vector<std::string> vary, set, subject_to;
    int lhs = 0;
    std::optional<int> reps;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    double confidence = 0.95;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "optimize", "The best point of a sweep that meets every constraint with a given confidence");
  cmd->add_option("file", o->file, "Scenario file (TOML)")->required();
  auto* min = cmd->add_option("--minimize", o->minimize, "Metric to minimise, e.g. agents_mean");
  auto* max = cmd->add_option("--maximize", o->maximize, "Metric to maximise");
  min->excludes(max);
  cmd->add_option("--subject-to", o->subject_to,
                  "Constraint METRIC>=X or METRIC<=X, e.g. service_level>=0.8 (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--vary", o->vary, "KEY=LO:HI:STEP, as for sweep (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--lhs", o->lhs, "A Latin hypercube of N points instead of a grid")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--reps", o->reps, "Replications per point (default: the scenario's, else 10)")
      ->check(CLI::Range(2, 1000000));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scenario's, else 1)");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--set", o->set, std::string(kSetHelp) + "; applies to every point")
      ->allow_extra_args(false);
  cmd->add_option("--confidence", o->confidence,
                  "Required confidence that a point meets all constraints (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
  cmd->add_option("--json", o->json,
                  "Write the result as JSON to PATH ('-' = stdout, nothing else printed)");
  cmd->add_flag("--quiet,-q", o->quiet, "Print no table and no progress");

  return [o]() -> int {
    // Under mpirun the sweep's replications spread over the ranks as for `sweep`; every rank
    // loads and checks the same points, rank 0 alone speaks and judges.
    const ScaleOut scale_out;
    const bool root = scale_out.rank() == 0;
    struct RestoreCerr {
      std::streambuf* buf;
      ~RestoreCerr() { std::cerr.rdbuf(buf); }
    } restore{std::cerr.rdbuf()};
    if (!root) std::cerr.rdbuf(nullptr);
    InterruptGuard interrupt;
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
    Metric objective{};
    std::vector<Constraint> constraints;
    PreparedSweep prepared;
    try {
      const std::string& name = o->minimize.empty() ? o->maximize : o->minimize;
      if (name.empty())
        throw std::invalid_argument("give the objective: --minimize METRIC or --maximize METRIC");
      if (!metricByName(name, objective))
        throw std::invalid_argument("--minimize/--maximize: no metric '" + name + "'");
      if (opt.replications < 2)
        throw std::invalid_argument("optimize needs at least 2 replications per point");
      for (const std::string& c : o->subject_to) constraints.push_back(parseConstraint(c));
      for (const std::string& v : o->vary) spec.ranges.push_back(parseRange(v));
      prepared = prepareSweep(spec, opt.seed);
      // A metric the scenario does not model is undefined at every point: say what it needs
      // rather than judge NaNs. (Every point has the tables of the first: --vary changes
      // values, and a --vary that creates a table creates it at every point.)
      const Scenario& first = prepared.scenarios.empty() ? *base : prepared.scenarios.front();
      auto check = [&](const std::string& option, Metric m) {
        const std::string needs = metricNeeds(first, m);
        if (!needs.empty())
          throw std::invalid_argument(option + ": " + o->file + " does not model " +
                                      metricInfo(m).name + ": it needs " + needs);
      };
      check(o->minimize.empty() ? "--maximize " + o->maximize : "--minimize " + o->minimize,
            objective);
      for (const Constraint& c : constraints) check("--subject-to " + c.text, c.metric);
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
    SweepResult sweep = runSweep(spec, prepared, opt, ranks);
    progress.finish();
    if (!root) return kExitOk;  // rank 0 judges and writes everything
    const bool cancelled = sweep.cancelled;
    if (cancelled)
      std::cerr << "interrupted: judging the " << sweep.points.size() << " completed points of "
                << total << "\n";
    const OptimizeResult result = optimizeSweep(
        std::move(sweep), objective, o->minimize.empty() ? Better::Higher : Better::Lower,
        constraints, o->confidence);
    if (!o->json.empty()) writeOutput(o->json, optimizeJson(result).dump(2) + "\n");
    if (!o->quiet && o->json != "-") std::cout << optimizeText(result);
    return cancelled ? kExitInterrupted : kExitOk;
  };
}

}  // namespace cx::cli
