// From role-play scores to an agent group of a scenario: the link between training and the
// simulation (docs/ROLEPLAY.md "What training is worth").
//
// Three rubric dimensions have a counterpart in the simulation. Empathy and professionalism are
// the group's `empathy` and `professionalism`: score / 100, the rubric and the outcome model
// sharing one 0–1 scale on which 0.7 is the typical agent (satisfaction.care.reference_agent).
// Ownership/resolution moves the group's FCR:
//   fcr_uplift = training.fcr_per_ownership_point × (ownership − 100 × reference_agent).
// Promptness, active listening and de-escalation have no counterpart: the model does not read
// them, and the link says so rather than inventing one.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "sim/calibration.hpp"
#include "sim/roleplay_records.hpp"
#include "sim/scenario.hpp"

namespace cx {

// The dimensions the simulation reads, in the order they are reported.
constexpr std::array<Dimension, 3> kLinkedDimensions = {
    Dimension::Empathy, Dimension::Professionalism, Dimension::Ownership};

struct TeamScores {
  std::vector<std::string> trainees;  // those with at least one session counted, sorted
  int sessions = 0;
  Scores mean;  // per dimension: the mean over trainees of each trainee's own mean
};

// The team's scores from trainee records: the sessions of `trainees` (everyone when empty)
// dated on or after `since` (an ISO date such as "2026-11-01"; empty: all). A dimension is
// averaged per trainee first, over the sessions that scored it, then over trainees, so a
// trainee with many sessions counts once. Names not found in the records are ignored here;
// the caller can compare `trainees` with what it asked for.
TeamScores teamScores(const std::vector<SessionRecord>& records,
                      const std::vector<std::string>& trainees, const std::string& since);

// What the simulation reads of a group.
struct GroupSkills {
  double empathy = 0.7;
  double professionalism = 0.7;
  double fcr_uplift = 0.0;
};

GroupSkills skillsOf(const AgentGroupSpec& group);

// The group's skills that a team with these scores stands for. A linked dimension without a
// score keeps `current`'s value; fcr_uplift is kept within [-1, 1].
GroupSkills skillsFromScores(const Scores& scores, const GroupSkills& current,
                             const Calibration& calibration);

// The inverse: a group's settings on the rubric scale (for a what-if without records: "this
// group, 10 points more empathetic"). Only the linked dimensions are set.
Scores scoresOfSkills(const GroupSkills& skills, const Calibration& calibration);

// Scores moved by `points` per dimension and kept within 0–100; an unscored dimension stays
// unscored.
Scores addPoints(Scores scores, const std::array<double, kDimensions>& points);

// The --set overrides that give group `group_id` these skills, in kLinkedDimensions order:
// "agent_groups.ID.empathy=0.812", "...professionalism=...", "...fcr_uplift=...".
std::vector<std::string> skillOverrides(const std::string& group_id, const GroupSkills& skills);

}  // namespace cx
