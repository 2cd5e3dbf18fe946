// cxsim roleplay link: what a team's role-play scores are worth in the simulation
// (docs/ROLEPLAY.md "What training is worth"; the mapping is sim/training.hpp).
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sim/calibration.hpp"
#include "sim/compare.hpp"
#include "sim/training.hpp"

namespace cx::cli {

namespace {

struct LinkOptions {
  std::string scenario, group, data, since, from = "records", json;
  std::vector<std::string> trainees, add, set;
  std::optional<int> reps;
  std::optional<std::uint64_t> seed;
  int threads = 0;
};

// "empathy=10" -> +10 points on empathy. Only the dimensions the simulation reads.
bool parseAdd(const std::vector<std::string>& items, std::array<double, kDimensions>& points) {
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    const auto d = dimensionFromString(item.substr(0, eq));
    double value = 0.0;
    std::size_t used = 0;
    bool number = false;
    if (eq != std::string::npos) {
      try {
        value = std::stod(item.substr(eq + 1), &used);
        number = used == item.size() - eq - 1;
      } catch (const std::exception&) {
      }
    }
    if (!d || std::find(kLinkedDimensions.begin(), kLinkedDimensions.end(), *d) ==
                  kLinkedDimensions.end()) {
      std::cerr << "error: --add " << item
                << ": expected empathy, professionalism or ownership (the dimensions the "
                   "simulation reads), then =POINTS, e.g. empathy=10\n";
      return false;
    }
    if (!number) {
      std::cerr << "error: --add " << item << ": expected a number of rubric points after '=', "
                << "e.g. " << toString(*d) << "=10 or " << toString(*d) << "=-5\n";
      return false;
    }
    points[static_cast<std::size_t>(*d)] += value;
  }
  return true;
}

std::string cell(const std::optional<double>& x) {
  return x ? fmt::format("{:.1f}", *x) : std::string("-");
}

// What A and B are, then their three linked settings side by side.
std::string skillsTable(const std::string& group, const std::string& a_label, const GroupSkills& a,
                        const std::string& b_label, const GroupSkills& b) {
  std::string out = fmt::format("\nA: {}\nB: {}\n", a_label, b_label);
  out += fmt::format("{:<20}{:>10}{:>10}\n", "group " + group, "A", "B");
  out += fmt::format("{:<20}{:>10.3f}{:>10.3f}\n", "  empathy", a.empathy, b.empathy);
  out += fmt::format("{:<20}{:>10.3f}{:>10.3f}\n", "  professionalism", a.professionalism,
                     b.professionalism);
  out += fmt::format("{:<20}{:>+10.4f}{:>+10.4f}\n", "  fcr_uplift", a.fcr_uplift, b.fcr_uplift);
  return out;
}

std::string joinOverrides(const char* flag, const std::vector<std::string>& overrides) {
  std::string out;
  for (const std::string& o : overrides) out += fmt::format(" {} {}", flag, o);
  return out;
}

}  // namespace

