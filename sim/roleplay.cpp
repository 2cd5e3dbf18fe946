#include "sim/roleplay.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <stdexcept>

namespace cx {

const char* toString(Ending e) {
  switch (e) {
    case Ending::None:
      return "none";
    case Ending::Reached:
      return "reached";
    case Ending::CustomerLeft:
      return "customer_left";
    case Ending::TurnLimit:
      return "turn_limit";
  }
  return "?";
}

const char* moodLabel(double mood) {
  if (mood < 0.2) return "furious";
  if (mood < 0.4) return "upset";
  if (mood < 0.6) return "neutral";
  if (mood < 0.8) return "calm";
  return "pleased";
}

double promptnessScore(double seconds, double limit_s) {
  if (seconds <= limit_s) return 100.0;
  return 100.0 * std::clamp((2.0 * limit_s - seconds) / limit_s, 0.0, 1.0);
}

double slownessMoodCost(double seconds, double limit_s, double patience_s) {
  if (seconds <= limit_s) return 0.0;
  return std::min(0.3, 0.1 * (seconds - limit_s) / patience_s);
}

RoleplaySession::RoleplaySession(const RoleplayScript& script)
    : script_(&script), node_(script.nodeIndex(script.start)) {
  assert(node_ >= 0 && "RoleplaySession needs a checked script (start node missing)");
  state_.mood = script.persona.mood;
  for (const Variable& v : script.variables) state_.variables.push_back(v.initial);
  mood_.push_back(state_.mood);
  if (script.nodes[static_cast<std::size_t>(node_)].ending) ending_ = Ending::Reached;
}

const ScriptNode& RoleplaySession::current() const {
  return script_->nodes[static_cast<std::size_t>(node_)];
}

const Turn& RoleplaySession::choose(int choice, double seconds) {
  if (finished()) throw std::logic_error("the conversation has ended");
  const ScriptNode& node = current();
  if (choice < 0 || choice >= static_cast<int>(node.choices.size()))
    throw std::out_of_range("choice " + std::to_string(choice + 1) + " does not exist (node \"" +
                            node.id + "\" has " + std::to_string(node.choices.size()) +
                            " choices)");
  const Choice& c = node.choices[static_cast<std::size_t>(choice)];
  seconds = std::max(0.0, seconds);

  Turn turn;
  turn.node = node_;
  turn.choice = choice;
  turn.seconds = seconds;
  turn.limit_s = script_->limitFor(node);
  turn.promptness = promptnessScore(seconds, turn.limit_s);
  turn.mood_before = state_.mood;
  turn.breaches = c.breaches;

  const double slow = slownessMoodCost(seconds, turn.limit_s, script_->persona.patience_s);
  state_.mood = std::clamp(state_.mood + c.mood - slow, 0.0, 1.0);
  turn.mood_after = state_.mood;

  // The score is measured against what this node offered: the points taken above its worst
  // choice, out of the spread between its worst and best.
  for (Dimension d : kAllDimensions) {
    if (d == Dimension::Promptness) continue;
    const auto k = static_cast<std::size_t>(d);
    double best = node.choices.front().points[k], worst = best;
    for (const Choice& other : node.choices) {
      best = std::max(best, other.points[k]);
      worst = std::min(worst, other.points[k]);
    }
    taken_[k] += c.points[k] - worst;
    available_[k] += best - worst;
    state_.points[k] += c.points[k];
  }
  promptness_sum_ += turn.promptness;
  state_.turn += 1;
  state_.points[static_cast<std::size_t>(Dimension::Promptness)] = promptness_sum_ / state_.turn;
  for (const VariableChange& v : c.changes) {
    double& value = state_.variables[static_cast<std::size_t>(v.variable)];
    value = v.add ? value + v.value : v.value;
  }

  std::string next = c.next;
  for (const Branch& b : c.branches) {
    if (b.condition.evaluate(state_)) {
      next = b.next;
      break;
    }
  }
  const int next_index = script_->nodeIndex(next);
  assert(next_index >= 0 && "RoleplaySession needs a checked script (dangling next)");
  const ScriptNode& target = script_->nodes[static_cast<std::size_t>(next_index)];
  // An ending closes the conversation even when the customer is at the end of their tether.
  if (target.ending) {
    node_ = next_index;
    ending_ = Ending::Reached;
  } else if (script_->persona.leaves_below > 0 && state_.mood < script_->persona.leaves_below) {
    ending_ = Ending::CustomerLeft;
  } else if (state_.turn >= script_->max_turns) {
    ending_ = Ending::TurnLimit;
  } else {
    node_ = next_index;
  }
  turns_.push_back(std::move(turn));
  mood_.push_back(state_.mood);
  return turns_.back();
}

SessionSummary RoleplaySession::summary() const {
  SessionSummary s;
  s.transcript = turns_;
  s.mood = mood_;
  for (Dimension d : kAllDimensions) {
    const auto k = static_cast<std::size_t>(d);
    if (d == Dimension::Promptness) {
      if (!turns_.empty()) s.scores[k] = promptness_sum_ / static_cast<double>(turns_.size());
    } else if (available_[k] > 1e-12) {
      s.scores[k] = 100.0 * taken_[k] / available_[k];
    }
  }
  int defined = 0;
  for (const auto& score : s.scores)
    if (score) {
      s.overall += *score;
      ++defined;
    }
  if (defined > 0) s.overall /= defined;
  for (const Turn& t : turns_)
    for (const std::string& b : t.breaches)
      if (std::find(s.breaches.begin(), s.breaches.end(), b) == s.breaches.end())
        s.breaches.push_back(b);
  s.ending = ending_;
  if (ending_ == Ending::Reached) {
    s.ending_node = node_;
    s.resolved = current().resolved;
  }
  s.passed =
      ending_ == Ending::Reached && s.breaches.empty() && s.overall >= script_->pass_mark - 1e-9;
  return s;
}

Debrief RoleplaySession::debrief() const {
  return Debrief{summary(), findBestPath(*script_)};
}

namespace {

// Depth-first over every choice, answering at once. Paths that breach a rule or lose the
// customer are cut as soon as it happens: they cannot be the best.
class PathSearch {
 public:
  PathSearch(const RoleplayScript& script, long budget) : script_(script), budget_(budget) {}

