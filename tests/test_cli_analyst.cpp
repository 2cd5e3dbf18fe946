// The analyst workbench on the command line (issue 4, docs/ANALYSIS.md): compare's progress
// and Ctrl-C, optimize in the issue's own form on a scenario with costs and outcomes, metrics
// a scenario does not model refused up front, and `run` on every hardware thread by default.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "sim/stats.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using cx::test::CliRun;
using cx::test::cxsim;
using cx::test::slurp;

namespace {

// Starts `cxsim ARGS` in the background from the source folder, stdout and stderr to files in
// `dir`; waits for its first progress line on stderr (in a log the first comes after 5 s, and
// only once something has completed), then sends SIGINT as Ctrl-C would and waits for it. So
// the timing cannot decide the outcome: the signal always comes after completed work, while
// the job is still far from done. Gives up waiting after 60 s, and kills the job if it has
// not stopped 30 s after the signal (exit code 137: the checks then fail, nothing hangs).
CliRun interruptAfterFirstProgress(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "out", err = dir / "err", code = dir / "code";
  const std::string cmd =
      "cd '" + std::string(CX_SOURCE_DIR) + "' && ('" + CXSIM_EXE + "' " + args + " > '" +
      out.string() + "' 2> '" + err.string() + "' & pid=$!; n=0; " +
      "while [ $n -lt 600 ] && kill -0 $pid 2>/dev/null && ! grep -q '^progress:' '" +
      err.string() + "'; do sleep 0.1; n=$((n+1)); done; kill -INT $pid 2>/dev/null; n=0; " +
      "while [ $n -lt 300 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; n=$((n+1)); done; " +
      "kill -KILL $pid 2>/dev/null; wait $pid; echo $? > '" + code.string() + "')";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CliRun r;
  r.code = std::stoi(slurp(code));
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("cxsim_analyst_" + name + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("cli: Ctrl-C stops a compare after the completed pairs and compares those") {
  // 5,000 pairs of 50-hour days would take minutes; Ctrl-C once progress has been reported.
  const fs::path dir = scratch("compare_sigint");
  const std::string json = (dir / "cut.json").string();
  const CliRun r = interruptAfterFirstProgress(
      "compare scenarios/validation/erlang_a.toml scenarios/validation/erlang_a.toml "
      "--set scenario.horizon_hours=50 --set-b channels.phone.agents=46 --reps 5000 "
      "--threads 2 --json '" +
          json + "'",
      dir);
  INFO(r.err);
  CHECK(r.code == 130);
  CHECK(r.err.find("progress: ") != std::string::npos);
  CHECK(r.err.find("replication pairs") != std::string::npos);
  CHECK(r.err.find("interrupted: comparing the ") != std::string::npos);
  const auto j = nlohmann::json::parse(slurp(json));
  CHECK(j["cancelled"] == true);
  CHECK(j["reps_requested"] == 5000);
  const int pairs = j["reps"].get<int>();
  CHECK(pairs >= 2);
  CHECK(pairs < 5000);
  CHECK(r.err.find("of 5000") != std::string::npos);
  // The report is there, marked, on the completed pairs: the same callers on both sides.
  CHECK(r.out.find("stopped early: " + std::to_string(pairs) + " of the 5000 pairs") !=
        std::string::npos);
  CHECK(j["overall"]["offered"]["diff"] == 0.0);
  CHECK(j["overall"]["agents_mean"]["verdict"] == "higher");
  fs::remove_all(dir);
}

TEST_CASE("cli: compare --quiet prints no table; a finished compare says it was not cancelled") {
  const fs::path dir = scratch("compare_quiet");
  const std::string json = (dir / "c.json").string();
  const CliRun r = cxsim(
      "compare scenarios/validation/erlang_a.toml scenarios/validation/erlang_a.toml "
      "--set scenario.horizon_hours=2 --set-b channels.phone.agents=46 --reps 3 --quiet "
      "--json '" +
      json + "'");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(slurp(json));
  CHECK(j["cancelled"] == false);
  CHECK(j["reps"] == 3);
  CHECK_FALSE(j.contains("reps_requested"));
  fs::remove_all(dir);
}

TEST_CASE(
    "cli: a metric the scenario does not model is refused with code 2, saying what it needs") {
  // bot_chat.toml has [bot] and [costs] but no [outcomes]: no CSAT, NPS or churn to judge.
  const std::string bot =
      "scenarios/examples/bot_chat.toml --reps 2 --set scenario.horizon_hours=2 ";
  const std::string vary = " --vary channels.chat.agents=30:31:1";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"optimize " + bot +
           "--minimize cost_total --subject-to 'service_level>=0.8' "
           "--subject-to 'csat>=0.8'" +
           vary,
       "error: --subject-to csat>=0.8: scenarios/examples/bot_chat.toml does not model csat: it "
       "needs an [outcomes] table"},
      {"optimize " + bot + "--maximize nps --subject-to 'service_level>=0.8'" + vary,
       "error: --maximize nps: scenarios/examples/bot_chat.toml does not model nps: it needs an "
       "[outcomes] table"},
      {"optimize scenarios/validation/erlang_a.toml --reps 2 --minimize cost_total "
       "--subject-to 'service_level>=0.8' --vary channels.phone.agents=40:41:1",
       "does not model cost_total: it needs a [costs] table"},
      {"optimize " + bot + "--minimize cost_total --subject-to 'frt_s<=60'" + vary,
       "does not model frt_s: it needs an email or messaging channel"},
      {"sweep " + bot + "--frontier cost_total,csat" + vary,
       "error: --frontier cost_total,csat: scenarios/examples/bot_chat.toml does not model csat: "
       "it needs an [outcomes] table"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args);
    const CliRun r = cxsim(args);
    CHECK(r.code == 2);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.out.empty());  // nothing ran
    CHECK(r.err.find("progress") == std::string::npos);
  }
  // A table created by --set makes the metric modelled: the same constraint then runs.
  const CliRun ok = cxsim(
      "optimize scenarios/validation/erlang_a.toml --reps 2 "
      "--set scenario.horizon_hours=2 --set costs.agent_per_hour=30 "
      "--minimize cost_total --subject-to 'service_level>=0.5' "
      "--vary channels.phone.agents=40:41:1 --json -");
  CHECK(ok.code == 0);
}

