// The cxsim command line, run as a user would: exit codes, the JSON and CSV it writes, its
// error messages, and every shipped scenario through `run`.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/analytic.hpp"
#include "sim/metrics.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using cx::test::sourcePath;

namespace {

using Result = cx::test::CliRun;
using cx::test::cxsim;
using cx::test::slurp;

}  // namespace

TEST_CASE("cli: run --json - prints only the JSON of DESIGN.md §3") {
  const Result r = cxsim("run scenarios/validation/erlang_a.toml --reps 3 --seed 5 --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);  // throws if anything else was printed
  CHECK(j["reps"] == 3);
  CHECK(j["seed"] == 5);
  CHECK(j["scenario"]["name"] == "Erlang-A check");
  for (const auto& m : cx::allMetrics()) {
    INFO(m.name);
    CHECK(j["overall"].contains(m.name));
    CHECK(j["channels"]["phone"].contains(m.name));
  }
  const auto& sl = j["overall"]["service_level"];
  CHECK(sl["mean"].get<double>() > 0.5);
  CHECK(sl["ci95"].get<double>() > 0.0);
  CHECK(sl["ci95"].get<double>() < 0.05);
  REQUIRE(j["intervals"].is_array());
  CHECK(j["intervals"].size() == 1);
  CHECK(j["intervals"][0]["channels"]["phone"].contains("p_wait"));
}

TEST_CASE("cli: run gives the same results with 1 and 2 threads") {
  const Result a = cxsim("run scenarios/default.toml --reps 4 --threads 1 --json -");
  const Result b = cxsim("run scenarios/default.toml --reps 4 --threads 2 --json -");
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  CHECK(ja["run"]["threads"] == 1);
  CHECK(jb["run"]["threads"] == 2);
  // The engine's counts do not depend on the threads either (only the wall time does).
  for (const char* count :
       {"events", "arrivals", "retries", "transfers", "silent_abandons", "cases_open_at_end"})
    CHECK(ja["run"][count] == jb["run"][count]);
  ja.erase("run");
  jb.erase("run");
  CHECK(ja.dump() == jb.dump());
}

TEST_CASE("cli: run prints a readable report and writes CSV tables") {
  const fs::path dir = fs::temp_directory_path() / ("cxsim_csv_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const Result r = cxsim("run scenarios/default.toml --reps 2 --csv '" + dir.string() + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("service level") != std::string::npos);
  CHECK(r.out.find("Per interval") != std::string::npos);
  CHECK(r.err.empty());  // no progress noise without a terminal
  const std::string summary = slurp(dir / "summary.csv");
  const std::string intervals = slurp(dir / "intervals.csv");
  CHECK(summary.rfind("scope,offered,offered_ci95,", 0) == 0);
  CHECK(intervals.rfind("interval,start,channel,offered,", 0) == 0);
  auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  const cx::Scenario s = cx::loadScenario(sourcePath("scenarios/default.toml"));
  CHECK(lines(summary) == 1 + 1 + static_cast<long>(s.channels.size()));
  CHECK(lines(intervals) == 1 + static_cast<long>(s.intervalsPerDay() * (s.channels.size() + 1)));
  fs::remove_all(dir);
}

TEST_CASE("cli: bad input exits with code 2 and says where") {
  SUBCASE("broken scenario file") {
    const fs::path bad = fs::temp_directory_path() / "cxsim_bad_scenario.toml";
    std::ofstream(bad)
        << "[scenario]\nname = \"x\"\nhorizon_hours = -3\n\n[[channels]]\nid = \"p\"\n"
           "kind = \"voice\"\nagents = 3\narrivals = { per_hour = 10 }\n"
           "handle_time = { dist = \"exponential\", mean_s = 100 }\n";
    const Result r = cxsim("run '" + bad.string() + "'");
    CHECK(r.code == 2);
    CHECK(r.err.find("cxsim_bad_scenario.toml:3:") != std::string::npos);
    CHECK(r.err.find("horizon_hours") != std::string::npos);
    CHECK(r.out.empty());
    const Result v = cxsim("validate '" + bad.string() + "' scenarios/default.toml");
    CHECK(v.code == 2);
    CHECK(v.out.find("default.toml: ok") != std::string::npos);
  }
  SUBCASE("missing file") {
    const Result r = cxsim("run no/such/file.toml");
    CHECK(r.code == 2);
    CHECK(r.err.find("no/such/file.toml") != std::string::npos);
  }
  SUBCASE("usage errors") {
    CHECK(cxsim("run").code == 2);
    CHECK(cxsim("run scenarios/default.toml --reps 0").code == 2);
    CHECK(cxsim("run scenarios/default.toml --no-such-flag").code == 2);
    CHECK(cxsim("frobnicate").code == 2);
    CHECK(cxsim("erlang --per-hour 100 --aht-s 180").code == 2);
    CHECK(cxsim("erlang --per-hour 100 --aht-s 180 --agents 5 --target-sl 0.8").code == 2);
    CHECK(cxsim("erlang --per-hour -1 --aht-s 180 --agents 5").code == 2);
  }
}

TEST_CASE("cli: erlang reproduces the published figures") {
  Result r = cxsim("erlang --per-hour 200 --aht-s 180 --agents 14 --json -");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["model"] == "erlang_c");
  CHECK(j["p_wait"].get<double>() == doctest::Approx(0.174).epsilon(0.003));
  CHECK(j["asa_s"].get<double>() == doctest::Approx(7.84).epsilon(0.001));
  r = cxsim("erlang --per-hour 200 --aht-s 180 --agents 14 --patience-s 300 --json -");
  j = nlohmann::json::parse(r.out);
  CHECK(j["model"] == "erlang_a");
  CHECK(j["abandon_rate"].get<double>() == doctest::Approx(0.013984).epsilon(1e-4));
  r = cxsim("erlang --per-hour 720 --aht-s 240 --target-sl 0.8 --json -");
  j = nlohmann::json::parse(r.out);
  CHECK(j["agents"] == 54);
  r = cxsim("erlang --per-hour 720 --aht-s 240 --target-sl 0.8");
  CHECK(r.out.find("agents          54") != std::string::npos);
}

namespace {

fs::path writeTemp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()) + ".toml");
  std::ofstream(p) << text;
  return p;
}

}  // namespace

