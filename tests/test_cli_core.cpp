// The core commands of cxsim (issue 2) run as a user would: bench, run --quiet and --json
// PATH, erlang's Erlang A staffing, and values too large to simulate, which must end in a
// clean error (exit 2 from the validation, never an abort).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/analytic.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using cx::test::cxsim;
using cx::test::slurp;

// The number after `label` at the start of a line of `text`, or NaN.
double figure(const std::string& text, const std::string& label) {
  const std::regex line("(^|\n)" + label + " +([0-9.eE+-]+)");
  std::smatch m;
  if (!std::regex_search(text, m, line)) return std::nan("");
  return std::stod(m[2].str());
}

fs::path tempPath(const std::string& name) {
  return fs::temp_directory_path() / ("cxsim_core_" + std::to_string(getpid()) + "_" + name);
}

}  // namespace

TEST_CASE("cli: bench --arrivals prints arrivals/s, events/s and peak memory") {
  const auto r = cxsim("bench --arrivals 20000");
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(figure(r.out, "arrivals") >= 15000);  // Poisson(20000) over the measured horizon
  CHECK(figure(r.out, "arrivals/s") > 0);     // millions per second
  CHECK(figure(r.out, "events/s") > 0);
  CHECK(figure(r.out, "peak memory") > 0);  // MiB
  CHECK(r.out.find("million") != std::string::npos);
  CHECK(r.out.find("MiB") != std::string::npos);
  // Out of range: CLI11 rejects it with the usual bad-input code.
  CHECK(cxsim("bench --arrivals 10").code == 2);
}

TEST_CASE("cli: run --quiet prints no report and no progress") {
  // README: "--quiet: Print no report and no progress" (progress goes to stderr).
  const auto r = cxsim("run scenarios/validation/erlang_a.toml --reps 2 --quiet");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  // Without it, a report.
  const auto loud = cxsim("run scenarios/validation/erlang_a.toml --reps 2");
  CHECK(loud.code == 0);
  CHECK_FALSE(loud.out.empty());
}

TEST_CASE("cli: run --json PATH writes parseable JSON with reps, and the report to stdout") {
  const fs::path out = tempPath("run.json");
  fs::remove(out);
  const auto r = cxsim("run scenarios/validation/erlang_a.toml --reps 3 --seed 4 --json '" +
                       out.string() + "'");
  REQUIRE(r.code == 0);
  REQUIRE(fs::exists(out));
  const auto j = nlohmann::json::parse(slurp(out));  // throws if not JSON
  CHECK(j["reps"] == 3);
  CHECK(j["seed"] == 4);
  CHECK(j["overall"]["service_level"]["mean"].get<double>() > 0.5);
  CHECK(r.out.find("Erlang-A check") != std::string::npos);  // the text report as well
  // With --quiet: the file, nothing on stdout.
  fs::remove(out);
  const auto q = cxsim("run scenarios/validation/erlang_a.toml --reps 2 --quiet --json '" +
                       out.string() + "'");
  CHECK(q.code == 0);
  CHECK(q.out.empty());
  CHECK(nlohmann::json::parse(slurp(out))["reps"] == 2);
  fs::remove(out);
}

TEST_CASE("cli: erlang --target-sl with --patience-s gives analytic::minimumAgents (Erlang A)") {
  const auto r =
      cxsim("erlang --per-hour 600 --aht-s 240 --patience-s 120 --target-sl 0.8 --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  cx::analytic::StaffingTarget target;
  target.service_level = 0.8;
  target.threshold_s = 20;  // erlang's default --threshold-s
  const cx::analytic::QueueResult exact =
      cx::analytic::minimumAgents(600.0 / 3600, 240, 120.0, target);
  CHECK(j["model"] == "erlang_a");
  CHECK(j["agents"].get<int>() == exact.agents);
  CHECK(j["service_level"].get<double>() == doctest::Approx(exact.service_level));
  CHECK(j["service_level"].get<double>() >= 0.8);
  // One agent fewer misses the target: the count is the smallest.
  const auto fewer = cxsim("erlang --per-hour 600 --aht-s 240 --patience-s 120 --agents " +
                           std::to_string(exact.agents - 1) + " --json -");
  REQUIRE(fewer.code == 0);
  CHECK(nlohmann::json::parse(fewer.out)["service_level"].get<double>() < 0.8);
}

TEST_CASE("cli: values too large to simulate are bad input (exit 2), never a crash") {
  // Each once passed `validate`; `run` then ended in exit 1 (length_error) on one thread and
  // in std::terminate (exit 134) on two, or in std::bad_alloc.
  struct Case {
    const char* set;
    const char* key;
  };
  const Case cases[] = {
      {"scenario.horizon_hours=1e12", "scenario.horizon_hours: expected at most 1000000 hours"},
      {"scenario.warmup_hours=1e13", "scenario.warmup_hours: expected at most 1000000 hours"},
      {"channels.phone.agents=2000000000",
       "channels[0].agents[0]: expected at most 1000000 agents"},
      {"channels.phone.arrivals.per_hour=1e300",
       "channels[0].arrivals.per_hour[0]: expected a rate of at most 10000000"},
  };
  for (const Case& c : cases) {
    for (const char* threads : {"1", "2"}) {
      CAPTURE(c.set);
      CAPTURE(threads);
      const auto r =
          cxsim(std::string("run scenarios/validation/erlang_a.toml --reps 2 --threads ") +
                threads + " --set " + c.set);
      INFO(r.err);
      CHECK(r.code == 2);
      CHECK(r.out.empty());
      CHECK(r.err.find(std::string("error: --set ") + c.set + ": " + c.key) != std::string::npos);
    }
    const auto v = cxsim(std::string("validate scenarios/validation/erlang_a.toml --set ") + c.set);
    CHECK(v.code == 2);
  }
  // --reps is held to the bound a file's replications are.
  const auto reps = cxsim("run scenarios/validation/erlang_a.toml --reps 200000 --quiet");
  CHECK(reps.code == 2);
  CHECK(reps.err.find("error: --reps 200000: expected an integer from 1 to 100000") !=
        std::string::npos);
}