Command addRoleplayLink(CLI::App& parent, CLI::App*& sub) {
  auto o = std::make_shared<LinkOptions>();
  sub = parent.add_subcommand(
      "link", "What a team's role-play scores are worth in a scenario: CSAT, churn, revenue");
  sub->add_option("scenario", o->scenario, "Scenario (TOML) with [outcomes] and [[agent_groups]]")
      ->required();
  sub->add_option("--group", o->group, "The agent group the team stands for (its id)")->required();
  sub->add_option("--data", o->data, "Folder of the records (default as for play)");
  sub->add_option("--trainee", o->trainees, "Only these trainees (repeatable; default: all)")
      ->allow_extra_args(false);
  sub->add_option("--since", o->since, "Only sessions on or after this date (YYYY-MM-DD)");
  sub->add_option("--add", o->add,
                  "What-if: DIM=POINTS more on empathy, professionalism or ownership "
                  "(repeatable), e.g. empathy=10")
      ->allow_extra_args(false);
  sub->add_option("--from", o->from,
                  "With --add: start from the team's scores (records, the default) or from "
                  "the group as the file has it (file)")
      ->check(CLI::IsMember({"records", "file"}));
  sub->add_option("--reps", o->reps, "Replications (default: the scenario's)")
      ->check(CLI::Range(2, 1000000));
  sub->add_option("--seed", o->seed, "Random seed, shared by both runs (default: the scenario's)");
  sub->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  sub->add_option("--set", o->set, std::string(kSetHelp) + "; applies to both runs")
      ->allow_extra_args(false);
  sub->add_option("--json", o->json,
                  "Write the comparison as JSON to PATH ('-' = stdout, nothing else printed)");
  return [o]() -> int {
    auto file = loadOrReport(o->scenario, o->set);
    if (!file) return kExitBadInput;
    if (!file->outcomes) {
      std::cerr << "error: " << o->scenario
                << ": no [outcomes] table: the link shows training in CSAT, NPS, churn and "
                   "revenue, which need one (docs/SCENARIO_FORMAT.md, [outcomes])\n";
      return kExitBadInput;
    }
    const auto g = std::find_if(file->agent_groups.begin(), file->agent_groups.end(),
                                [&](const AgentGroupSpec& x) { return x.id == o->group; });
    if (g == file->agent_groups.end()) {
      std::string ids;
      for (const AgentGroupSpec& x : file->agent_groups) ids += (ids.empty() ? "" : ", ") + x.id;
      std::cerr << "error: --group " << o->group << ": "
                << (ids.empty() ? o->scenario +
                                      " has no [[agent_groups]]; the link sets a "
                                      "group's empathy, professionalism and FCR"
                                : "no agent group with that id (groups: " + ids + ")")
                << "\n";
      return kExitBadInput;
    }
    std::array<double, kDimensions> points{};
    if (!parseAdd(o->add, points)) return kExitBadInput;
    const bool what_if = !o->add.empty();
    if (o->from == "file" && !what_if) {
      std::cerr << "error: --from file compares the file with itself; add --add DIM=POINTS\n";
      return kExitBadInput;
    }
    if (!o->since.empty() && periodOf(o->since, Period::Day).empty()) {
      std::cerr << "error: --since " << o->since << ": expected a date YYYY-MM-DD\n";
      return kExitBadInput;
    }
    const Calibration calibration =
        file->outcomes->calibration ? *file->outcomes->calibration : Calibration{};
    const bool quiet = o->json == "-";
    const GroupSkills in_file = skillsOf(*g);

    // A and B: the file's group, the team's scores, and the team's or the file's plus points.
    GroupSkills a = in_file, b = in_file;
    std::string a_label = "the group as the file has it", b_label;
    if (o->from == "records") {
      const auto dir = o->data.empty() ? defaultRoleplayDataDir() : std::filesystem::path(o->data);
      std::vector<std::string> problems;
      const std::vector<SessionRecord> records = readRecords(dir, &problems);
      for (const std::string& p : problems) std::cerr << "warning: skipped " << p << "\n";
      const TeamScores team = teamScores(records, o->trainees, o->since);
      for (const std::string& name : o->trainees)
        if (std::find(team.trainees.begin(), team.trainees.end(), name) == team.trainees.end())
          std::cerr << "warning: --trainee " << name << ": no session"
                    << (o->since.empty() ? "" : " since " + o->since) << " in "
                    << sessionsFile(dir).string() << "\n";
      if (team.sessions == 0) {
        std::cerr << "error: no sessions" << (o->since.empty() ? "" : " since " + o->since)
                  << " in " << sessionsFile(dir).string()
                  << "; play some (cxsim roleplay play), choose --data, or use --from file "
                     "--add DIM=POINTS for a what-if on the file's group\n";
        return kExitBadInput;
      }
      std::string names;
      for (const std::string& n : team.trainees) names += (names.empty() ? "" : ", ") + n;
      if (!quiet) {
        std::cout << fmt::format("Team: {} ({} session{}{}) from {}\n", names, team.sessions,
                                 team.sessions == 1 ? "" : "s",
                                 o->since.empty() ? "" : " since " + o->since,
                                 sessionsFile(dir).string());
        std::cout << "Mean rubric scores (per trainee, then over trainees):\n ";
        for (Dimension d : kAllDimensions)
          std::cout << fmt::format(" {} {}", toString(d),
                                   cell(team.mean[static_cast<std::size_t>(d)]));
        std::cout << "\nRead by the simulation: empathy, professionalism, ownership; the others "
                     "have no counterpart in it.\n";
      }
      const GroupSkills trained = skillsFromScores(team.mean, in_file, calibration);
      if (what_if) {
        a = trained;
        a_label = "the team's scores";
        b = skillsFromScores(addPoints(team.mean, points), in_file, calibration);
      } else {
        b = trained;
        b_label = "the team's scores";
      }
    } else {
      b = skillsFromScores(addPoints(scoresOfSkills(in_file, calibration), points), in_file,
                           calibration);
    }
    if (what_if) {
      for (Dimension d : kLinkedDimensions) {
        const double p = points[static_cast<std::size_t>(d)];
        if (p != 0.0)
          b_label += fmt::format("{}{:+g} {}", b_label.empty() ? "" : ", ", p, toString(d));
      }
      b_label = a_label + ", " + b_label + " points";
    }

    const std::vector<std::string> set_a = skillOverrides(o->group, a);
    const std::vector<std::string> set_b = skillOverrides(o->group, b);
    auto with = [&](const std::vector<std::string>& own) {
      std::vector<std::string> all = o->set;
      all.insert(all.end(), own.begin(), own.end());
      return all;
    };
    auto sa = loadOrReport(o->scenario, with(set_a));
    auto sb = loadOrReport(o->scenario, with(set_b));
    if (!sa || !sb) return kExitBadInput;
    ExperimentOptions opt;
    opt.seed = o->seed.value_or(file->seed);
    opt.replications = o->reps.value_or(std::max(2, file->replications));
    opt.threads = o->threads;
    const Comparison c = compareScenarios(*sa, *sb, opt);
    if (!o->json.empty()) {
      nlohmann::ordered_json j = comparisonToJson(*sa, *sb, c);
      auto skills = [](const GroupSkills& s) {
        return nlohmann::ordered_json{{"empathy", s.empathy},
                                      {"professionalism", s.professionalism},
                                      {"fcr_uplift", s.fcr_uplift}};
      };
      j["group"] = o->group;
      j["a"]["skills"] = skills(a);
      j["b"]["skills"] = skills(b);
      writeOutput(o->json, j.dump(2) + "\n");
    }
    if (quiet) return kExitOk;
    std::cout << skillsTable(o->group, a_label, a, b_label, b);
    std::cout << fmt::format(
        "\nThe same runs: cxsim compare {0} {0}{1}{2}{3} --reps {4} --seed {5}\n", o->scenario,
        joinOverrides("--set", o->set), joinOverrides("--set-a", set_a),
        joinOverrides("--set-b", set_b), opt.replications, opt.seed);
    std::cout << fmt::format("{} paired replications on common random numbers · seed {}\n",
                             c.replications, c.seed);
    std::cout << comparisonBlock(
        "overall", c.overall,
        {Metric::Csat, Metric::CsatCare, Metric::Nps, Metric::Ces, Metric::Fcr, Metric::Churned,
         Metric::ChurnRate, Metric::RevenueAtRisk, Metric::ServiceLevel, Metric::CostPerResolved});
    return kExitOk;
  };
}

}  // namespace cx::cli