TEST_CASE("cli: staff — erlang and simulation give the published Erlang C and A minima") {
  // CALIBRATION.md: Erlang C, 720/h, AHT 240 s, 80/20 needs 54.
  const fs::path c = writeTemp("cxsim_staff_c", R"([scenario]
name = "Erlang C check"
horizon_hours = 100
warmup_hours = 2
[[channels]]
id = "phone"
kind = "voice"
agents = 1
arrivals = { per_hour = 720 }
handle_time = { dist = "exponential", mean_s = 240 }
)");
  for (const char* method : {"erlang", "simulation"}) {
    INFO(method);
    const Result r = cxsim("staff '" + c.string() + "' --target-sl 0.8 --threshold-s 20 --method " +
                           method + " --reps 6 --json -");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["method"] == method);
    const auto& iv = j["requirements"]["phone"]["intervals"][0];
    CHECK(iv["on_phone"] == 54);
    CHECK(iv["seated"].get<double>() > 53.0);
    CHECK(iv["seated"].get<double>() <= 54.0);
    // And the plan, simulated, meets the target.
    CHECK(j["simulated"]["channels"]["phone"]["service_level"]["mean"].get<double>() >= 0.8);
    CHECK(j["simulated"]["channels"]["phone"]["agents_mean"]["mean"].get<double>() ==
          doctest::Approx(54.0));
  }
  fs::remove(c);
  // Erlang A: the validation scenario (600/h, AHT 240 s, patience 120 s).
  const cx::analytic::QueueResult a =
      cx::analytic::minimumAgents(600.0 / 3600, 240.0, 120.0, cx::analytic::StaffingTarget{});
  for (const char* method : {"erlang", "simulation"}) {
    INFO(method);
    const Result r = cxsim(std::string("staff scenarios/validation/erlang_a.toml --method ") +
                           method + " --reps 4 --json -");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["requirements"]["phone"]["model"] == "Erlang A");
    CHECK(j["requirements"]["phone"]["intervals"][0]["on_phone"] == a.agents);
  }
}

TEST_CASE("cli: staff with shifts prints the roster, simulates it and writes CSV") {
  const fs::path dir = fs::temp_directory_path() / ("cxsim_staff_csv_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const Result r = cxsim(
      "staff scenarios/default.toml --shifts scenarios/shifts/default.toml --shrinkage 0.25 "
      "--reps 2 --csv '" +
      dir.string() + "'");
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("Requirements — phone (Erlang A, 80% in 20 s)") != std::string::npos);
  CHECK(r.out.find("Requirements — chat (Erlang A, 2 chats per agent, 80% in 60 s)") !=
        std::string::npos);
  CHECK(r.out.find("Roster: cost ") != std::string::npos);
  CHECK(r.out.find("The plan simulated: 2 replication(s)") != std::string::npos);
  const std::string req = slurp(dir / "requirements.csv");
  CHECK(req.rfind("interval,start,channel,per_hour,effective_load,seated,required,on_phone,", 0) ==
        0);
  CHECK(std::count(req.begin(), req.end(), '\n') == 1 + 2 * 24);
  const std::string roster = slurp(dir / "roster.csv");
  CHECK(roster.rfind("shift,day,start,channel,count,cost\n", 0) == 0);
  CHECK(roster.find("\"early\",0,08:00,phone,") != std::string::npos);
  CHECK(fs::exists(dir / "intervals.csv"));
  CHECK(fs::exists(dir / "summary.csv"));
  fs::remove_all(dir);

  // JSON: coverage at least the requirement everywhere; what was simulated is the roster's
  // agents on the phones.
  const Result j = cxsim(
      "staff scenarios/default.toml --shifts scenarios/shifts/default.toml --shrinkage 0.25 "
      "--reps 2 --json -");
  REQUIRE(j.code == 0);
  const auto js = nlohmann::json::parse(j.out);
  const auto& ro = js["roster"];
  CHECK(ro["feasible"] == true);
  CHECK(ro["under_agent_intervals"] == 0.0);
  for (const char* ch : {"phone", "chat"})
    for (int k = 0; k < 24; ++k) {
      const double required = js["requirements"][ch]["intervals"][k]["required"];
      CHECK(ro["coverage"][ch][k].get<int>() >= required);
    }
  CHECK(ro["cost"].get<double>() > 0);
}

