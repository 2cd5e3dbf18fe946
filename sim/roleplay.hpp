// The role-play engine: runs a script turn by turn and scores it (docs/ROLEPLAY.md).
//
// A session is driven by the front end (terminal, studio, tests): it shows the current node,
// the trainee picks a choice, the front end measures the time taken and calls choose(). The
// engine keeps mood, time and scores, and at the end gives a debrief with the best path found
// by searching the script. No clock is read here: time is whatever the caller says it was.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/roleplay_script.hpp"

namespace cx {

// One answer given.
struct Turn {
  int node = -1;            // index into RoleplayScript::nodes
  int choice = -1;          // 0-based index into that node's choices
  double seconds = 0.0;     // time taken to answer
  double limit_s = 0.0;     // the node's limit
  double promptness = 0.0;  // 0-100 for this answer
  double mood_before = 0.0, mood_after = 0.0;
  std::vector<std::string> breaches;  // compliance rule ids breached by this answer
};

enum class Ending {
  None,          // the conversation is still going
  Reached,       // an ending node of the script
  CustomerLeft,  // mood fell below the persona's leaves_below
  TurnLimit,     // max_turns answers without reaching an ending
};
const char* toString(Ending e);

// Per-dimension scores 0-100; nullopt when the conversation gave no chance to show the
// dimension (every choice offered scored it the same).
using Scores = std::array<std::optional<double>, kDimensions>;

// Where a conversation ended and how it was scored.
struct SessionSummary {
  std::vector<Turn> transcript;
  std::vector<double> mood;  // at the start, then after each answer
  Scores scores;
  double overall = 0.0;               // mean of the defined scores
  std::vector<std::string> breaches;  // every rule breached, in order (repeats kept once)
  Ending ending = Ending::None;
  int ending_node = -1;  // the ending node reached (Ending::Reached)
  bool resolved = false;
  bool passed = false;  // reached an ending, no breach, overall >= pass mark
};

// The best path through a script, for comparison in the debrief.
struct BestPath {
  std::vector<int> choices;  // 0-based choice per turn
  SessionSummary summary;    // that path answered within every limit
  long paths_searched = 0;
  bool exhaustive = true;  // false: the search budget ran out; the best found is shown
};

struct Debrief {
  SessionSummary session;
  std::optional<BestPath> best;  // absent when no path completes the script without a breach
};

class RoleplaySession {
 public:
  // The script must outlive the session and be valid (checkRoleplayScript empty).
  explicit RoleplaySession(const RoleplayScript& script);

  bool finished() const { return ending_ != Ending::None; }
  Ending ending() const { return ending_; }
  const ScriptNode& current() const;  // precondition: !finished()
  int currentIndex() const { return node_; }
  const ConversationState& state() const { return state_; }
  double limitNow() const { return script_->limitFor(current()); }

  // Answers the current node with choice `choice` (0-based) after `seconds`. Throws
  // std::out_of_range for a choice the node does not have, std::logic_error when finished.
  const Turn& choose(int choice, double seconds);

  SessionSummary summary() const;
  Debrief debrief() const;  // the summary plus the best path

 private:
  const RoleplayScript* script_;
  int node_;
  ConversationState state_;
  Ending ending_ = Ending::None;
  std::vector<Turn> turns_;
  std::vector<double> mood_;
  // Per scored dimension: points taken above the worst choice offered, and the most that was
  // available above it (the score is their ratio).
  std::array<double, kDimensions> taken_{}, available_{};
  double promptness_sum_ = 0.0;
};

// Promptness of one answer: 100 within the limit, falling linearly to 0 at twice the limit.
double promptnessScore(double seconds, double limit_s);
// Mood lost to a slow answer: 0.1 per patience_s over the limit, at most 0.3.
double slownessMoodCost(double seconds, double limit_s, double patience_s);

// Searches every path (answering within each limit) for the one with the highest overall
// score among those that reach an ending without a breach; ties go to the calmer customer,
// then the shorter conversation. nullopt when no such path exists. At most `budget` paths.
std::optional<BestPath> findBestPath(const RoleplayScript& script, long budget = 2'000'000);

// A play state the conversation can reach but never leave: answering at once, no answer
// without a compliance breach leads on to an ending (or to the customer leaving), so the
// conversation can only be cut at max_turns. Typically a branch condition that never holds
// there (`mood > 2`, a variable never set on the way in, a score that cannot be reached).
struct DeadEnd {
  int node = -1;             // index into RoleplayScript::nodes: where it gets stuck
  std::vector<int> choices;  // 0-based choices from the start that lead there (the first found)
  ConversationState state;   // on arrival
};

struct DeadEndSearch {
  std::vector<DeadEnd> dead_ends;  // at most one per node, in the order found
  long states = 0;                 // distinct play states explored
  bool exhaustive = true;          // false: the budget ran out and nothing is reported
};

// Explores every play state reachable from the start with the engine's own rules (mood,
// running points, variables and turn; every choice at every node, breaches included, each
// answered at once; branches evaluated as in a session) and returns the states no
// breach-free answer leads out of to an end. A state is only a dead end if it stays one with
// `slack` answers more than max_turns: running out of turns because the answers went round a
// loop the script offers a way out of is what max_turns is for (default slack: the number of
// nodes). Each dead end is an entry into the trap: the state before it could still end.
// Slow answers are not explored (they only lower mood and promptness). At most `budget`
// distinct states (each is remembered: about 200 bytes).
DeadEndSearch findDeadEnds(const RoleplayScript& script, int slack = -1, long budget = 100'000);

// "furious", "upset", "neutral", "calm", "pleased" (thresholds 0.2, 0.4, 0.6, 0.8).
const char* moodLabel(double mood);
// Calm or better: what a trainer wants at the end of a conversation.
constexpr double kCalmMood = 0.6;

}  // namespace cx
