// Reading and checking role-play scripts (TOML; reference in docs/ROLEPLAY.md).
//
// The loader checks the shape of the file (known keys, types, required keys) and parses the
// branch conditions; checkRoleplayScript() then checks what only the whole script can tell:
// references, bounds, the conversation graph and that the script can be completed. Its
// findings get the line and column of the key they name. Every problem is collected before
// throwing, as in scenario_load.cpp.
#include "sim/roleplay_script.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/roleplay.hpp"

namespace cx {

// --- names -------------------------------------------------------------------------------------

const char* toString(Dimension d) {
  switch (d) {
    case Dimension::Promptness:
      return "promptness";
    case Dimension::Professionalism:
      return "professionalism";
    case Dimension::Empathy:
      return "empathy";
    case Dimension::Listening:
      return "listening";
    case Dimension::Ownership:
      return "ownership";
    case Dimension::Deescalation:
      return "deescalation";
  }
  return "?";
}

const char* label(Dimension d) {
  switch (d) {
    case Dimension::Promptness:
      return "promptness";
    case Dimension::Professionalism:
      return "professionalism";
    case Dimension::Empathy:
      return "empathy";
    case Dimension::Listening:
      return "active listening";
    case Dimension::Ownership:
      return "ownership/resolution";
    case Dimension::Deescalation:
      return "de-escalation";
  }
  return "?";
}

std::optional<Dimension> dimensionFromString(std::string_view name) {
  for (Dimension d : kAllDimensions)
    if (name == toString(d)) return d;
  return std::nullopt;
}

const char* toString(Level level) {
  switch (level) {
    case Level::Easy:
      return "easy";
    case Level::Medium:
      return "medium";
    case Level::Hard:
      return "hard";
  }
  return "?";
}

const ScriptNode* RoleplayScript::node(std::string_view id) const {
  const int i = nodeIndex(id);
  return i < 0 ? nullptr : &nodes[static_cast<std::size_t>(i)];
}

int RoleplayScript::nodeIndex(std::string_view id) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].id == id) return static_cast<int>(i);
  return -1;
}

const ComplianceRule* RoleplayScript::rule(std::string_view id) const {
  for (const ComplianceRule& r : compliance)
    if (r.id == id) return &r;
  return nullptr;
}

std::string RoleplayScript::id() const {
  return source_path.empty() ? title : source_path.stem().string();
}

RoleplayScriptError::RoleplayScriptError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? std::string("invalid role-play script")
                                             : diagnostics.front().format()),
      diagnostics_(std::move(diagnostics)) {}

// --- conditions --------------------------------------------------------------------------------

struct Condition::Node {
  enum class Op { Const, Mood, Turn, Points, Var, Not, And, Or, Lt, Le, Gt, Ge, Eq, Ne };
  Op op = Op::Const;
  double value = 0.0;
  int index = 0;
  std::shared_ptr<const Node> a, b;
};

namespace {

using CNode = Condition::Node;
using Op = CNode::Op;

double eval(const CNode& n, const ConversationState& s) {
  switch (n.op) {
    case Op::Const:
      return n.value;
    case Op::Mood:
      return s.mood;
    case Op::Turn:
      return s.turn;
    case Op::Points:
      return s.points[static_cast<std::size_t>(n.index)];
    case Op::Var:
      return s.variables[static_cast<std::size_t>(n.index)];
    case Op::Not:
      return eval(*n.a, s) == 0.0 ? 1.0 : 0.0;
    case Op::And:
      return (eval(*n.a, s) != 0.0 && eval(*n.b, s) != 0.0) ? 1.0 : 0.0;
    case Op::Or:
      return (eval(*n.a, s) != 0.0 || eval(*n.b, s) != 0.0) ? 1.0 : 0.0;
    case Op::Lt:
      return eval(*n.a, s) < eval(*n.b, s) ? 1.0 : 0.0;
    case Op::Le:
      return eval(*n.a, s) <= eval(*n.b, s) ? 1.0 : 0.0;
    case Op::Gt:
      return eval(*n.a, s) > eval(*n.b, s) ? 1.0 : 0.0;
    case Op::Ge:
      return eval(*n.a, s) >= eval(*n.b, s) ? 1.0 : 0.0;
    case Op::Eq:
      return eval(*n.a, s) == eval(*n.b, s) ? 1.0 : 0.0;
    case Op::Ne:
      return eval(*n.a, s) != eval(*n.b, s) ? 1.0 : 0.0;
  }
  return 0.0;
}

}  // namespace

bool Condition::evaluate(const ConversationState& state) const {
  return !root_ || eval(*root_, state) != 0.0;
}

namespace {

// Recursive descent over:  or := and ("or" and)* ; and := not ("and" not)* ;
// not := "not" not | cmp ; cmp := atom (("<"|"<="|">"|">="|"=="|"!=") atom)? ;
// atom := number | true | false | name | "(" or ")".
class ConditionParser {
 public:
  ConditionParser(std::string_view text, const std::vector<Variable>& variables)
      : text_(text), variables_(variables) {}

  // The tree, or nullptr with `error()` set.
  std::shared_ptr<const CNode> parse() {
    auto root = parseOr();
    skipSpace();
    if (root && pos_ < text_.size()) return fail("unexpected '" + rest() + "'");
    return root;
  }
  const std::string& error() const { return error_; }