  std::optional<BestPath> run() {
    std::vector<int> path;
    explore(RoleplaySession(script_), path);
    if (!best_) return std::nullopt;
    best_->paths_searched = searched_;
    best_->exhaustive = searched_ < budget_;
    return best_;
  }

 private:
  void explore(const RoleplaySession& session, std::vector<int>& path) {
    if (searched_ >= budget_) return;
    if (session.finished()) {
      ++searched_;
      consider(session.summary(), path);
      return;
    }
    const int n = static_cast<int>(session.current().choices.size());
    for (int i = 0; i < n; ++i) {
      RoleplaySession next = session;
      const Turn& turn = next.choose(i, 0.0);
      if (!turn.breaches.empty()) continue;
      path.push_back(i);
      explore(next, path);
      path.pop_back();
    }
  }

  void consider(SessionSummary summary, const std::vector<int>& path) {
    if (summary.ending != Ending::Reached || !summary.breaches.empty()) return;
    if (best_) {
      const SessionSummary& b = best_->summary;
      const double eps = 1e-9;
      if (summary.overall < b.overall - eps) return;
      if (std::fabs(summary.overall - b.overall) <= eps) {
        const double mood = summary.mood.back(), best_mood = b.mood.back();
        if (mood < best_mood - eps) return;
        if (std::fabs(mood - best_mood) <= eps && path.size() >= best_->choices.size()) return;
      }
    }
    best_ = BestPath{path, std::move(summary), 0, true};
  }

