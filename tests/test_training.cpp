// The training link (sim/training.hpp, `cxsim roleplay link`): role-play scores averaged per
// team, mapped onto an agent group's empathy, professionalism and FCR, and the simulated
// effect on the same seed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/experiment.hpp"
#include "sim/training.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace cx;
using cx::test::cxsim;

namespace {

constexpr std::size_t kEmpathy = static_cast<std::size_t>(Dimension::Empathy);
constexpr std::size_t kProf = static_cast<std::size_t>(Dimension::Professionalism);
constexpr std::size_t kOwnership = static_cast<std::size_t>(Dimension::Ownership);
constexpr std::size_t kListening = static_cast<std::size_t>(Dimension::Listening);

SessionRecord session(const std::string& trainee, const std::string& date, double empathy,
                      std::optional<double> ownership = std::nullopt) {
  SessionRecord r;
  r.trainee = trainee;
  r.script = "broken_item";
  r.title = "Broken item on delivery";
  r.level = "easy";
  r.date = date;
  r.scores[kEmpathy] = empathy;
  r.scores[kProf] = 60.0;
  r.scores[kOwnership] = ownership;
  r.ending = "reached";
  return r;
}

// A team on the phones with every reason it can have; [outcomes] on a base of a million.
constexpr const char* kScenario = R"(
[scenario]
name = "Training link test"
days = 1
open = "09:00"
interval_minutes = 60
seed = 3
replications = 6

[[channels]]
id = "phone"
kind = "voice"
arrivals = { per_hour = [200, 200, 200, 200] }
handle_time = { dist = "lognormal", mean_s = 300, cv = 1.1 }
patience = { dist = "exponential", mean_s = 380 }
service_level = { threshold_s = 20, target = 0.8 }

[[intents]]
id = "fault"
complexity = "complex"
fcr = 0.6
share = { phone = 0.5 }

[[intents]]
id = "complaint"
complexity = "emotional"
fcr = 0.6
share = { phone = 0.5 }

[[agent_groups]]
id = "team"
channels = ["phone"]
agents = 20

[outcomes]
customers = 1000000
)";

fs::path writeScenario(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path file = dir / "link.toml";
  std::ofstream(file) << kScenario;
  return file;
}

}  // namespace

TEST_CASE("training: a team's score is the mean over trainees of each trainee's mean") {
  const std::vector<SessionRecord> records = {
      session("ana", "2026-10-20T10:00:00Z", 40.0),  // before --since below
      session("ana", "2026-11-02T10:00:00Z", 90.0, 80.0),
      session("ana", "2026-11-03T10:00:00Z", 70.0),  // ownership not scored here
      session("ben", "2026-11-05T10:00:00Z", 50.0, 60.0),
  };
  const TeamScores all = teamScores(records, {}, "");
  CHECK(all.sessions == 4);
  CHECK(all.trainees == std::vector<std::string>{"ana", "ben"});
  // ana (40 + 90 + 70) / 3 = 66.67, ben 50: the team 58.33, not the session mean 62.5.
  CHECK(*all.mean[kEmpathy] == doctest::Approx((200.0 / 3 + 50.0) / 2));
  CHECK(*all.mean[kOwnership] == doctest::Approx(70.0));  // ana 80 (one session), ben 60
  CHECK_FALSE(all.mean[kListening].has_value());

  const TeamScores recent = teamScores(records, {}, "2026-11-01");
  CHECK(recent.sessions == 3);
  CHECK(*recent.mean[kEmpathy] == doctest::Approx((80.0 + 50.0) / 2));

  const TeamScores ben = teamScores(records, {"ben", "nobody"}, "");
  CHECK(ben.trainees == std::vector<std::string>{"ben"});
  CHECK(*ben.mean[kEmpathy] == doctest::Approx(50.0));
  CHECK(teamScores(records, {"nobody"}, "").sessions == 0);
}