TEST_CASE("cli: staff shows what the plan buys in CSAT when the scenario has [outcomes]") {
  const Result r = cxsim("staff scenarios/examples/shared_context.toml --reps 2");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("occupancy    CSAT") != std::string::npos);
  // Without [outcomes] there is no CSAT to show.
  const Result d = cxsim("staff scenarios/validation/erlang_a.toml --reps 2");
  REQUIRE(d.code == 0);
  CHECK(d.out.find("CSAT") == std::string::npos);
}

TEST_CASE("cli: staff shows the agents' queue apart from customers lost in the bot's loop") {
  const Result r = cxsim("staff scenarios/bot_loop.toml --reps 3");
  REQUIRE(r.code == 0);
  const std::size_t sim = r.out.find("The plan simulated");
  REQUIRE(sim != std::string::npos);
  const std::string tail = r.out.substr(sim);
  CHECK(tail.find("(service and abandonment: of the contacts that reached the agents)") !=
        std::string::npos);
  CHECK(tail.find("gave up in the bot's loop, before reaching the agents; counting them as "
                  "abandoned, as the run's report does") != std::string::npos);
  // Without a bot loop neither line appears.
  const Result d = cxsim("staff scenarios/validation/erlang_a.toml --reps 2");
  REQUIRE(d.code == 0);
  CHECK(d.out.find("bot's loop") == std::string::npos);
}

TEST_CASE("cli: staff reports bad shift files and infeasible templates with exit code 2") {
  const fs::path bad = writeTemp(
      "cxsim_bad_shifts", "[[shifts]]\nname = \"x\"\nstart = \"08:10\"\nhours = 8\ncost = 1\n");
  Result r = cxsim("staff scenarios/default.toml --shifts '" + bad.string() + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find(bad.filename().string() + ":3:9: shifts[0].start: the start must be a whole") !=
        std::string::npos);
  const fs::path narrow = writeTemp(
      "cxsim_narrow_shifts", "[[shifts]]\nname = \"am\"\nstart = \"08:00\"\nhours = 4\ncost = 1\n");
  r = cxsim("staff scenarios/default.toml --shifts '" + narrow.string() + "'");
  CHECK(r.code == 2);
  // 25.6 on the phones at 12:00, 35.1 to roster at the scenario's 27% shrinkage.
  CHECK(r.err.find("no roster from these shift templates covers the requirement: phone 12:00 "
                   "needs 36 but no shift template works it") != std::string::npos);
  // With --json the plan is still written, saying the roster is infeasible (and nothing was
  // simulated); the exit code stays 2.
  r = cxsim("staff scenarios/default.toml --shifts '" + narrow.string() + "' --json -");
  CHECK(r.code == 2);
  const auto infeasible = nlohmann::json::parse(r.out);
  CHECK(infeasible["roster"]["feasible"] == false);
  CHECK(infeasible["roster"]["message"].get<std::string>().rfind(
            "no roster from these shift templates covers the requirement", 0) == 0);
  CHECK(infeasible["requirements"]["phone"]["intervals"].size() == 24);
  CHECK_FALSE(infeasible.contains("simulated"));
  CHECK(r.err.find("needs 36 but no shift template works it") != std::string::npos);
  fs::remove(bad);
  fs::remove(narrow);
  CHECK(cxsim("staff scenarios/default.toml --method guess").code == 2);
  CHECK(cxsim("staff scenarios/default.toml --shrinkage 1").code == 2);
  CHECK(cxsim("staff scenarios/default.toml --target-sl 1").code == 2);
  CHECK(cxsim("staff no/such/file.toml").code == 2);
  r = cxsim("staff scenarios/default.toml --shifts no/such/shifts.toml");
  CHECK(r.code == 2);
  CHECK(r.err.find("no/such/shifts.toml: cannot read the shift file") != std::string::npos);
}

