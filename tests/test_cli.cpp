// The cxsim command line, run as a user would: exit codes, the JSON and CSV it writes, its
// error messages, and every shipped scenario through `run`.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/metrics.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using cx::test::sourcePath;

namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `cxsim ARGS` from the source folder with no terminal; captures both streams.
Result cxsim(const std::string& args) {
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() / ("cxsim_cli_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / ("out" + std::to_string(counter));
  const fs::path err = dir / ("err" + std::to_string(counter++));
  const std::string cmd = "cd '" + std::string(CX_SOURCE_DIR) + "' && '" + CXSIM_EXE + "' " + args +
                          " > '" + out.string() + "' 2> '" + err.string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

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

TEST_CASE("cli: every shipped scenario validates and runs") {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(sourcePath("scenarios"))) {
    const std::string p = e.path().string();
    if (e.path().extension() == ".toml" && p.find("/roleplay/") == std::string::npos)
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