TEST_CASE("training: scores map onto the group, ownership around the typical agent's 70") {
  const Calibration c;  // in-code defaults, equal to data/calibration.toml
  REQUIRE(c.satisfaction.reference_agent == doctest::Approx(0.7));
  const GroupSkills current{0.5, 0.6, 0.02};
  Scores s;
  s[kEmpathy] = 81.25;
  s[kOwnership] = 80.0;
  GroupSkills g = skillsFromScores(s, current, c);
  CHECK(g.empathy == 0.813);                     // rounded to 0.001, as printed
  CHECK(g.professionalism == 0.6);               // not scored: the group's own
  CHECK(g.fcr_uplift == doctest::Approx(0.04));  // 0.004 x (80 - 70)
  s[kOwnership] = 40.0;
  CHECK(skillsFromScores(s, current, c).fcr_uplift == doctest::Approx(-0.12));
  // A steeper calibration moves FCR more; the uplift stays within [-1, 1].
  Calibration steep;
  steep.training.fcr_per_ownership_point = 0.01;
  s[kOwnership] = 0.0;
  CHECK(skillsFromScores(s, current, steep).fcr_uplift == doctest::Approx(-0.7));

  // The inverse, and points added within 0-100.
  const Scores back = scoresOfSkills({0.813, 0.6, 0.04}, c);
  CHECK(*back[kEmpathy] == doctest::Approx(81.3));
  CHECK(*back[kOwnership] == doctest::Approx(80.0));
  std::array<double, kDimensions> plus{};
  plus[kEmpathy] = 30.0;
  plus[kListening] = 5.0;
  const Scores more = addPoints(back, plus);
  CHECK(*more[kEmpathy] == 100.0);
  CHECK_FALSE(more[kListening].has_value());

  CHECK(skillOverrides("tier1", {0.813, 0.6, -0.12}) ==
        std::vector<std::string>{"agent_groups.tier1.empathy=0.813",
                                 "agent_groups.tier1.professionalism=0.6",
                                 "agent_groups.tier1.fcr_uplift=-0.12"});
}

TEST_CASE("training: the printed overrides load as exactly the skills the link computed") {
  const fs::path dir = fs::temp_directory_path() / ("cx_training_" + std::to_string(getpid()));
  const fs::path file = writeScenario(dir);
  Scores s;
  s[kEmpathy] = 77.77;
  s[kProf] = 64.44;
  s[kOwnership] = 73.33;
  const GroupSkills g = skillsFromScores(s, {}, Calibration{});
  const Scenario loaded = loadScenario(file, skillOverrides("team", g));
  CHECK(loaded.agent_groups[0].empathy == g.empathy);
  CHECK(loaded.agent_groups[0].professionalism == g.professionalism);
  CHECK(loaded.agent_groups[0].fcr_uplift == g.fcr_uplift);
  fs::remove_all(dir);
}

TEST_CASE("training: on the same seed, more empathy raises CSAT; more ownership, FCR and churn") {
  const fs::path dir = fs::temp_directory_path() / ("cx_training_sim_" + std::to_string(getpid()));
  const fs::path file = writeScenario(dir);
  ExperimentOptions opt;
  opt.seed = 3;
  opt.replications = 4;
  auto run = [&](const GroupSkills& g) {
    return runExperiment(loadScenario(file, skillOverrides("team", g)), opt);
  };
  const ExperimentResult typical = run({0.7, 0.7, 0.0});
  const ExperimentResult empathic = run({0.8, 0.7, 0.0});
  const ExperimentResult owning = run({0.7, 0.7, 0.04});
  using cx::test::value;
  CHECK(value(empathic.overall, Metric::Csat) > value(typical.overall, Metric::Csat));
  CHECK(value(empathic.overall, Metric::CsatService) ==
        doctest::Approx(value(typical.overall, Metric::CsatService)));
  // Empathy is care: churn follows resolution and effort, so it does not move.
  CHECK(value(empathic.overall, Metric::Churned) ==
        doctest::Approx(value(typical.overall, Metric::Churned)));
  // +10 ownership points = +0.04 FCR: on common random numbers FCR rises by about that.
  const double fcr_gain = value(owning.overall, Metric::Fcr) - value(typical.overall, Metric::Fcr);
  CHECK(fcr_gain == doctest::Approx(0.04).epsilon(0.25));
  CHECK(value(owning.overall, Metric::Churned) < value(typical.overall, Metric::Churned));
  CHECK(value(owning.overall, Metric::Csat) > value(typical.overall, Metric::Csat));
  fs::remove_all(dir);
}