 private:
  std::shared_ptr<const CNode> fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return nullptr;
  }
  std::string rest() const { return std::string(text_.substr(pos_, 12)); }
  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool word(std::string_view w) {
    skipSpace();
    if (text_.substr(pos_, w.size()) != w) return false;
    const std::size_t end = pos_ + w.size();
    if (end < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
      return false;
    pos_ = end;
    return true;
  }
  static std::shared_ptr<const CNode> make(Op op, std::shared_ptr<const CNode> a,
                                           std::shared_ptr<const CNode> b = nullptr) {
    auto n = std::make_shared<CNode>();
    n->op = op;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }

  std::shared_ptr<const CNode> parseOr() {
    auto left = parseAnd();
    while (left && word("or")) {
      auto right = parseAnd();
      if (!right) return nullptr;
      left = make(Op::Or, left, right);
    }
    return left;
  }
  std::shared_ptr<const CNode> parseAnd() {
    auto left = parseNot();
    while (left && word("and")) {
      auto right = parseNot();
      if (!right) return nullptr;
      left = make(Op::And, left, right);
    }
    return left;
  }
  std::shared_ptr<const CNode> parseNot() {
    if (word("not")) {
      auto inner = parseNot();
      return inner ? make(Op::Not, inner) : nullptr;
    }
    return parseCompare();
  }
  std::shared_ptr<const CNode> parseCompare() {
    auto left = parseAtom();
    if (!left) return nullptr;
    skipSpace();
    static constexpr std::pair<std::string_view, Op> kOps[] = {{"<=", Op::Le}, {">=", Op::Ge},
                                                               {"==", Op::Eq}, {"!=", Op::Ne},
                                                               {"<", Op::Lt},  {">", Op::Gt}};
    for (const auto& [symbol, op] : kOps) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        pos_ += symbol.size();
        auto right = parseAtom();
        return right ? make(op, left, right) : nullptr;
      }
    }
    return left;
  }
  std::shared_ptr<const CNode> parseAtom() {
    skipSpace();
    if (pos_ >= text_.size()) return fail("the condition ends too early");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      auto inner = parseOr();
      skipSpace();
      if (!inner) return nullptr;
      if (pos_ >= text_.size() || text_[pos_] != ')') return fail("missing ')'");
      ++pos_;
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
      std::size_t end = pos_ + 1;
      while (end < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[end])) || text_[end] == '.'))
        ++end;
      const std::string number(text_.substr(pos_, end - pos_));
      char* stop = nullptr;
      const double v = std::strtod(number.c_str(), &stop);
      if (stop != number.c_str() + number.size()) return fail("bad number '" + number + "'");
      pos_ = end;
      auto n = std::make_shared<CNode>();
      n->value = v;
      return n;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = pos_;
      while (end < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
        ++end;
      const std::string name(text_.substr(pos_, end - pos_));
      pos_ = end;
      return resolve(name);
    }
    return fail("unexpected '" + rest() + "'");
  }
  std::shared_ptr<const CNode> resolve(const std::string& name) {
    auto n = std::make_shared<CNode>();
    if (name == "true" || name == "false") {
      n->value = name == "true" ? 1.0 : 0.0;
    } else if (name == "mood") {
      n->op = Op::Mood;
    } else if (name == "turn") {
      n->op = Op::Turn;
    } else if (auto d = dimensionFromString(name)) {
      n->op = Op::Points;
      n->index = static_cast<int>(*d);
    } else {
      const auto it = std::find_if(variables_.begin(), variables_.end(),
                                   [&](const Variable& v) { return v.name == name; });
      if (it == variables_.end())
        return fail("unknown name '" + name +
                    "' (expected mood, turn, a rubric dimension or a variable declared in "
                    "[variables])");
      n->op = Op::Var;
      n->index = static_cast<int>(it - variables_.begin());
    }
    return n;
  }

  std::string_view text_;
  const std::vector<Variable>& variables_;
  std::size_t pos_ = 0;
  std::string error_;
};

// --- the loader ---------------------------------------------------------------------------------

namespace fs = std::filesystem;

SourceLoc locOf(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}
SourceLoc locOf(const toml::node& node) {
  return locOf(node.source());
}

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string \"" + std::string(node.as_string()->get()) + "\"";
    case toml::node_type::integer:
      return fmt::format("integer {}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return fmt::format("float {}", node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    default:
      return "a date or time";
  }
}

bool validName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The whole-script checks; `whole` = false skips the graph and the search (Checker below).
std::vector<Diagnostic> checkScript(const RoleplayScript& script, bool whole);

const char* const kChannels[] = {"phone", "chat", "email", "messaging", "social"};

class ScriptLoader {
 public:
  explicit ScriptLoader(std::string file) : file_(std::move(file)) {}