TEST_CASE("cli: every shipped scenario validates and runs") {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(sourcePath("scenarios"))) {
    const std::string p = e.path().string();
    if (e.path().extension() == ".toml" && p.find("/roleplay/") == std::string::npos &&
        p.find("/shifts/") == std::string::npos)  // shift files: see the staff tests
      files.push_back(fs::relative(e.path(), CX_SOURCE_DIR).string());
  }
  REQUIRE(files.size() >= 3);
  for (const std::string& f : files) {
    INFO(f);
    const Result v = cxsim("validate " + f);
    CHECK(v.code == 0);
    const Result r = cxsim("run " + f + " --reps 2 --json -");
    CHECK(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["overall"]["offered"]["mean"].get<double>() > 0);
  }
}

TEST_CASE("cli: every broken scenario exits with code 2 and prints its expected errors") {
  // The same table test_scenario.cpp checks through the library, now through the binary:
  // each "# expect: L:C: key: message" line must appear in stderr after "FILE:".
  int files = 0;
  for (const auto& e : fs::directory_iterator(sourcePath("tests/bad_scenarios"))) {
    if (e.path().extension() != ".toml") continue;
    ++files;
    const std::string rel = fs::relative(e.path(), CX_SOURCE_DIR).string();
    INFO(rel);
    const Result r = cxsim("run " + rel);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    std::ifstream in(e.path());
    std::string line;
    int expectations = 0;
    while (std::getline(in, line) && line.rfind("#", 0) == 0) {
      const std::string tag = "# expect: ";
      if (line.rfind(tag, 0) != 0) continue;
      ++expectations;
      const std::string expect = line.substr(tag.size());
      // Location and key must match exactly; the message may be followed by more detail.
      CHECK_MESSAGE(r.err.find("error: " + rel + ":" + expect) != std::string::npos,
                    "missing: " << expect << "\nstderr:\n"
                                << r.err);
    }
    CHECK(expectations >= 1);
  }
  CHECK(files >= 15);
}

TEST_CASE("cli: --set overrides scenario values on run and validate") {
  const Result r = cxsim(
      "run scenarios/validation/erlang_a.toml --reps 2 --json - --set channels.phone.agents=50 "
      "--set scenario.horizon_hours=5 --set 'scenario.name=Fifty agents'");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["overall"]["agents_mean"]["mean"].get<double>() == doctest::Approx(50.0));
  CHECK(j["scenario"]["horizon_hours"] == 5.0);
  CHECK(j["scenario"]["name"] == "Fifty agents");
  const Result v = cxsim("validate scenarios/default.toml --set channels[1].agents=4");
  CHECK(v.code == 0);
  CHECK(v.out.find("default.toml: ok") != std::string::npos);
}

TEST_CASE("cli: a bad --set exits with code 2 and names the override") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"channels.fax.agents=3", "no channel with id 'fax'"},
      {"channels.phone.agents=-1", "expected a non-negative number of agents"},
      {"channels.phone.agnets=4", "unknown key"},
      {"scenario.horizon_hours=abc", "expected a number, got string \"abc\""},
      {"noequals", "expected KEY=VALUE"},
      {"channels[7].agents=1", "channels has 1 entry"},
  };
  for (const auto& [set, message] : cases) {
    INFO(set);
    for (const std::string command : {"run", "validate"}) {
      const Result r = cxsim(command + " scenarios/validation/erlang_a.toml --set '" + set + "'");
      CHECK(r.code == 2);
      CHECK(r.out.empty());
      CHECK(r.err.find("error: --set " + set + ": ") != std::string::npos);
      CHECK(r.err.find(message) != std::string::npos);
    }
  }
  CHECK(cxsim("run scenarios/validation/erlang_a.toml --set").code == 2);  // no value
}

TEST_CASE("cli: compare writes per-metric a, b, diff, ci95 and verdict, whatever the threads") {
  const std::string args =
      "compare scenarios/validation/erlang_a.toml scenarios/validation/erlang_a.toml --reps 4 "
      "--set scenario.horizon_hours=4 --set-b channels.phone.agents=47 --json - --threads ";
  const Result one = cxsim(args + "1");
  const Result two = cxsim(args + "2");
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);
  const auto j = nlohmann::json::parse(one.out);
  CHECK(j["streams"] == "common");
  CHECK(j["reps"] == 4);
  for (const auto& m : cx::allMetrics()) {
    INFO(m.name);
    for (const char* field : {"a", "b", "diff", "ci95", "verdict"}) {
      CHECK(j["overall"][m.name].contains(field));
      CHECK(j["channels"]["phone"][m.name].contains(field));
    }
  }
  CHECK(j["overall"]["offered"]["diff"] == 0.0);  // same arrivals on both sides
  CHECK(j["overall"]["agents_mean"]["diff"].get<double>() == doctest::Approx(2.0));
  CHECK(j["overall"]["service_level"]["verdict"] == "better");
  CHECK(j["overall"]["asa_s"]["verdict"] == "better");

  const Result ind = cxsim(args + "2 --independent");
  REQUIRE(ind.code == 0);
  const auto k = nlohmann::json::parse(ind.out);
  CHECK(k["streams"] == "independent");
  CHECK(k["overall"]["offered"]["diff"] != 0.0);

  const Result text = cxsim(
      "compare scenarios/validation/erlang_a.toml scenarios/validation/erlang_a.toml --reps 3 "
      "--set scenario.horizon_hours=2");
  CHECK(text.code == 0);
  CHECK(text.out.find("common random numbers") != std::string::npos);
  CHECK(text.out.find("no significant difference") != std::string::npos);
}