  const RoleplayScript& script_;
  long budget_;
  long searched_ = 0;
  std::optional<BestPath> best_;
};

// Every play state reachable from the start, each explored once: a state's future depends only
// on its node, turn, mood, running points and variables (answering at once, promptness is a
// function of the turn). The turn grows with every answer, so there are no cycles. Sessions
// run on a copy of the script allowed `slack` more turns, so that a state is only stuck if
// more turns would not help; dead ends are only reported within the script's own max_turns.
class DeadEndFinder {
 public:
  DeadEndFinder(const RoleplayScript& script, int slack, long budget)
      : script_(script), longer_(script), budget_(budget) {
    longer_.max_turns = script.max_turns + std::max(0, slack);
  }

  DeadEndSearch run() {
    DeadEndSearch result;
    const RoleplaySession start(longer_);
    std::vector<int> path;
    if (!start.finished() && !explore(start, path)) found(start, path);
    result.states = states_;
    result.exhaustive = !over_budget_;
    if (result.exhaustive) result.dead_ends = std::move(found_);
    return result;
  }

 private:
  using Key = std::vector<double>;

  static Key keyOf(const RoleplaySession& session) {
    const ConversationState& s = session.state();
    Key key{static_cast<double>(session.currentIndex()), static_cast<double>(s.turn), s.mood};
    key.insert(key.end(), s.points.begin(), s.points.end());
    key.insert(key.end(), s.variables.begin(), s.variables.end());
    return key;
  }

  // Whether some answer without a breach leads from here, eventually, to an end: an ending
  // node, or the customer leaving. Answers that breach are explored too (the conversation goes
  // on after a breach) but do not count as a way out.
  bool explore(const RoleplaySession& session, std::vector<int>& path) {
    Key key = keyOf(session);
    if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (states_ >= budget_) {
      over_budget_ = true;
      return true;
    }
    ++states_;
    bool ends = false;
    std::vector<int> stuck;  // choices leading to a state that cannot end
    const int n = static_cast<int>(session.current().choices.size());
    for (int i = 0; i < n; ++i) {
      RoleplaySession next = session;
      const bool clean = next.choose(i, 0.0).breaches.empty();
      bool next_ends = true;
      if (next.finished()) {
        next_ends = next.ending() != Ending::TurnLimit;
      } else {
        path.push_back(i);
        next_ends = explore(next, path);
        path.pop_back();
        if (!next_ends) stuck.push_back(i);
      }
      ends = ends || (clean && next_ends);
    }
    // From a state that can still end, a choice into one that cannot is the way into a trap.
    if (ends)
      for (int i : stuck) {
        RoleplaySession next = session;
        next.choose(i, 0.0);
        path.push_back(i);
        found(next, path);
        path.pop_back();
      }
    memo_.emplace(std::move(key), ends);
    return ends;
  }

  void found(const RoleplaySession& session, const std::vector<int>& path) {
    if (session.state().turn >= script_.max_turns) return;  // only with the slack
    const int node = session.currentIndex();
    for (const DeadEnd& d : found_)
      if (d.node == node) return;
    found_.push_back(DeadEnd{node, path, session.state()});
  }

  const RoleplayScript& script_;
  RoleplayScript longer_;
  long budget_;
  long states_ = 0;
  bool over_budget_ = false;
  std::map<Key, bool> memo_;
  std::vector<DeadEnd> found_;
};

}  // namespace

std::optional<BestPath> findBestPath(const RoleplayScript& script, long budget) {
  if (script.nodeIndex(script.start) < 0) return std::nullopt;
  return PathSearch(script, budget).run();
}

DeadEndSearch findDeadEnds(const RoleplayScript& script, int slack, long budget) {
  if (script.nodeIndex(script.start) < 0) return {};
  if (slack < 0) slack = static_cast<int>(script.nodes.size());
  return DeadEndFinder(script, slack, budget).run();
}

}  // namespace cx
