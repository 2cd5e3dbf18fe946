// The training link: role-play scores to an agent group's empathy, professionalism and FCR.
#include "sim/training.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace cx {

namespace {

std::size_t index(Dimension d) {
  return static_cast<std::size_t>(d);
}

// Rounded so that the printed --set values are the values the link ran with: skills to 0.001
// (a tenth of a rubric point), the uplift to 0.0001. k / scale is the double nearest the
// decimal, the same one reading the printed text gives.
double roundTo(double v, double scale) {
  return std::round(v * scale) / scale + 0.0;
}  // + 0.0: no "-0"

}  // namespace

TeamScores teamScores(const std::vector<SessionRecord>& records,
                      const std::vector<std::string>& trainees, const std::string& since) {
  struct Sums {
    std::array<double, kDimensions> sum{};
    std::array<int, kDimensions> n{};
  };
  std::map<std::string, Sums> per_trainee;  // sorted by name
  TeamScores team;
  for (const SessionRecord& r : records) {
    if (!trainees.empty() &&
        std::find(trainees.begin(), trainees.end(), r.trainee) == trainees.end())
      continue;
    if (!since.empty() && r.date < since) continue;  // ISO 8601 compares as text
    Sums& s = per_trainee[r.trainee];
    ++team.sessions;
    for (std::size_t d = 0; d < r.scores.size(); ++d) {
      if (!r.scores[d]) continue;
      s.sum[d] += *r.scores[d];
      ++s.n[d];
    }
  }
  std::array<double, kDimensions> sum{};
  std::array<int, kDimensions> n{};
  for (const auto& [name, s] : per_trainee) {
    team.trainees.push_back(name);
    for (std::size_t d = 0; d < sum.size(); ++d) {
      if (s.n[d] == 0) continue;
      sum[d] += s.sum[d] / s.n[d];
      ++n[d];
    }
  }
  for (std::size_t d = 0; d < sum.size(); ++d)
    if (n[d] > 0) team.mean[d] = sum[d] / n[d];
  return team;
}

GroupSkills skillsOf(const AgentGroupSpec& group) {
  return {group.empathy, group.professionalism, group.fcr_uplift};
}

GroupSkills skillsFromScores(const Scores& scores, const GroupSkills& current,
                             const Calibration& calibration) {
  GroupSkills skills = current;
  if (const auto& e = scores[index(Dimension::Empathy)])
    skills.empathy = roundTo(std::clamp(*e / 100.0, 0.0, 1.0), 1e3);
  if (const auto& p = scores[index(Dimension::Professionalism)])
    skills.professionalism = roundTo(std::clamp(*p / 100.0, 0.0, 1.0), 1e3);
  if (const auto& o = scores[index(Dimension::Ownership)]) {
    const double reference = 100.0 * calibration.satisfaction.reference_agent;
    const double uplift = calibration.training.fcr_per_ownership_point * (*o - reference);
    skills.fcr_uplift = roundTo(std::clamp(uplift, -1.0, 1.0), 1e4);
  }
  return skills;
}

Scores scoresOfSkills(const GroupSkills& skills, const Calibration& calibration) {
  Scores scores;
  scores[index(Dimension::Empathy)] = 100.0 * skills.empathy;
  scores[index(Dimension::Professionalism)] = 100.0 * skills.professionalism;
  const double per_point = calibration.training.fcr_per_ownership_point;
  const double reference = 100.0 * calibration.satisfaction.reference_agent;
  // A zero rate makes every ownership score the same FCR: then the reference stands for it.
  scores[index(Dimension::Ownership)] = std::clamp(
      per_point > 0.0 ? reference + skills.fcr_uplift / per_point : reference, 0.0, 100.0);
  return scores;
}

Scores addPoints(Scores scores, const std::array<double, kDimensions>& points) {
  for (std::size_t d = 0; d < scores.size(); ++d)
    if (scores[d]) scores[d] = std::clamp(*scores[d] + points[d], 0.0, 100.0);
  return scores;
}

std::vector<std::string> skillOverrides(const std::string& group_id, const GroupSkills& skills) {
  const std::string key = "agent_groups." + group_id + ".";
  return {fmt::format("{}empathy={}", key, skills.empathy),
          fmt::format("{}professionalism={}", key, skills.professionalism),
          fmt::format("{}fcr_uplift={}", key, skills.fcr_uplift)};
}

}  // namespace cx