  RoleplayScript run(const toml::table& root) {
    RoleplayScript s;
    locs_[""] = locOf(root);
    checkKeys(root, "", {"script", "persona", "compliance", "variables", "nodes"});
    if (const toml::table* t = table(root, "", "script", true)) readScript(*t, s);
    if (const toml::table* t = table(root, "", "persona", true)) readPersona(*t, s.persona);
    if (const toml::node* n = field(root, "", "compliance")) readCompliance(*n, s);
    if (const toml::table* t = table(root, "", "variables", false)) readVariables(*t, s);
    if (const toml::table* t = table(root, "", "nodes", true)) readNodes(*t, s);
    // Whole-script rules. After a shape error the graph and the search are skipped (a missing
    // `next` would only be reported again as a dead end), and so is any finding on a key the
    // shape checks already reported.
    const bool shape_ok = diagnostics_.empty();
    std::set<std::string> reported;
    for (const Diagnostic& d : diagnostics_) reported.insert(d.key);
    for (Diagnostic& d : checkScript(s, shape_ok)) {
      if (reported.count(d.key)) continue;
      d.file = file_;
      d.loc = locate(d.key, d.loc);
      diagnostics_.push_back(std::move(d));
    }
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
    return s;
  }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  void fail(SourceLoc loc, const std::string& key, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, loc, key, std::move(message)});
  }
  void expected(const toml::node& node, const std::string& key, std::string_view what) {
    fail(locOf(node), key, "expected " + std::string(what) + ", got " + describe(node));
  }
  void missing(const toml::node& table, const std::string& key, std::string_view what) {
    fail(locOf(table), key, "missing required key (expected " + std::string(what) + ")");
  }
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  const toml::node* field(const toml::table& t, const std::string& path, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node) locs_[join(path, key)] = locOf(*node);
    return node;
  }
  const toml::table* table(const toml::table& t, const std::string& path, std::string_view key,
                           bool required) {
    const toml::node* n = field(t, path, key);
    const std::string k = join(path, key);
    if (!n) {
      if (required) missing(t, k, "a table [" + k + "]");
      return nullptr;
    }
    if (const toml::table* inner = n->as_table()) return inner;
    expected(*n, k, "a table [" + k + "]");
    return nullptr;
  }
  void checkKeys(const toml::table& t, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
    for (auto&& [key, value] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(locOf(key.source()), join(path, key.str()),
           "unknown key (expected one of: " + list + ")");
    }
  }

  std::optional<std::string> asString(const toml::node& n, const std::string& key) {
    if (const auto* v = n.as_string()) return v->get();
    expected(n, key, "a string");
    return std::nullopt;
  }
  std::optional<double> asNumber(const toml::node& n, const std::string& key) {
    if (const auto* v = n.as_floating_point()) return v->get();
    if (const auto* v = n.as_integer()) return static_cast<double>(v->get());
    expected(n, key, "a number");
    return std::nullopt;
  }

  void readString(const toml::table& t, const std::string& path, std::string_view key,
                  std::string& out, bool required, std::string_view what = "a string") {
    const std::string k = join(path, key);
    if (const toml::node* n = field(t, path, key)) {
      if (auto v = asString(*n, k)) out = *v;
    } else if (required) {
      missing(t, k, what);
    }
  }
  void readNumber(const toml::table& t, const std::string& path, std::string_view key, double& out,
                  bool required = false, std::string_view what = "a number") {
    const std::string k = join(path, key);
    if (const toml::node* n = field(t, path, key)) {
      if (auto v = asNumber(*n, k)) out = *v;
    } else if (required) {
      missing(t, k, what);
    }
  }
  void readBool(const toml::table& t, const std::string& path, std::string_view key, bool& out) {
    if (const toml::node* n = field(t, path, key)) {
      if (const auto* v = n->as_boolean()) {
        out = v->get();
      } else {
        expected(*n, join(path, key), "true or false");
      }
    }
  }

  void readScript(const toml::table& t, RoleplayScript& s) {
    const std::string p = "script";
    s.loc = locOf(t);
    checkKeys(t, p, {"title", "level", "situation", "start", "limit_s", "pass_mark", "max_turns"});
    readString(t, p, "title", s.title, true);
    readString(t, p, "situation", s.situation, true, "a string: the brief the trainee reads");
    readString(t, p, "start", s.start, true, "the id of the first node");
    if (const toml::node* n = field(t, p, "level")) {
      if (auto v = asString(*n, "script.level")) {
        if (*v == "easy") {
          s.level = Level::Easy;
        } else if (*v == "medium") {
          s.level = Level::Medium;
        } else if (*v == "hard") {
          s.level = Level::Hard;
        } else {
          fail(locOf(*n), "script.level",
               "expected one of: easy, medium, hard, got \"" + *v + "\"");
        }
      }
    } else {
      missing(t, "script.level", "one of: easy, medium, hard");
    }
    readNumber(t, p, "limit_s", s.limit_s);
    readNumber(t, p, "pass_mark", s.pass_mark);
    if (const toml::node* n = field(t, p, "max_turns")) {
      if (const auto* v = n->as_integer()) {
        s.max_turns = static_cast<int>(std::clamp<std::int64_t>(v->get(), -1, 1'000'000));
      } else {
        expected(*n, "script.max_turns", "an integer");
      }
    }
  }

  void readPersona(const toml::table& t, Persona& persona) {
    const std::string p = "persona";
    checkKeys(t, p, {"name", "mood", "patience_s", "leaves_below", "channel", "history"});
    readString(t, p, "name", persona.name, true);
    readNumber(t, p, "mood", persona.mood, true, "a number from 0 (furious) to 1 (delighted)");
    readNumber(t, p, "patience_s", persona.patience_s, true,
               "seconds over a node's limit that cost the customer 0.1 of mood");
    readNumber(t, p, "leaves_below", persona.leaves_below);
    readString(t, p, "history", persona.history, false);
    if (const toml::node* n = field(t, p, "channel")) {
      if (auto v = asString(*n, "persona.channel")) {
        persona.channel = *v;
        if (std::find(std::begin(kChannels), std::end(kChannels), *v) == std::end(kChannels))
          fail(locOf(*n), "persona.channel",
               "expected one of: phone, chat, email, messaging, social, got \"" + *v + "\"");
      }
    } else {
      missing(t, "persona.channel", "one of: phone, chat, email, messaging, social");
    }
  }

  void readCompliance(const toml::node& node, RoleplayScript& s) {
    const toml::array* array = node.as_array();
    if (!array) {
      expected(node, "compliance", "an array of tables ([[compliance]])");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string key = "compliance[" + std::to_string(i) + "]";
      const toml::node& element = *array->get(i);
      locs_[key] = locOf(element);
      const toml::table* t = element.as_table();
      if (!t) {
        expected(element, key, "a table ([[compliance]])");
        continue;
      }
      ComplianceRule& r = s.compliance.emplace_back();
      r.loc = locOf(element);
      checkKeys(*t, key, {"id", "rule"});
      readString(*t, key, "id", r.id, true);
      readString(*t, key, "rule", r.rule, true, "a string saying what must never happen");
    }
  }

  void readVariables(const toml::table& t, RoleplayScript& s) {
    for (auto&& [key, value] : t) {
      const std::string k = "variables." + std::string(key.str());
      locs_[k] = locOf(value);
      Variable& v = s.variables.emplace_back();
      v.name = std::string(key.str());
      v.loc = locOf(key.source());
      if (const auto* b = value.as_boolean()) {
        v.boolean = true;
        v.initial = b->get() ? 1.0 : 0.0;
      } else if (value.is_number()) {
        v.initial = *value.value<double>();
      } else {
        expected(value, k, "true, false or a number (the initial value)");
      }
    }
    // Declaration order, so that a record's variables keep the author's order.
    std::stable_sort(
        s.variables.begin(), s.variables.end(), [](const Variable& a, const Variable& b) {
          return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
        });
  }

  void readNodes(const toml::table& t, RoleplayScript& s) {
    for (auto&& [key, value] : t) {
      const std::string k = "nodes." + std::string(key.str());
      locs_[k] = locOf(value);
      const toml::table* nt = value.as_table();
      if (!nt) {
        expected(value, k, "a table [" + k + "]");
        continue;
      }
      ScriptNode& n = s.nodes.emplace_back();
      n.id = std::string(key.str());
      n.loc = locOf(value);
      readNode(*nt, k, n, s);
    }
    std::stable_sort(s.nodes.begin(), s.nodes.end(), [](const ScriptNode& a, const ScriptNode& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
  }

  void readNode(const toml::table& t, const std::string& path, ScriptNode& n,
                const RoleplayScript& s) {
    checkKeys(t, path, {"customer", "limit_s", "choices", "ending", "outcome", "resolved"});
    readString(t, path, "customer", n.customer, true, "a string: what the customer says");
    readNumber(t, path, "limit_s", n.limit_s);
    readBool(t, path, "ending", n.ending);
    readString(t, path, "outcome", n.outcome, false);
    readBool(t, path, "resolved", n.resolved);
    if (const toml::node* c = field(t, path, "choices")) {
      const toml::array* array = c->as_array();
      if (!array) {
        expected(*c, path + ".choices", "an array of tables ([[" + path + ".choices]])");
        return;
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string key = path + ".choices[" + std::to_string(i) + "]";
        const toml::node& element = *array->get(i);
        locs_[key] = locOf(element);
        if (const toml::table* ct = element.as_table()) {
          Choice& choice = n.choices.emplace_back();
          choice.loc = locOf(element);
          readChoice(*ct, key, choice, s);
        } else {
          expected(element, key, "a table ([[" + path + ".choices]])");
        }
      }
    }
  }

  void readChoice(const toml::table& t, const std::string& path, Choice& c,
                  const RoleplayScript& s) {
    checkKeys(t, path,
              {"text", "mood", "scores", "feedback", "breaches", "set", "add", "next", "branches"});
    readString(t, path, "text", c.text, true, "a string: what the trainee says");
    readString(t, path, "feedback", c.feedback, true, "a string: what the debrief says about it");
    readNumber(t, path, "mood", c.mood);
    readString(t, path, "next", c.next, true, "the id of the node that follows");
    if (const toml::node* n = field(t, path, "scores")) {
      if (const toml::table* st = n->as_table()) {
        for (auto&& [key, value] : *st) {
          const std::string k = path + ".scores." + std::string(key.str());
          locs_[k] = locOf(value);
          const auto d = dimensionFromString(key.str());
          if (!d || *d == Dimension::Promptness) {
            fail(locOf(key.source()), k,
                 "unknown dimension (expected one of: professionalism, empathy, listening, "
                 "ownership, deescalation; promptness comes from the time taken)");
          } else if (auto x = asNumber(value, k)) {
            c.points[static_cast<std::size_t>(*d)] = *x;
          }
        }
      } else {
        expected(*n, path + ".scores", "a table such as { empathy = 2, ownership = 1 }");
      }
    }
    if (const toml::node* n = field(t, path, "breaches")) {
      const toml::array* array = n->as_array();
      if (!array) {
        expected(*n, path + ".breaches", "an array of compliance rule ids");
      } else {
        for (std::size_t i = 0; i < array->size(); ++i) {
          const std::string k = path + ".breaches[" + std::to_string(i) + "]";
          locs_[k] = locOf(*array->get(i));
          if (auto v = asString(*array->get(i), k)) c.breaches.push_back(*v);
        }
      }
    }
    readChanges(t, path, "set", false, c, s);
    readChanges(t, path, "add", true, c, s);
    if (const toml::node* n = field(t, path, "branches")) {
      const toml::array* array = n->as_array();
      if (!array) {
        expected(*n, path + ".branches",
                 "an array of tables such as [{ when = \"mood < 0.3\", next = \"...\" }]");
        return;
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string k = path + ".branches[" + std::to_string(i) + "]";
        const toml::node& element = *array->get(i);
        locs_[k] = locOf(element);
        const toml::table* bt = element.as_table();
        if (!bt) {
          expected(element, k, "a table { when = \"...\", next = \"...\" }");
          continue;
        }
        Branch& b = c.branches.emplace_back();
        b.loc = locOf(element);
        checkKeys(*bt, k, {"when", "next"});
        readString(*bt, k, "next", b.next, true, "the id of the node to go to");
        readString(*bt, k, "when", b.when, true, "a condition such as \"mood < 0.3\"");
        if (!b.when.empty()) {
          ConditionParser parser(b.when, s.variables);
          auto root = parser.parse();
          if (root) {
            b.condition = Condition(root);
          } else {
            fail(locs_[k + ".when"], k + ".when",
                 "bad condition \"" + b.when + "\": " + parser.error());
          }
        }
      }
    }
  }

  void readChanges(const toml::table& t, const std::string& path, std::string_view key, bool add,
                   Choice& c, const RoleplayScript& s) {
    const toml::node* n = field(t, path, key);
    if (!n) return;
    const std::string k = join(path, key);
    const toml::table* table = n->as_table();
    if (!table) {
      expected(*n, k,
               add ? "a table such as { attempts = 1 }" : "a table such as { verified = true }");
      return;
    }
    for (auto&& [name, value] : *table) {
      const std::string vk = k + "." + std::string(name.str());
      locs_[vk] = locOf(value);
      const auto it = std::find_if(s.variables.begin(), s.variables.end(),
                                   [&](const Variable& v) { return v.name == name.str(); });
      if (it == s.variables.end()) {
        fail(locOf(name.source()), vk, "unknown variable (declare it in [variables] first)");
        continue;
      }
      VariableChange change;
      change.variable = static_cast<int>(it - s.variables.begin());
      change.add = add;
      if (add && it->boolean) {
        fail(locOf(value), vk, "cannot add to a true/false variable (use set)");
        continue;
      }
      if (const auto* b = value.as_boolean(); b && it->boolean) {
        change.value = b->get() ? 1.0 : 0.0;
      } else if (value.is_number() && !it->boolean) {
        change.value = *value.value<double>();
      } else {
        expected(value, vk,
                 it->boolean ? "true or false (the variable is true/false)"
                             : "a number (the variable is a number)");
        continue;
      }
      c.changes.push_back(change);
    }
  }

  // The location of `key`, or of the closest enclosing key known, or `fallback`.
  SourceLoc locate(std::string key, SourceLoc fallback) const {
    while (true) {
      if (auto it = locs_.find(key); it != locs_.end()) return it->second;
      if (key.empty()) return fallback;
      const auto cut = key.find_last_of(".[");
      key.resize(cut == std::string::npos ? 0 : cut);
    }
  }

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, SourceLoc> locs_;
};

// --- whole-script checks ----------------------------------------------------------------------

class Checker {
 public:
  explicit Checker(const RoleplayScript& s) : s_(s) {}

  std::vector<Diagnostic> run(bool whole) {
    checkScript();
    checkPersona();
    checkRules();
    checkVariables();
    for (const ScriptNode& n : s_.nodes) checkNode(n);
    if (whole && out_.empty()) checkGraph();
    if (whole && out_.empty()) {
      checkConditions();
      if (checkCompletable()) checkDeadEnds();
    }
    return std::move(out_);
  }

 private:
  void fail(SourceLoc loc, std::string key, std::string message) {
    out_.push_back(Diagnostic{s_.source_path.string(), loc, std::move(key), std::move(message)});
  }
  void range(double v, double lo, double hi, SourceLoc loc, const std::string& key,
             std::string_view what) {
    if (!(v >= lo && v <= hi)) fail(loc, key, fmt::format("expected {}, got {}", what, v));
  }

  void checkScript() {
    if (s_.title.empty()) fail(s_.loc, "script.title", "expected a non-empty title");
    if (!(s_.limit_s > 0))
      fail(s_.loc, "script.limit_s",
           fmt::format("expected a positive number of seconds, got {}", s_.limit_s));
    range(s_.pass_mark, 0, 100, s_.loc, "script.pass_mark", "a score from 0 to 100");
    if (s_.max_turns < 1)
      fail(s_.loc, "script.max_turns", fmt::format("expected at least 1, got {}", s_.max_turns));
    if (s_.start.empty())
      fail(s_.loc, "script.start", "expected the id of the first node");
    else if (s_.nodeIndex(s_.start) < 0)
      fail(s_.loc, "script.start",
           "no node \"" + s_.start + "\" (expected one of the [nodes.*] ids)");
    if (s_.nodes.empty()) fail(s_.loc, "nodes", "expected at least one node ([nodes.ID])");
  }

  void checkPersona() {
    const Persona& p = s_.persona;
    if (p.name.empty()) fail(s_.loc, "persona.name", "expected a non-empty name");
    range(p.mood, 0, 1, s_.loc, "persona.mood", "a mood from 0 (furious) to 1 (delighted)");
    if (!(p.patience_s > 0))
      fail(s_.loc, "persona.patience_s",
           fmt::format("expected a positive number of seconds, got {}", p.patience_s));
    if (!(p.leaves_below >= 0 && p.leaves_below < 1))
      fail(s_.loc, "persona.leaves_below",
           fmt::format("expected a mood from 0 (never leaves) to below 1, got {}", p.leaves_below));
    if (p.leaves_below > 0 && p.mood < p.leaves_below)
      fail(s_.loc, "persona.mood",
           fmt::format("the customer starts below leaves_below ({}) and would leave at once",
                       p.leaves_below));
  }

  void checkRules() {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < s_.compliance.size(); ++i) {
      const ComplianceRule& r = s_.compliance[i];
      const std::string key = "compliance[" + std::to_string(i) + "]";
      if (!validName(r.id))
        fail(r.loc, key + ".id",
             "expected an id of lowercase letters, digits and _, got \"" + r.id + "\"");
      else if (!seen.insert(r.id).second)
        fail(r.loc, key + ".id", "duplicate compliance rule id \"" + r.id + "\"");
      if (r.rule.empty()) fail(r.loc, key + ".rule", "expected the rule in words");
    }
  }

  void checkVariables() {
    for (const Variable& v : s_.variables) {
      const bool reserved = v.name == "mood" || v.name == "turn" || v.name == "and" ||
                            v.name == "or" || v.name == "not" || v.name == "true" ||
                            v.name == "false" || dimensionFromString(v.name).has_value();
      if (reserved || !validName(v.name))
        fail(v.loc, "variables." + v.name,
             "expected a name of lowercase letters, digits and _ that is not mood, turn, a "
             "rubric dimension or a keyword");
    }
  }

  void checkNode(const ScriptNode& n) {
    const std::string key = "nodes." + n.id;
    if (!validName(n.id)) fail(n.loc, key, "expected a node id of lowercase letters, digits and _");
    if (n.customer.empty()) fail(n.loc, key + ".customer", "expected the customer's line");
    if (n.limit_s < 0)
      fail(n.loc, key + ".limit_s",
           fmt::format("expected a positive number of seconds, got {}", n.limit_s));
    if (n.ending) {
      if (!n.choices.empty())
        fail(n.loc, key + ".choices", "an ending has no choices (remove them or ending = true)");
      if (n.outcome.empty())
        fail(n.loc, key + ".outcome",
             "missing required key (expected what happened, for the debrief)");
      return;
    }
    if (!n.outcome.empty()) fail(n.loc, key + ".outcome", "only used with ending = true");
    if (n.choices.empty())
      fail(n.loc, key + ".choices",
           "expected at least one choice ([[" + key + ".choices]]), or ending = true");
    for (std::size_t i = 0; i < n.choices.size(); ++i)
      checkChoice(n.choices[i], key + ".choices[" + std::to_string(i) + "]");
  }

  void checkChoice(const Choice& c, const std::string& key) {
    if (c.text.empty()) fail(c.loc, key + ".text", "expected what the trainee says");
    if (c.feedback.empty()) fail(c.loc, key + ".feedback", "expected feedback for the debrief");
    range(c.mood, -kMaxMoodChange, kMaxMoodChange, c.loc, key + ".mood",
          fmt::format("a mood change from {} to {}", -kMaxMoodChange, kMaxMoodChange));
    for (Dimension d : kAllDimensions) {
      if (d == Dimension::Promptness) continue;
      range(c.points[static_cast<std::size_t>(d)], -kMaxPoints, kMaxPoints, c.loc,
            key + ".scores." + toString(d),
            fmt::format("points from {} to {}", -kMaxPoints, kMaxPoints));
    }
    for (std::size_t i = 0; i < c.breaches.size(); ++i)
      if (!s_.rule(c.breaches[i]))
        fail(c.loc, key + ".breaches[" + std::to_string(i) + "]",
             "no compliance rule \"" + c.breaches[i] + "\" (expected an id from [[compliance]])");
    for (const VariableChange& v : c.changes)
      if (v.variable < 0 || v.variable >= static_cast<int>(s_.variables.size()))
        fail(c.loc, key + (v.add ? ".add" : ".set"), "unknown variable");
    checkTarget(c.next, c.loc, key + ".next");
    for (std::size_t i = 0; i < c.branches.size(); ++i)
      checkTarget(c.branches[i].next, c.branches[i].loc,
                  key + ".branches[" + std::to_string(i) + "].next");
  }

  void checkTarget(const std::string& id, SourceLoc loc, const std::string& key) {
    if (id.empty())
      fail(loc, key, "expected the id of a node");
    else if (s_.nodeIndex(id) < 0)
      fail(loc, key, "no node \"" + id + "\" (expected one of the [nodes.*] ids)");
  }

  // Every node reachable from the start and able to reach an ending, over every edge a choice
  // or a branch can take (conditions aside: they are checked by the search below).
  void checkGraph() {
    const std::size_t n = s_.nodes.size();
    std::vector<std::vector<int>> out(n), in(n);
    for (std::size_t i = 0; i < n; ++i)
      for (const Choice& c : s_.nodes[i].choices) {
        auto edge = [&](const std::string& id) {
          const int j = s_.nodeIndex(id);
          out[i].push_back(j);
          in[static_cast<std::size_t>(j)].push_back(static_cast<int>(i));
        };
        edge(c.next);
        for (const Branch& b : c.branches) edge(b.next);
      }
    auto sweep = [&](std::vector<int> frontier, const std::vector<std::vector<int>>& edges) {
      std::vector<bool> seen(n, false);
      for (int f : frontier) seen[static_cast<std::size_t>(f)] = true;
      while (!frontier.empty()) {
        const int i = frontier.back();
        frontier.pop_back();
        for (int j : edges[static_cast<std::size_t>(i)])
          if (!seen[static_cast<std::size_t>(j)]) {
            seen[static_cast<std::size_t>(j)] = true;
            frontier.push_back(j);
          }
      }
      return seen;
    };
    const std::vector<bool> reachable = sweep({s_.nodeIndex(s_.start)}, out);
    std::vector<int> endings;
    for (std::size_t i = 0; i < n; ++i)
      if (s_.nodes[i].ending) endings.push_back(static_cast<int>(i));
    if (endings.empty()) {
      fail(s_.loc, "nodes", "no ending: expected at least one node with ending = true");
      return;
    }
    const std::vector<bool> ends = sweep(endings, in);
    for (std::size_t i = 0; i < n; ++i) {
      const ScriptNode& node = s_.nodes[i];
      if (!reachable[i]) {
        fail(
            node.loc, "nodes." + node.id,
            "unreachable: no choice or branch leads here from the start node \"" + s_.start + "\"");
      } else if (!ends[i]) {
        fail(node.loc, "nodes." + node.id,
             "no path from here reaches an ending (the conversation could never end)");
      }
    }
  }

  // What each name of a condition can be whenever a branch is tested, as an interval: mood
  // 0..1, turn 1..max_turns, promptness 0..100, a dimension's running points between
  // max_turns answers of its lowest and of its highest points, a variable between its initial
  // and `set` values widened by max_turns of its `add`s. Coarse, but sound: a condition this
  // says can never hold never does.
  struct Range {
    double lo = 0.0, hi = 0.0;
  };
  static bool canBeTrue(Range r) { return !(r.lo == 0.0 && r.hi == 0.0); }
  static bool canBeFalse(Range r) { return r.lo <= 0.0 && r.hi >= 0.0; }
  static Range truth(bool can_be_true, bool can_be_false) {
    return {can_be_false ? 0.0 : 1.0, can_be_true ? 1.0 : 0.0};
  }

  Range rangeOf(const Condition::Node& n) const {
    using Op = Condition::Node::Op;
    switch (n.op) {
      case Op::Const:
        return {n.value, n.value};
      case Op::Mood:
        return {0.0, 1.0};
      case Op::Turn:
        return {1.0, static_cast<double>(s_.max_turns)};
      case Op::Points:
        return points_[static_cast<std::size_t>(n.index)];
      case Op::Var:
        return variables_[static_cast<std::size_t>(n.index)];
      case Op::Not: {
        const Range a = rangeOf(*n.a);
        return truth(canBeFalse(a), canBeTrue(a));
      }
      case Op::And: {
        const Range a = rangeOf(*n.a), b = rangeOf(*n.b);
        return truth(canBeTrue(a) && canBeTrue(b), canBeFalse(a) || canBeFalse(b));
      }
      case Op::Or: {
        const Range a = rangeOf(*n.a), b = rangeOf(*n.b);
        return truth(canBeTrue(a) || canBeTrue(b), canBeFalse(a) && canBeFalse(b));
      }
      default:
        break;
    }
    const Range a = rangeOf(*n.a), b = rangeOf(*n.b);
    const bool overlap = a.lo <= b.hi && b.lo <= a.hi;
    const bool same_point = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo;
    switch (n.op) {
      case Op::Lt:
        return truth(a.lo < b.hi, a.hi >= b.lo);
      case Op::Le:
        return truth(a.lo <= b.hi, a.hi > b.lo);
      case Op::Gt:
        return truth(a.hi > b.lo, a.lo <= b.hi);
      case Op::Ge:
        return truth(a.hi >= b.lo, a.lo < b.hi);
      case Op::Eq:
        return truth(overlap, !same_point);
      case Op::Ne:
        return truth(!same_point, overlap);
      default:
        return {0.0, 1.0};
    }
  }

  // The names a condition reads, each once, with what they can be ("mood is always 0 to 1").
  void describeNames(const Condition::Node& n, std::vector<std::string>& out) const {
    using Op = Condition::Node::Op;
    std::string what;
    auto interval = [](Range r) {
      return r.lo == r.hi ? fmt::format("always {}", r.lo) : fmt::format("{} to {}", r.lo, r.hi);
    };
    switch (n.op) {
      case Op::Mood:
        what = "mood is always 0 to 1";
        break;
      case Op::Turn:
        what = fmt::format("turn is 1 to {} (max_turns) when a branch is tested", s_.max_turns);
        break;
      case Op::Points:
        if (n.index == static_cast<int>(Dimension::Promptness)) {
          what = "promptness is 0 to 100";
        } else {
          what =
              fmt::format("the running {} points are {}", toString(static_cast<Dimension>(n.index)),
                          interval(points_[static_cast<std::size_t>(n.index)]));
        }
        break;
      case Op::Var: {
        const Variable& v = s_.variables[static_cast<std::size_t>(n.index)];
        const Range r = variables_[static_cast<std::size_t>(n.index)];
        if (v.boolean)
          what = v.name + (r.lo == r.hi ? (r.lo != 0.0 ? " is always true (never set to false)"
                                                       : " is always false (never set to true)")
                                        : " is true or false");
        else
          what = v.name + " is " + interval(r);
        break;
      }
      default:
        break;
    }
    if (!what.empty() && std::find(out.begin(), out.end(), what) == out.end()) out.push_back(what);
    if (n.a) describeNames(*n.a, out);
    if (n.b) describeNames(*n.b, out);
  }

  // A branch whose condition can never hold is never taken: a typo (`mood > 2` for 0.2), a
  // variable nothing sets, points no conversation can add up to.
  void checkConditions() {
    const double turns = s_.max_turns;
    for (Dimension d : kAllDimensions) {
      const auto k = static_cast<std::size_t>(d);
      if (d == Dimension::Promptness) {
        points_[k] = {0.0, 100.0};
        continue;
      }
      double lo = 0.0, hi = 0.0;
      bool any = false;
      for (const ScriptNode& n : s_.nodes)
        for (const Choice& c : n.choices) {
          lo = any ? std::min(lo, c.points[k]) : c.points[k];
          hi = any ? std::max(hi, c.points[k]) : c.points[k];
          any = true;
        }
      points_[k] = {std::min(lo, turns * lo), std::max(hi, turns * hi)};
    }
    variables_.clear();
    for (std::size_t i = 0; i < s_.variables.size(); ++i) {
      Range r{s_.variables[i].initial, s_.variables[i].initial};
      double add_lo = 0.0, add_hi = 0.0;
      for (const ScriptNode& n : s_.nodes)
        for (const Choice& c : n.choices)
          for (const VariableChange& v : c.changes) {
            if (v.variable != static_cast<int>(i)) continue;
            if (v.add) {
              add_lo = std::min(add_lo, v.value);
              add_hi = std::max(add_hi, v.value);
            } else {
              r.lo = std::min(r.lo, v.value);
              r.hi = std::max(r.hi, v.value);
            }
          }
      variables_.push_back({r.lo + turns * add_lo, r.hi + turns * add_hi});
    }
    for (const ScriptNode& n : s_.nodes)
      for (std::size_t i = 0; i < n.choices.size(); ++i)
        for (std::size_t j = 0; j < n.choices[i].branches.size(); ++j) {
          const Branch& b = n.choices[i].branches[j];
          const Condition::Node* root = b.condition.root();
          if (!root || canBeTrue(rangeOf(*root))) continue;
          std::vector<std::string> names;
          describeNames(*root, names);
          std::string why;
          for (const std::string& w : names) why += (why.empty() ? "" : "; ") + w;
          fail(b.loc,
               "nodes." + n.id + ".choices[" + std::to_string(i) + "].branches[" +
                   std::to_string(j) + "].when",
               "the condition \"" + b.when + "\" can never hold" +
                   (why.empty() ? std::string() : " (" + why + ")") +
                   ", so this branch is never taken; correct the condition or remove the branch");
        }
  }

  bool checkCompletable() {
    const std::optional<BestPath> best = findBestPath(s_);
    if (!best)
      fail(s_.loc, "script",
           "no path completes the conversation without a compliance breach, the customer "
           "leaving or running past max_turns");
    return best.has_value();
  }

  // The graph says an ending can be reached from every node; with the conditions as they are,
  // a conversation may still get where no answer leads to one.
  void checkDeadEnds() {
    for (const DeadEnd& d : findDeadEnds(s_).dead_ends) {
      const ScriptNode& node = s_.nodes[static_cast<std::size_t>(d.node)];
      std::string path;
      for (int c : d.choices) path += (path.empty() ? "" : ",") + std::to_string(c + 1);
      std::string state = fmt::format("turn {}, mood {:.2f}", d.state.turn, d.state.mood);
      for (Dimension dim : kAllDimensions) {
        const double p = d.state.points[static_cast<std::size_t>(dim)];
        if (dim != Dimension::Promptness && p != 0.0)
          state += fmt::format(", {} {}", toString(dim), p);
      }
      for (std::size_t i = 0; i < s_.variables.size(); ++i) {
        const double v = d.state.variables[i];
        state += ", " + s_.variables[i].name + " = " +
                 (s_.variables[i].boolean ? (v != 0.0 ? "true" : "false") : fmt::format("{}", v));
      }
      fail(node.loc, "nodes." + node.id,
           fmt::format("a conversation can get stuck here: {} ({}), no answer without a "
                       "compliance breach can lead to an ending any more, so it goes on until "
                       "max_turns ({}) cuts it; check the conditions of the branches meant to "
                       "lead out of here (for this conversation none of them can send it to an "
                       "ending) or add a choice that leads to an ending",
                       d.choices.empty() ? "at the start" : "after choices " + path, state,
                       s_.max_turns));
    }
  }

  const RoleplayScript& s_;
  std::vector<Diagnostic> out_;
  std::array<Range, kDimensions> points_{};  // checkConditions: what names can be
  std::vector<Range> variables_;
};