TEST_CASE("cli: compare rejects bad input with code 2") {
  const std::string a = "scenarios/validation/erlang_a.toml";
  CHECK(cxsim("compare " + a).code == 2);
  CHECK(cxsim("compare " + a + " no/such.toml").code == 2);
  CHECK(cxsim("compare " + a + " " + a + " --reps 1").code == 2);
  const Result r = cxsim("compare " + a + " " + a + " --set-b channels.fax.agents=1");
  CHECK(r.code == 2);
  CHECK(r.err.find("--set channels.fax.agents=1: no channel with id 'fax'") != std::string::npos);
  const Result reps = cxsim("compare " + a + " " + a + " --set scenario.replications=1");
  CHECK(reps.code == 2);
  CHECK(reps.err.find("at least 2 replications") != std::string::npos);
}

TEST_CASE("cli: sweep writes a CSV header and one line per point, whatever the threads") {
  const fs::path dir = fs::temp_directory_path() / ("cxsim_sweep_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string args =
      "sweep scenarios/default.toml --set scenario.days=1 --reps 3 "
      "--vary channels.phone.agents=20:24:2 --vary channels.chat.agents=6:7:1 "
      "--frontier agents_mean:min,service_level --quiet --threads ";
  const Result one = cxsim(args + "1 --csv '" + (dir / "one.csv").string() + "'");
  const Result two = cxsim(args + "2 --csv '" + (dir / "two.csv").string() + "'");
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out.empty());
  const std::string csv = slurp(dir / "one.csv");
  CHECK(csv == slurp(dir / "two.csv"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 3 * 2);
  CHECK(csv.rfind("channels.phone.agents,channels.chat.agents,offered,offered_ci95,", 0) == 0);
  CHECK(csv.find("\n20,6,") != std::string::npos);
  CHECK(csv.find("\n24,7,") != std::string::npos);
  fs::remove_all(dir);

  const Result j = cxsim(
      "sweep scenarios/validation/erlang_a.toml --set scenario.horizon_hours=2 --reps 2 "
      "--vary channels.phone.agents=40:50 --lhs 4 --json -");
  REQUIRE(j.code == 0);
  const auto json = nlohmann::json::parse(j.out);
  CHECK(json["design"] == "lhs");
  CHECK(json["points"].size() == 4);
  CHECK(json["points"][0]["values"]["channels.phone.agents"].is_number_integer());
}

TEST_CASE("cli: --report writes a self-contained HTML file for run, sweep and compare") {
  const fs::path dir = fs::temp_directory_path() / ("cxsim_report_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string quick = " --set scenario.days=1 --reps 2 --quiet";
  const Result run = cxsim("run scenarios/default.toml" + quick + " --report '" +
                           (dir / "run.html").string() + "'");
  const Result sweep = cxsim("sweep scenarios/default.toml --vary channels.chat.agents=6:8:2" +
                             quick + " --frontier agents_mean:min,service_level --report '" +
                             (dir / "sweep.html").string() + "'");
  const Result compare = cxsim(
      "compare scenarios/default.toml scenarios/default.toml --set scenario.days=1 --reps 2 "
      "--set-b channels.chat.agents=8 --report '" +
      (dir / "compare.html").string() + "'");
  CHECK(run.code == 0);
  CHECK(sweep.code == 0);
  CHECK(compare.code == 0);
  for (const char* name : {"run.html", "sweep.html", "compare.html"}) {
    INFO(name);
    const std::string html = slurp(dir / name);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("http") == std::string::npos);
    CHECK(html.find("Service centre: a working week") != std::string::npos);
  }
  const Result bad = cxsim("run scenarios/default.toml" + quick + " --report /nonexistent/r.html");
  CHECK(bad.code != 0);
  CHECK(bad.err.find("/nonexistent/r.html") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("cli: sweep rejects a bad key or range with code 2") {
  const std::string base = "sweep scenarios/validation/erlang_a.toml --reps 2 ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--vary channels.phone.agnets=1:2:1", "unknown key"},
      {"--vary channels.phone.agents=40:50:0.5", "whole number"},
      {"--vary channels.phone.agents=50:40:1", "below LO"},
      {"--vary channels.phone.agents=40:50", "a grid needs a step"},
      {"--vary channels.phone.agents=40:50:1 --lhs 4", "leave out the step"},
      {"--vary channels.phone.agents=40:41:1 --frontier occupancy,asa_s", "occupancy:min"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args);
    const Result r = cxsim(base + args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(message) != std::string::npos);
  }
  CHECK(cxsim(base).code == 2);  // --vary is required
}

TEST_CASE("cli: Ctrl-C stops a sweep cleanly and keeps the completed rows") {
  const fs::path dir = fs::temp_directory_path() / ("cxsim_sigint_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string sweep =
      "'" + std::string(CXSIM_EXE) +
      "' sweep scenarios/validation/erlang_a.toml --set scenario.horizon_hours=20 --reps 4 "
      "--threads 2 --vary channels.phone.agents=";
  // 4,000 points would take minutes. Ctrl-C once the first progress line is on stderr (in a
  // log it comes after 5 s, and only once a point is done), so the timing cannot decide
  // the outcome: points are always kept, and the sweep is always far from done.
  const std::string err = (dir / "err").string();
  const std::string cmd =
      "cd '" + std::string(CX_SOURCE_DIR) + "' && (" + sweep + "40:4039:1 --csv '" +
      (dir / "cut.csv").string() + "' > /dev/null 2> '" + err + "' & pid=$!; n=0; " +
      "while [ $n -lt 600 ] && kill -0 $pid 2>/dev/null && ! grep -q '^progress:' '" + err +
      "'; do sleep 0.1; n=$((n+1)); done; kill -INT $pid 2>/dev/null; n=0; " +
      "while [ $n -lt 300 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; n=$((n+1)); done; " +
      "kill -KILL $pid 2>/dev/null; wait $pid; echo $? > '" + (dir / "code").string() + "')";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(std::stoi(slurp(dir / "code")) == 130);
  CHECK(slurp(dir / "err").find("progress: ") != std::string::npos);
  CHECK(slurp(dir / "err").find("interrupted: writing the ") != std::string::npos);
  const std::string cut = slurp(dir / "cut.csv");
  const long rows = std::count(cut.begin(), cut.end(), '\n') - 1;
  INFO(rows << " rows kept");
  REQUIRE(rows >= 1);
  CHECK(rows < 4000);
  // The kept rows start as a shorter sweep over the same points (the first 20 checked here;
  // test_sweep.cpp checks every kept row of a sweep cancelled at a known point).
  const long head = std::min(rows, 20L);
  const Result full = cxsim(sweep.substr(sweep.find("' ") + 2) +
                            "40:" + std::to_string(40 + head - 1) + ":1 --quiet --csv -");
  REQUIRE(full.code == 0);
  CHECK(cut.substr(0, full.out.size()) == full.out);
  fs::remove_all(dir);
}

TEST_CASE("cli: optimize reports the best feasible point, and rejects bad input with code 2") {
  const std::string base =
      "optimize scenarios/validation/erlang_a.toml --set scenario.horizon_hours=10 --reps 4 ";
  const Result r = cxsim(base +
                         "--minimize agents_mean --subject-to 'service_level>=0.8' "
                         "--vary channels.phone.agents=40:46:2 --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["objective"]["direction"] == "minimize");
  CHECK(j["points"].size() == 4);
  REQUIRE(j["best"].is_object());
  CHECK(j["best"]["values"]["channels.phone.agents"].get<int>() >= 42);
  CHECK(j["best"]["joint_confidence"].get<double>() >= 0.95);
  const Result none = cxsim(base +
                            "--minimize agents_mean --subject-to 'service_level>=0.999' "
                            "--vary channels.phone.agents=40:41:1");
  CHECK(none.code == 0);
  CHECK(none.out.find("No point meets every constraint") != std::string::npos);

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--subject-to 'service_level>=0.8' --vary channels.phone.agents=40:41:1",
       "--minimize METRIC or --maximize METRIC"},
      {"--minimize cost --subject-to 'service_level>=0.8' --vary channels.phone.agents=40:41:1",
       "no metric 'cost'"},
      {"--minimize agents_mean --subject-to 'service_level=0.8' --vary "
       "channels.phone.agents=40:41:1",
       "METRIC>=VALUE"},
      {"--minimize agents_mean --subject-to 'service_level>=0.8' --vary "
       "channels.phone.agnets=1:2:1",
       "unknown key"},
  };
  for (const auto& [args, message] : bad) {
    INFO(args);
    const Result b = cxsim(base + args);
    CHECK(b.code == 2);
    CHECK(b.err.find(message) != std::string::npos);
  }
}

TEST_CASE("cli: roleplay journeys lists hard cases; play --journey starts from one") {
  const std::string scenario = " scenarios/examples/shared_context.toml --seed 5";
  const Result list = cxsim("roleplay journeys" + scenario + " --top 2");
  REQUIRE(list.code == 0);
  CHECK(list.out.find("unresolved cases in replication 0") != std::string::npos);
  const auto at = list.out.find("\ncase ");
  REQUIRE(at != std::string::npos);
  const std::string id = list.out.substr(at + 6, list.out.find(' ', at + 6) - at - 6);
  const fs::path data =
      fs::temp_directory_path() / ("cxsim_journey_rec_" + std::to_string(getpid()));
  fs::remove_all(data);
  const Result play =
      cxsim("roleplay play scenarios/roleplay/chat_then_call.toml --data '" + data.string() +
            "' --choices 1,1,1,1 --times 5,5,5,5 --journey" + scenario + " --case " + id);
  CHECK(play.code == 0);
  // The record says which simulated customer it was.
  const auto record = nlohmann::json::parse(slurp(data / "sessions.jsonl"));
  CHECK(record["journey"]["scenario"] == "scenarios/examples/shared_context.toml");
  CHECK(record["journey"]["seed"] == 5);
  CHECK(record["journey"]["case"].get<std::uint64_t>() == std::stoull(id));
  fs::remove_all(data);
  CHECK(play.out.find("Customer from case " + id + " of") != std::string::npos);
  CHECK(play.out.find("Their contacts so far") != std::string::npos);
  const Result bad = cxsim(
      "roleplay play scenarios/roleplay/chat_then_call.toml --no-record --choices 1 --times 5 "
      "--journey" +
      scenario + " --case 999999999");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--case 999999999: not an unresolved case") != std::string::npos);
}

TEST_CASE("cli: staff plans agent groups by simulation, rosters them and takes --set") {
  const fs::path dir =
      fs::temp_directory_path() / ("cxsim_staff_groups_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::string base =
      "staff scenarios/examples/skills_routing.toml --method simulation --reps 4 "
      "--shifts scenarios/shifts/skills_routing.toml";
  const Result r = cxsim(base + " --csv '" + dir.string() + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Agent group blended (serving phone, chat;") != std::string::npos);
  CHECK(r.out.find("Agents per group (on the phones / rostered)") != std::string::npos);
  CHECK(r.out.find("blended day               1   09:00  blended") != std::string::npos);
  const std::string groups = slurp(dir / "groups.csv");
  CHECK(groups.rfind("interval,start,group,per_hour,", 0) == 0);
  CHECK(std::count(groups.begin(), groups.end(), '\n') == 1 + 3 * 8);
  CHECK(slurp(dir / "roster.csv").rfind("shift,day,start,group,count,cost\n", 0) == 0);
  fs::remove_all(dir);

  // JSON: the groups' requirements, coverage per group at least their requirement, and every
  // channel simulated at its target with the roster.
  const Result j = cxsim(base + " --json -");
  REQUIRE(j.code == 0);
  const auto js = nlohmann::json::parse(j.out);
  for (const char* g : {"phone_team", "chat_team", "blended"})
    for (int k = 0; k < 8; ++k)
      CHECK(js["roster"]["coverage"][g][k].get<int>() >=
            js["groups"][g]["intervals"][k]["required"].get<double>() - 1e-9);
  CHECK(js["roster"]["shifts"][0].contains("group"));
  for (const auto& ch : js["simulated"]["channels"].items()) {
    CAPTURE(ch.key());
    CHECK(ch.value()["service_level"]["mean"].get<double>() >= 0.8);
  }

  // --set changes the scenario before planning: twice the phone calls need more agents.
  const Result more = cxsim(
      "staff scenarios/examples/skills_routing.toml --json - --set "
      "channels.phone.arrivals.per_hour=480");
  REQUIRE(more.code == 0);
  const auto m = nlohmann::json::parse(more.out);
  CHECK(m["groups"]["phone_team"]["intervals"][0]["agents"].get<int>() >
        js["groups"]["phone_team"]["intervals"][0]["agents"].get<int>());
  const Result bad = cxsim("staff scenarios/examples/skills_routing.toml --set channels.fax=1");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("channels.fax") != std::string::npos);
}

TEST_CASE("cli: staff takes the shrinkage of the scenario's [costs] unless --shrinkage is given") {
  // The default scenario's [costs] has shrinkage 0.27.
  Result r = cxsim("staff scenarios/default.toml --reps 2 --json -");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["shrinkage"] == 0.27);
  CHECK(j["shrinkage_source"] == "scenario");
  const auto& iv = j["requirements"]["phone"]["intervals"][0];
  CHECK(iv["required"].get<double>() == doctest::Approx(iv["seated"].get<double>() / 0.73));
  r = cxsim("staff scenarios/default.toml --reps 2");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("· shrinkage 27% (the scenario's [costs])") != std::string::npos);
  // The command line overrides it, 0 included; --set changes the scenario's.
  r = cxsim("staff scenarios/default.toml --reps 2 --shrinkage 0 --json -");
  REQUIRE(r.code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["shrinkage"] == 0.0);
  CHECK(j["shrinkage_source"] == "option");
  CHECK(j["requirements"]["phone"]["intervals"][0]["required"] ==
        j["requirements"]["phone"]["intervals"][0]["seated"]);
  r = cxsim("staff scenarios/default.toml --reps 2 --shrinkage 0.1");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("· shrinkage 10% (--shrinkage)") != std::string::npos);
  r = cxsim("staff scenarios/default.toml --reps 2 --set costs.shrinkage=0.35 --json -");
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["shrinkage"] == 0.35);
  // Without [costs]: none.
  r = cxsim("staff scenarios/validation/erlang_a.toml --reps 2");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("· shrinkage 0% (the scenario has no [costs])") != std::string::npos);
}