TEST_CASE(
    "cli: optimize as the issue writes it: the cheapest point meeting service level and CSAT") {
  // `--minimize cost_total --subject-to "service_level>=0.8" --subject-to "csat>=0.7"` on the
  // shipped default scenario (phone and chat with [costs] and [outcomes]), one day, a small
  // grid. The chosen point must meet both constraints with the confidence asked and no cheaper
  // point of the sweep table may: checked here from the table's own means and CIs.
  const CliRun r = cxsim(
      "optimize scenarios/default.toml --set scenario.days=1 --reps 5 --minimize cost_total "
      "--subject-to \"service_level>=0.8\" --subject-to \"csat>=0.7\" "
      "--vary channels.phone.agents=25:34:3 --vary channels.chat.agents=8:12:2 --json -");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["best"].is_object());
  const auto& table = j["sweep"]["points"];
  REQUIRE(table.size() == 12);
  const int reps = j["sweep"]["reps"].get<int>();
  REQUIRE(reps == 5);
  // One-sided confidence that the true mean is at least `bound`, and the Bonferroni bound.
  auto confidence = [&](const nlohmann::json& e, double bound) {
    const double mean = e["mean"].get<double>(), ci = e["ci95"].get<double>();
    if (ci == 0.0) return mean >= bound ? 1.0 : 0.0;
    const double se = ci / cx::studentTQuantile(0.975, reps - 1);
    return cx::studentTCdf((mean - bound) / se, reps - 1);
  };
  std::size_t cheapest = table.size();
  double cheapest_cost = std::numeric_limits<double>::infinity();
  int infeasible_cheaper = 0;
  for (std::size_t p = 0; p < table.size(); ++p) {
    const auto& o = table[p]["overall"];
    const double joint =
        std::max(0.0, confidence(o["service_level"], 0.8) + confidence(o["csat"], 0.7) - 1.0);
    const bool feasible = joint >= 0.95;
    CAPTURE(p);
    CHECK(j["points"][p]["feasible"] == feasible);
    const double cost = o["cost_total"]["mean"].get<double>();
    if (feasible && cost < cheapest_cost) cheapest = p, cheapest_cost = cost;
  }
  REQUIRE(cheapest < table.size());
  CHECK(j["best"]["index"] == cheapest);
  CHECK(j["best"]["values"] == table[cheapest]["values"]);
  CHECK(j["best"]["objective"]["mean"].get<double>() == cheapest_cost);
  CHECK(j["best"]["joint_confidence"].get<double>() >= 0.95);
  // Its means meet the bounds, and the constraints bind: some cheaper point fails them.
  CHECK(table[cheapest]["overall"]["service_level"]["mean"].get<double>() >= 0.8);
  CHECK(table[cheapest]["overall"]["csat"]["mean"].get<double>() >= 0.7);
  for (const auto& p : table)
    if (p["overall"]["cost_total"]["mean"].get<double>() < cheapest_cost) ++infeasible_cheaper;
  CHECK(infeasible_cheaper > 0);
  // The text names it too.
  const CliRun text = cxsim(
      "optimize scenarios/default.toml --set scenario.days=1 --reps 5 --minimize cost_total "
      "--subject-to \"service_level>=0.8\" --subject-to \"csat>=0.7\" "
      "--vary channels.phone.agents=25:34:3 --vary channels.chat.agents=8:12:2 --quiet");
  CHECK(text.code == 0);
  CHECK(text.out.empty());
}

TEST_CASE("cli: run without --threads uses every hardware thread") {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  // At least as many replications as threads: a run never starts more workers than that.
  const CliRun r = cxsim(
      "run scenarios/validation/erlang_a.toml --set scenario.horizon_hours=1 "
      "--set scenario.warmup_hours=0.5 --reps " +
      std::to_string(std::max(2u, hw)) + " --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["run"]["threads"].get<unsigned>() == hw);
  // --threads 1 is recorded as such, so the field is not a constant.
  const CliRun one = cxsim(
      "run scenarios/validation/erlang_a.toml --set scenario.horizon_hours=1 "
      "--set scenario.warmup_hours=0.5 --reps 2 --threads 1 --json -");
  REQUIRE(one.code == 0);
  CHECK(nlohmann::json::parse(one.out)["run"]["threads"] == 1);
}