TEST_CASE("training: cxsim roleplay link compares the file with the team, and what-ifs") {
  const fs::path dir = fs::temp_directory_path() / ("cx_training_cli_" + std::to_string(getpid()));
  const fs::path file = writeScenario(dir);
  const fs::path data = dir / "records";
  appendRecord(data, session("ana", "2026-11-02T10:00:00Z", 90.0, 90.0));
  appendRecord(data, session("ben", "2026-11-05T10:00:00Z", 80.0, 80.0));
  const std::string common =
      " '" + file.string() + "' --group team --data '" + data.string() + "' --reps 4";

  auto r = cxsim("roleplay link" + common + " --json -");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["group"] == "team");
  CHECK(j["a"]["skills"]["empathy"] == 0.7);
  CHECK(j["b"]["skills"]["empathy"] == 0.85);
  CHECK(j["b"]["skills"]["professionalism"] == 0.6);
  CHECK(j["b"]["skills"]["fcr_uplift"] == doctest::Approx(0.06));
  CHECK(j["overall"]["csat"]["diff"].get<double>() > 0.0);
  CHECK(j["overall"]["fcr"]["verdict"] == "better");
  CHECK(j["overall"]["churned"]["verdict"] == "better");

  // Text: who, the scores, the settings, the equivalent compare command, the table.
  r = cxsim("roleplay link" + common);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Team: ana, ben (2 sessions)") != std::string::npos);
  CHECK(r.out.find("--set-b agent_groups.team.empathy=0.85") != std::string::npos);
  CHECK(r.out.find("CSAT") != std::string::npos);

  // What +10 empathy points would add to this team: A is the team, B the team + 10.
  r = cxsim("roleplay link" + common + " --add empathy=10 --json -");
  REQUIRE(r.code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["a"]["skills"]["empathy"] == 0.85);
  CHECK(j["b"]["skills"]["empathy"] == 0.95);
  CHECK(j["b"]["skills"]["fcr_uplift"] == j["a"]["skills"]["fcr_uplift"]);
  CHECK(j["overall"]["csat"]["verdict"] == "better");

  // Without records: the file's group plus points.
  r = cxsim("roleplay link '" + file.string() +
            "' --group team --from file --add ownership=-10 --reps 4 --json -");
  REQUIRE(r.code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["b"]["skills"]["fcr_uplift"] == doctest::Approx(-0.04));
  CHECK(j["overall"]["fcr"]["verdict"] == "worse");

  // Mistakes: exit 2, saying what was expected.
  r = cxsim("roleplay link" + common + " --add patience=10");
  CHECK(r.code == 2);
  CHECK(r.err.find("expected empathy, professionalism or ownership") != std::string::npos);
  r = cxsim("roleplay link" + common + " --add empathy=lots");
  CHECK(r.code == 2);
  CHECK(r.err.find("expected a number of rubric points") != std::string::npos);
  r = cxsim("roleplay link '" + file.string() + "' --group tier9 --data '" + data.string() + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find("no agent group with that id (groups: team)") != std::string::npos);
  r = cxsim("roleplay link" + common + " --since 2026-12-01");
  CHECK(r.code == 2);
  CHECK(r.err.find("no sessions since 2026-12-01") != std::string::npos);
  r = cxsim("roleplay link" + common + " --since yesterday");
  CHECK(r.code == 2);
  CHECK(r.err.find("expected a date YYYY-MM-DD") != std::string::npos);
  r = cxsim("roleplay link scenarios/examples/skills_routing.toml --group blended");
  CHECK(r.code == 2);
  CHECK(r.err.find("no [outcomes] table") != std::string::npos);
  fs::remove_all(dir);
}