TEST_CASE("cli: staff --method simulation says in JSON how many iterations and if it converged") {
  const Result r = cxsim(
      "staff scenarios/validation/erlang_a.toml --method simulation --reps 4 "
      "--json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["iterations"].is_number_integer());
  REQUIRE(j["converged"].is_boolean());
  CHECK(j["iterations"].get<int>() >= 1);
  CHECK(j["converged"] == true);
  CHECK(j["changes_per_iteration"].size() == j["iterations"].get<std::size_t>());
  CHECK(j["changes_per_iteration"].back() == 0);  // converged: the last one changed nothing
  CHECK(j["note"].get<std::string>().rfind("converged after ", 0) == 0);
  // The Erlang method has neither.
  const Result e = cxsim("staff scenarios/validation/erlang_a.toml --reps 2 --json -");
  REQUIRE(e.code == 0);
  CHECK_FALSE(nlohmann::json::parse(e.out).contains("iterations"));
}

TEST_CASE("cli: staff plans the agent groups that take only transfers") {
  // Software support: tier 1 passes bug reports and API questions to specialists, who serve no
  // channel of their own. By simulation the search settles (tier 1 does not grow without
  // bound, as it did while the specialists were planned at zero and transfers were never
  // answered) and the specialists are staffed in every hour.
  const Result r =
      cxsim("staff scenarios/software_support_email.toml --method simulation --reps 4 --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["converged"] == true);
  REQUIRE(j["transfers"].contains("specialists"));
  CHECK(j["transfers"]["specialists"]["threshold_s"] == 60.0);  // chat's, the tightest
  for (int k = 0; k < 10; ++k) {
    CAPTURE(k);
    const auto& sp = j["groups"]["specialists"]["intervals"][k];
    CHECK(sp["on_phone"].get<int>() > 0);
    CHECK(j["transfers"]["specialists"]["intervals"][k]["service_level"].get<double>() >= 0.8);
    CHECK(j["groups"]["tier1"]["intervals"][k]["on_phone"].get<int>() < 40);
  }
  // What the plan buys: the transfers are answered (an unanswered one counts as abandoned on
  // its channel, and email has no patience).
  CHECK(j["simulated"]["channels"]["email"]["abandon_rate"]["mean"].get<double>() < 0.01);
  CHECK(j["simulated"]["groups"]["specialists"]["answered"]["mean"].get<double>() > 1000);

  // The Erlang method plans the fraud team of the bank from the calls and chats passed to it.
  const Result b = cxsim("staff scenarios/bank_chat_ai_first.toml --reps 2");
  REQUIRE(b.code == 0);
  CHECK(b.out.find("Requirements — transfers to fraud_team (Erlang C, on hold, from phone, chat; "
                   "target of phone: 80% in 20 s)") != std::string::npos);
  CHECK(b.out.find("Agent group fraud_team (taking transfers;") != std::string::npos);
  const Result bj = cxsim("staff scenarios/bank_chat_ai_first.toml --reps 2 --json -");
  REQUIRE(bj.code == 0);
  const auto bank = nlohmann::json::parse(bj.out);
  for (const auto& iv : bank["groups"]["fraud_team"]["intervals"])
    CHECK(iv["on_phone"].get<int>() > 0);
}

TEST_CASE("cli: staff staffs and flags intervals without a forecast that customers come back to") {
  // The telecom outage line has no forecast after 17:00, but unresolved outage callers come back.
  const std::string cmd = "staff scenarios/telecom_outage.toml --method simulation --reps 4";
  const Result r = cxsim(cmd);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("no forecast at 18:00") != std::string::npos);
  CHECK(r.out.find("but contacts arrived there in the simulation (returning customers; up to") !=
        std::string::npos);
  const Result jr = cxsim(cmd + " --json -");
  REQUIRE(jr.code == 0);
  const auto j = nlohmann::json::parse(jr.out);
  const auto& at18 = j["requirements"]["outage"]["intervals"][10];
  REQUIRE(at18["start"] == "18:00");
  CHECK(at18["per_hour"] == 0.0);
  CHECK(at18["offered_per_hour"].get<double>() > 0.0);
  CHECK(at18["on_phone"].get<int>() >= 1);
  CHECK(at18["service_level"].get<double>() >= 0.8);
  // Erlang: nothing measured, nothing flagged.
  const Result e = cxsim("staff scenarios/telecom_outage.toml --reps 2");
  REQUIRE(e.code == 0);
  CHECK(e.out.find("no forecast at") == std::string::npos);
}