std::vector<Diagnostic> checkScript(const RoleplayScript& script, bool whole) {
  return Checker(script).run(whole);
}

Diagnostic syntaxError(const std::string& file, const toml::parse_error& error) {
  return Diagnostic{file, locOf(error.source()), "",
                    "TOML syntax error: " + std::string(error.description())};
}

}  // namespace

std::vector<Diagnostic> checkRoleplayScript(const RoleplayScript& script) {
  return Checker(script).run(true);
}

RoleplayScript parseRoleplayScript(std::string_view toml_text, const std::string& name_for_errors) {
  toml::table root;
#if TOML_EXCEPTIONS
  try {
    root = toml::parse(toml_text, std::string_view(name_for_errors));
  } catch (const toml::parse_error& error) {
    throw RoleplayScriptError({syntaxError(name_for_errors, error)});
  }
#else
  toml::parse_result result = toml::parse(toml_text, std::string_view(name_for_errors));
  if (!result) throw RoleplayScriptError({syntaxError(name_for_errors, result.error())});
  root = std::move(result).table();
#endif
  ScriptLoader loader(name_for_errors);
  RoleplayScript script = loader.run(root);
  if (!loader.diagnostics().empty()) throw RoleplayScriptError(std::move(loader.diagnostics()));
  return script;
}

RoleplayScript loadRoleplayScript(const std::filesystem::path& file) {
  const std::string name = file.string();
  auto cannot = [&](const std::string& why) {
    return RoleplayScriptError({Diagnostic{name, {}, "", "cannot read role-play script: " + why}});
  };
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) throw cannot("no such file");
  if (fs::is_directory(status)) throw cannot("it is a folder");
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) throw cannot("the file could not be opened");
  std::ostringstream text;
  text << in.rdbuf();
  RoleplayScript script = parseRoleplayScript(text.str(), name);
  script.source_path = file;
  return script;
}

}  // namespace cx
