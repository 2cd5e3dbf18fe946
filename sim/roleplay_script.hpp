// Role-play scripts: the plain data a script file describes (docs/ROLEPLAY.md).
//
// A script is a conversation graph: nodes hold the customer's line and the trainee's choices;
// each choice moves the customer's mood, scores rubric points, may breach a compliance rule,
// sets variables and leads to the next node — directly or through branches that test mood,
// running scores and variables. Loading (TOML, toml++) and checking live in
// roleplay_script.cpp; the engine (roleplay.hpp) reads this struct and never the TOML.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.hpp"  // SourceLoc, Diagnostic

namespace cx {

// The rubric. Promptness comes from the time taken against the node's limit; the other five
// are scored by the choices.
enum class Dimension { Promptness, Professionalism, Empathy, Listening, Ownership, Deescalation };
constexpr int kDimensions = 6;
constexpr std::array<Dimension, kDimensions> kAllDimensions = {
    Dimension::Promptness, Dimension::Professionalism, Dimension::Empathy,
    Dimension::Listening,  Dimension::Ownership,       Dimension::Deescalation};
// The file and record names ("promptness", "professionalism", "empathy", "listening",
// "ownership", "deescalation"), and the labels for people ("active listening", ...).
const char* toString(Dimension d);
const char* label(Dimension d);
std::optional<Dimension> dimensionFromString(std::string_view name);

// Points a choice may score on one dimension, and the mood change it may cause.
constexpr double kMaxPoints = 2.0;
constexpr double kMaxMoodChange = 0.5;

// What a condition can read: the conversation's state so far.
struct ConversationState {
  double mood = 0.5;                         // 0 = furious .. 1 = delighted
  int turn = 0;                              // answers given so far
  std::array<double, kDimensions> points{};  // running sums of choice points (promptness:
                                             // running 0-100 score)
  std::vector<double> variables;             // in the script's declaration order; booleans are 0/1
};

// A parsed condition such as `mood < 0.3 and not verified`. Built by the loader.
class Condition {
 public:
  struct Node;  // the expression tree (roleplay_script.cpp)
  Condition() = default;
  explicit Condition(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  bool evaluate(const ConversationState& state) const;  // an empty condition is true
  const Node* root() const { return root_.get(); }      // for the checks; null when empty

 private:
  std::shared_ptr<const Node> root_;
};

struct Branch {
  std::string when;  // the condition as written
  Condition condition;
  std::string next;  // node id
  SourceLoc loc;
};

struct VariableChange {
  int variable = -1;  // index into RoleplayScript::variables
  bool add = false;   // false: set to `value`; true: add `value`
  double value = 0.0;
};

struct Choice {
  std::string text;                          // what the trainee says
  double mood = 0.0;                         // change in the customer's mood
  std::array<double, kDimensions> points{};  // rubric points, -2..2 (promptness unused)
  std::string feedback;                      // shown in the debrief
  std::vector<std::string> breaches;         // compliance rule ids: the session fails
  std::vector<VariableChange> changes;
  std::vector<Branch> branches;  // the first whose condition holds decides the next node
  std::string next;              // otherwise this node
  SourceLoc loc;
};

struct ScriptNode {
  std::string id;
  std::string customer;  // the customer's line
  double limit_s = 0.0;  // time to answer before promptness drops (0: the script's default)
  std::vector<Choice> choices;
  // Endings have no choices: the outcome is what happened, `resolved` whether the customer's
  // problem was solved.
  bool ending = false;
  std::string outcome;
  bool resolved = false;
  SourceLoc loc;
};

struct Persona {
  std::string name;
  double mood = 0.5;           // at the start, 0..1
  double patience_s = 30.0;    // tolerance for slow answers: each patience_s over a node's
                               // limit costs 0.1 of mood (at most 0.3 per turn)
  double leaves_below = 0.05;  // the customer gives up when mood falls below this (0: never)
  std::string channel;         // phone, chat, email, messaging, social
  std::string history;         // what already happened to them
};

struct ComplianceRule {
  std::string id;
  std::string rule;  // e.g. "Verify identity before discussing the account"
  SourceLoc loc;
};

struct Variable {
  std::string name;
  bool boolean = false;
  double initial = 0.0;
  SourceLoc loc;
};

enum class Level { Easy, Medium, Hard };
const char* toString(Level level);

struct RoleplayScript {
  std::string title;
  Level level = Level::Medium;
  std::string situation;    // the brief the trainee reads first
  std::string start;        // first node id
  double limit_s = 30.0;    // default time limit per answer
  double pass_mark = 70.0;  // overall score (0-100) needed to pass
  int max_turns = 40;       // a conversation is cut after this many answers
  Persona persona;
  std::vector<ComplianceRule> compliance;
  std::vector<Variable> variables;
  std::vector<ScriptNode> nodes;  // in file order
  std::filesystem::path source_path;
  SourceLoc loc;  // of [script]

  // The node with this id, or nullptr.
  const ScriptNode* node(std::string_view id) const;
  int nodeIndex(std::string_view id) const;  // -1 when absent
  double limitFor(const ScriptNode& n) const { return n.limit_s > 0 ? n.limit_s : limit_s; }
  const ComplianceRule* rule(std::string_view id) const;
  // The script's file name without extension: its id in records.
  std::string id() const;
};

// Thrown by the loader with every problem it found (not just the first).
class RoleplayScriptError : public std::runtime_error {
 public:
  explicit RoleplayScriptError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Parse and check a script file: shape (keys, types), references (nodes, variables, rules),
// bounds (points, mood), the graph (every node reachable, every node can reach an ending),
// branch conditions that can never hold, that some path completes the script without a breach,
// and that no play state the conversation can reach is a dead end (findDeadEnds in
// roleplay.hpp). Throws RoleplayScriptError.
RoleplayScript loadRoleplayScript(const std::filesystem::path& file);
RoleplayScript parseRoleplayScript(std::string_view toml_text, const std::string& name_for_errors);

// The checks after parsing, for scripts built in code; empty = valid. Locations come from the
// structs' `loc` fields.
std::vector<Diagnostic> checkRoleplayScript(const RoleplayScript& script);

}  // namespace cx
