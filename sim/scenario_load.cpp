// Reading scenario files (TOML, DESIGN.md §5; reference in docs/SCENARIO_FORMAT.md).
//
// The loader checks the shape of the file — known keys, types, required keys, which of the two
// time forms — and fills a Scenario. The value rules (ranges, list lengths, unique ids) live in
// validateScenario() in scenario.cpp; the loader runs them on what it read and gives each
// finding the line and column of the key it names. Every problem is collected before throwing.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/calibration.hpp"
#include "sim/scenario.hpp"

namespace cx {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxCsvProblems = 5;  // per CSV file: after that, one summary line

SourceLoc locOf(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}
SourceLoc locOf(const toml::node& node) {
  return locOf(node.source());
}

// What a node is, for "expected X, got Y" messages.
std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string \"" + std::string(node.as_string()->get()) + "\"";
    case toml::node_type::integer:
      return fmt::format("integer {}", node.as_integer()->get());
    case toml::node_type::floating_point: {
      std::string text = fmt::format("{}", node.as_floating_point()->get());
      if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
      return "float " + text;
    }
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) {
    field = trim(field);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
      field = field.substr(1, field.size() - 2);
    }
    fields.push_back(field);
  }
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// "HH:MM" (or a TOML local time) -> seconds after midnight.
std::optional<double> parseClock(std::string_view text) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 3600.0 + minutes * 60.0;
}

class Loader {
 public:
  Loader(std::string file, fs::path base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  Scenario run(const toml::table& root) {
    Scenario s;
    checkKeys(root, "",
              {"scenario", "channels", "agent_groups", "costs", "intents", "bot", "journeys",
               "empowerment", "outcomes"});
    locs_[""] = locOf(root);
    readCalibration(root);  // first: it fills the keys the sections below leave out
    const toml::node* groups = field(root, "", "agent_groups");
    has_groups_ = groups != nullptr;
    if (const toml::node* node = field(root, "", "scenario")) {
      if (const toml::table* t = asTable(*node, "scenario", "a table ([scenario])")) {
        readScenarioTable(*t, s);
      }
    } else {
      missing(root, "scenario", "a [scenario] table");
    }
    if (const toml::node* node = field(root, "", "channels")) {
      readChannels(*node, s);
    } else {
      missing(root, "channels", "at least one [[channels]] table");
    }
    if (groups) readAgentGroups(*groups, s);
    for (Diagnostic& d : expandShifts(s))
      if (!suppressed(d.key)) fail(d.loc, d.key, std::move(d.message));
    if (const toml::node* node = field(root, "", "costs")) readCosts(*node, s);
    if (const toml::node* node = field(root, "", "intents")) readIntents(*node, s);
    if (const toml::node* node = field(root, "", "bot")) readBot(*node, s);
    if (const toml::node* node = field(root, "", "journeys")) readJourneys(*node, s);
    if (const toml::node* node = field(root, "", "empowerment")) readEmpowerment(*node, s);
    if (const toml::node* node = field(root, "", "outcomes")) readOutcomes(*node, s);
    applyEngineDefaults(s, calibration_.engine);
    addValueRuleFindings(s);
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
    return s;
  }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  // --- reporting -------------------------------------------------------------------------------

  void fail(SourceLoc loc, const std::string& key, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, loc, key, std::move(message)});
    failed_.insert(key);
  }
  void expected(const toml::node& node, const std::string& key, std::string_view what) {
    fail(locOf(node), key, "expected " + std::string(what) + ", got " + describe(node));
  }
  // A required key absent from `table`: reported at the table.
  void missing(const toml::node& table, const std::string& key, std::string_view what) {
    fail(locOf(table), key, "missing required key (expected " + std::string(what) + ")");
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  // The value of `key` in `table` (nullptr if absent); remembers where it is.
  const toml::node* field(const toml::table& table, const std::string& path, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node) locs_[join(path, key)] = locOf(*node);
    return node;
  }

  void checkKeys(const toml::table& table, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(locOf(key.source()), join(path, key.str()),
           "unknown key (expected one of: " + list + ")");
    }
  }

  // --- typed reads: nullopt / nullptr after reporting --------------------------------------

  const toml::table* asTable(const toml::node& node, const std::string& key,
                             std::string_view what) {
    if (const toml::table* t = node.as_table()) return t;
    expected(node, key, what);
    return nullptr;
  }

  std::optional<std::string> asString(const toml::node& node, const std::string& key) {
    if (const auto* v = node.as_string()) return v->get();
    expected(node, key, "a string");
    return std::nullopt;
  }

  std::optional<double> asNumber(const toml::node& node, const std::string& key,
                                 std::string_view what = "a number") {
    if (const auto* v = node.as_floating_point()) return v->get();
    if (const auto* v = node.as_integer()) return static_cast<double>(v->get());
    expected(node, key, what);
    return std::nullopt;
  }

  std::optional<std::int64_t> asInteger(const toml::node& node, const std::string& key,
                                        std::string_view what = "an integer") {
    if (const auto* v = node.as_integer()) return v->get();
    expected(node, key, what);
    return std::nullopt;
  }

  std::optional<int> asInt(const toml::node& node, const std::string& key,
                           std::string_view what = "an integer") {
    const auto v = asInteger(node, key, what);
    if (!v) return std::nullopt;
    if (*v < INT_MIN || *v > INT_MAX) {
      fail(locOf(node), key, fmt::format("expected a smaller integer, got {}", *v));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  // A scalar or an array of scalars, read with `one`. On an element's error the whole list is
  // marked failed (its length rules would only repeat the problem); the element keeps its place.
  template <typename T, typename ReadOne>
  std::optional<std::vector<T>> asList(const toml::node& node, const std::string& key,
                                       std::string_view what, ReadOne one) {
    std::vector<T> out;
    if (const toml::array* array = node.as_array()) {
      bool ok = true;
      for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        const std::string element_key = key + "[" + std::to_string(i) + "]";
        locs_[element_key] = locOf(element);
        const std::optional<T> v = one(element, element_key);
        ok = ok && v.has_value();
        out.push_back(v.value_or(T{}));
      }
      if (!ok) failed_.insert(key);
      return out;
    }
    if (node.is_table() || node.is_array_of_tables()) {
      expected(node, key, what);
      return std::nullopt;
    }
    const std::optional<T> v = one(node, key);
    if (!v) return std::nullopt;
    return std::vector<T>{*v};
  }

  // --- [scenario] --------------------------------------------------------------------------

  void readScenarioTable(const toml::table& t, Scenario& s) {
    const std::string path = "scenario";
    checkKeys(t, path,
              {"name", "horizon_hours", "warmup_hours", "days", "open", "interval_minutes", "seed",
               "replications"});
    if (const toml::node* n = field(t, path, "name")) {
      if (auto v = asString(*n, "scenario.name")) s.name = *v;
    } else {
      missing(t, "scenario.name", "a string");
    }

    const toml::node* horizon = field(t, path, "horizon_hours");
    const toml::node* days = field(t, path, "days");
    const toml::node* open = field(t, path, "open");
    if (horizon) {
      if (auto v = asNumber(*horizon, "scenario.horizon_hours")) s.horizon_hours = *v;
    }
    if (const toml::node* n = field(t, path, "warmup_hours")) {
      if (auto v = asNumber(*n, "scenario.warmup_hours")) s.warmup_hours = *v;
    }
    bool days_ok = true;
    if (days) {
      auto v = asInt(*days, "scenario.days");
      if (v && *v < 1) {
        fail(locOf(*days), "scenario.days",
             fmt::format("expected a whole number of days >= 1, got {}", *v));
      } else if (v) {
        s.days = *v;
      }
      days_ok = v && *v >= 1;
      if (!days_ok) {  // the form is unclear: its value rules would mislead
        failed_.insert("scenario.horizon_hours");
        failed_.insert("scenario.warmup_hours");
        failed_.insert("scenario.open");
      }
    }
    if (open) readOpen(*open, s);

    if (days_ok) checkForm(t, horizon, days, open);

    if (const toml::node* n = field(t, path, "interval_minutes")) {
      if (auto v = asNumber(*n, "scenario.interval_minutes")) s.interval_minutes = *v;
    }
    if (const toml::node* n = field(t, path, "seed")) {
      if (auto v = asInteger(*n, "scenario.seed", "a non-negative integer")) {
        if (*v < 0) {
          fail(locOf(*n), "scenario.seed",
               fmt::format("expected a non-negative integer, got {}", *v));
        } else {
          s.seed = static_cast<std::uint64_t>(*v);
        }
      }
    }
    if (const toml::node* n = field(t, path, "replications")) {
      if (auto v = asInt(*n, "scenario.replications")) s.replications = *v;
    }
  }

  // Exactly one of the two time forms (DESIGN.md §5), given the keys present.
  void checkForm(const toml::table& t, const toml::node* horizon, const toml::node* days,
                 const toml::node* open) {
    if (horizon && days) {
      fail(locOf(*horizon), "scenario.horizon_hours",
           "horizon_hours (continuous form) and days (day-structured form) exclude each other: "
           "give one of them");
    } else if (!horizon && !days) {
      missing(t, "scenario.horizon_hours",
              "horizon_hours for a continuous run, or days and open for a day-structured one");
    } else if (days && !open) {
      missing(t, "scenario.open", "open = \"HH:MM\", the opening time, with days");
    } else if (open && !days) {
      fail(locOf(*open), "scenario.open", "only used with days (the day-structured form)");
    }
  }

  void readOpen(const toml::node& node, Scenario& s) {
    if (auto v = asClock(node, "scenario.open")) s.open_s = *v;
  }

  // "HH:MM" (or a TOML time) -> seconds after midnight.
  std::optional<double> asClock(const toml::node& node, const std::string& key) {
    if (const auto* text = node.as_string()) {
      if (auto seconds = parseClock(text->get())) return seconds;
      fail(locOf(node), key,
           "expected a time \"HH:MM\" from 00:00 to 23:59, got \"" + text->get() + "\"");
    } else if (const auto* time = node.as_time()) {
      const toml::time t = time->get();
      return t.hour * 3600.0 + t.minute * 60.0 + t.second;
    } else {
      expected(node, key, "a time \"HH:MM\"");
    }
    return std::nullopt;
  }

  // `shifts = [{ start = "08:00", hours = 8, agents = 10, breaks = [...] }, ...]`
  std::vector<ShiftSpec> readShifts(const toml::node& node, const std::string& key) {
    std::vector<ShiftSpec> out;
    const toml::array* array = node.as_array();
    if (!array || array->empty()) {
      expected(node, key,
               "an array of shifts such as [{ start = \"08:00\", hours = 8, agents = 10 }]");
      return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string k = key + "[" + std::to_string(i) + "]";
      const toml::table* t = asTable(
          *array->get(i), k, "a table such as { start = \"08:00\", hours = 8, agents = 10 }");
      if (!t) continue;
      ShiftSpec& sh = out.emplace_back();
      sh.loc = locOf(*t);
      checkKeys(*t, k, {"start", "hours", "agents", "breaks"});
      if (const toml::node* n = field(*t, k, "start")) {
        if (auto v = asClock(*n, k + ".start")) sh.start_s = *v;
      } else {
        missing(*t, k + ".start", "start = \"HH:MM\", the clock time the shift starts");
      }
      if (const toml::node* n = field(*t, k, "hours")) {
        if (auto v = asNumber(*n, k + ".hours")) sh.hours = *v;
      } else {
        missing(*t, k + ".hours", "hours = 8, the shift's length with its breaks");
      }
      if (const toml::node* n = field(*t, k, "agents")) {
        if (auto v = asInt(*n, k + ".agents")) sh.agents = *v;
      } else {
        missing(*t, k + ".agents", "agents = 10, how many agents work the shift");
      }
      if (const toml::node* n = field(*t, k, "breaks")) readBreaks(*n, k + ".breaks", sh);
    }
    return out;
  }

  void readBreaks(const toml::node& node, const std::string& key, ShiftSpec& sh) {
    const toml::array* array = node.as_array();
    if (!array) {
      expected(node, key, "an array of { start = \"HH:MM\", minutes = 30 } tables");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string k = key + "[" + std::to_string(i) + "]";
      const toml::table* t =
          asTable(*array->get(i), k, "a table such as { start = \"12:00\", minutes = 30 }");
      if (!t) continue;
      checkKeys(*t, k, {"start", "minutes"});
      ShiftSpec::Break& b = sh.breaks.emplace_back();
      if (const toml::node* n = field(*t, k, "start")) {
        if (auto v = asClock(*n, k + ".start")) b.start_s = *v;
      } else {
        missing(*t, k + ".start", "start = \"HH:MM\", when the break starts");
      }
      if (const toml::node* n = field(*t, k, "minutes")) {
        if (auto v = asNumber(*n, k + ".minutes")) b.minutes = *v;
      } else {
        missing(*t, k + ".minutes", "minutes = 30, the break's length");
      }
    }
  }

  // `agents` or `shifts` of a channel or group (exactly one of them).
  void readStaffing(const toml::table& t, const std::string& key, std::vector<int>& agents,
                    std::vector<ShiftSpec>& shifts, std::string_view missing_what) {
    const toml::node* a = field(t, key, "agents");
    const toml::node* sh = field(t, key, "shifts");
    if (a && sh)
      fail(locOf(*sh), key + ".shifts",
           "give agents or shifts, not both (shifts set the agents of each interval)");
    if (a) {
      if (auto v = readAgents(*a, key + ".agents")) agents = std::move(*v);
    } else if (sh) {
      shifts = readShifts(*sh, key + ".shifts");
    } else {
      missing(t, key + ".agents", missing_what);
    }
  }

  // --- [[channels]] ------------------------------------------------------------------------

  void readChannels(const toml::node& node, Scenario& s) {
    const toml::array* array = node.as_array();
    if (!array) {
      expected(node, "channels", "an array of tables ([[channels]])");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string key = "channels[" + std::to_string(i) + "]";
      locs_[key] = locOf(element);
      ChannelSpec& ch = s.channels.emplace_back();
      ch.loc = locOf(element);
      if (const toml::table* t = asTable(element, key, "a table ([[channels]])")) {
        readChannel(*t, key, ch);
      }
    }
  }

  void readChannel(const toml::table& t, const std::string& key, ChannelSpec& ch) {
    checkKeys(t, key,
              {"id", "kind", "agents", "shifts", "arrivals", "handle_time", "patience",
               "balk_probability", "service_level", "concurrency", "concurrency_slowdown",
               "silent_abandon", "silent_discovery_s"});
    if (const toml::node* n = field(t, key, "id")) {
      if (auto v = asString(*n, key + ".id")) ch.id = *v;
    } else {
      missing(t, key + ".id", "a string such as \"phone\"");
    }

    if (const toml::node* n = field(t, key, "kind")) {
      if (auto v = asString(*n, key + ".kind")) {
        if (auto kind = channelKindFromString(*v)) {
          ch.kind = *kind;
        } else {
          fail(locOf(*n), key + ".kind",
               "expected one of: voice, chat, email, messaging, got \"" + *v + "\"");
        }
      }
    } else {
      missing(t, key + ".kind", "one of: voice, chat, email, messaging");
    }

    if (has_groups_) {
      for (const char* k : {"agents", "shifts"})
        if (const toml::node* n = field(t, key, k))
          fail(locOf(*n), key + "." + k,
               "not used when [[agent_groups]] are given: staffing is set per group");
    } else {
      readStaffing(t, key, ch.agents, ch.shifts,
                   "an integer or an array of integers, one per interval, or shifts (or "
                   "[[agent_groups]])");
    }

    if (const toml::node* n = field(t, key, "arrivals")) {
      if (const toml::table* a =
              asTable(*n, key + ".arrivals", "a table such as { per_hour = 600 }")) {
        readArrivals(*a, key + ".arrivals", ch.arrivals);
      }
    } else {
      missing(t, key + ".arrivals", "a table such as { per_hour = 600 }");
    }

    if (const toml::node* n = field(t, key, "handle_time")) {
      if (auto d = readDist(*n, key + ".handle_time")) ch.handle_time = std::move(*d);
    } else {
      missing(t, key + ".handle_time", "a distribution table");
    }
    if (const toml::node* n = field(t, key, "patience")) {
      if (auto d = readDist(*n, key + ".patience")) ch.patience = std::move(*d);
    }

    if (const toml::node* n = field(t, key, "balk_probability")) {
      if (auto v = asNumber(*n, key + ".balk_probability")) ch.balk_probability = *v;
    }

    if (const toml::node* n = field(t, key, "concurrency")) {
      if (auto v = asInt(*n, key + ".concurrency", "an integer number of chats"))
        ch.concurrency = *v;
    }
    // Left out: the calibration's curve (applyEngineDefaults, once every section is read).
    if (const toml::node* n = field(t, key, "concurrency_slowdown")) {
      ch.concurrency_slowdown_given = true;
      auto v = asList<double>(
          *n, key + ".concurrency_slowdown",
          "an array of handle-time factors, one per number of chats held (1, 2, ...)",
          [&](const toml::node& e, const std::string& k) { return asNumber(e, k); });
      if (v) ch.concurrency_slowdown = std::move(*v);
    }
    if (const toml::node* n = field(t, key, "silent_abandon")) {
      if (auto v = asNumber(*n, key + ".silent_abandon")) ch.silent_abandon = *v;
    }
    ch.silent_discovery_s_given = readNumber(t, key, "silent_discovery_s", ch.silent_discovery_s);

    if (const toml::node* n = field(t, key, "service_level")) {
      const std::string path = key + ".service_level";
      if (const toml::table* sl =
              asTable(*n, path, "a table such as { threshold_s = 20, target = 0.8 }")) {
        checkKeys(*sl, path, {"threshold_s", "target"});
        ServiceLevelSpec& level = ch.service_level;
        level.threshold_s_given = readNumber(*sl, path, "threshold_s", level.threshold_s);
        level.target_given = readNumber(*sl, path, "target", level.target);
      }
    }
  }

  std::optional<std::vector<int>> readAgents(const toml::node& n, const std::string& key) {
    return asList<int>(
        n, key, "an integer or an array of integers",
        [&](const toml::node& e, const std::string& k) { return asInt(e, k, "an integer"); });
  }

  // --- [[agent_groups]] --------------------------------------------------------------------

  void readAgentGroups(const toml::node& node, Scenario& s) {
    const toml::array* array = node.as_array();
    if (!array || array->empty()) {
      expected(node, "agent_groups", "an array of tables ([[agent_groups]])");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string key = "agent_groups[" + std::to_string(i) + "]";
      locs_[key] = locOf(element);
      AgentGroupSpec& g = s.agent_groups.emplace_back();
      g.loc = locOf(element);
      const toml::table* t = asTable(element, key, "a table ([[agent_groups]])");
      if (!t) continue;
      checkKeys(*t, key,
                {"id", "channels", "agents", "shifts", "intents", "proficiency", "cost_per_hour",
                 "empathy", "professionalism", "fcr_uplift"});
      if (const toml::node* n = field(*t, key, "id")) {
        if (auto v = asString(*n, key + ".id")) g.id = *v;
      } else {
        missing(*t, key + ".id", "a string such as \"generalists\"");
      }
      if (const toml::node* n = field(*t, key, "channels")) {
        auto v = asList<std::string>(
            *n, key + ".channels", "a list of channel ids, highest priority first",
            [&](const toml::node& e, const std::string& k) { return asString(e, k); });
        if (v) g.channels = std::move(*v);
      } else {
        missing(*t, key + ".channels",
                "the ids of the channels it serves, highest priority first, e.g. [\"phone\"]");
      }
      if (const toml::node* n = field(*t, key, "intents")) {
        auto v = asList<std::string>(
            *n, key + ".intents", "a list of intent ids, e.g. [\"billing\", \"fault\"]",
            [&](const toml::node& e, const std::string& k) { return asString(e, k); });
        if (v) g.intents = std::move(*v);
      }
      readStaffing(*t, key, g.agents, g.shifts,
                   "an integer or an array of integers, one per interval, or shifts");
      if (const toml::node* n = field(*t, key, "proficiency")) {
        if (auto v = asNumber(*n, key + ".proficiency")) g.proficiency = *v;
      }
      if (const toml::node* n = field(*t, key, "cost_per_hour")) {
        if (auto v = asNumber(*n, key + ".cost_per_hour")) g.cost_per_hour = *v;
      }
      g.empathy_given = readNumber(*t, key, "empathy", g.empathy);
      g.professionalism_given = readNumber(*t, key, "professionalism", g.professionalism);
      readNumber(*t, key, "fcr_uplift", g.fcr_uplift);
    }
  }

  // --- [[intents]] and [bot] ----------------------------------------------------------------

  // An optional number; returns whether the key is there (read or reported).
  template <typename T>
  bool readNumber(const toml::table& t, const std::string& path, std::string_view key, T& out) {
    const toml::node* n = field(t, path, key);
    if (!n) return false;
    if (auto v = asNumber(*n, join(path, key))) out = *v;
    return true;
  }

  void readIntents(const toml::node& node, Scenario& s) {
    const toml::array* array = node.as_array();
    if (!array || array->empty()) {
      expected(node, "intents", "an array of tables ([[intents]])");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string key = "intents[" + std::to_string(i) + "]";
      locs_[key] = locOf(element);
      IntentSpec& in = s.intents.emplace_back();
      in.loc = locOf(element);
      const toml::table* t = asTable(element, key, "a table ([[intents]])");
      if (!t) continue;
      checkKeys(
          *t, key,
          {"id", "complexity", "handle_factor", "fcr", "bot_containment", "share", "transfer"});
      if (const toml::node* n = field(*t, key, "id")) {
        if (auto v = asString(*n, key + ".id")) in.id = *v;
      } else {
        missing(*t, key + ".id", "a string such as \"order_status\"");
      }
      if (const toml::node* n = field(*t, key, "complexity")) {
        if (auto v = asString(*n, key + ".complexity")) {
          if (auto c = complexityFromString(*v)) {
            in.complexity = *c;
          } else {
            fail(locOf(*n), key + ".complexity",
                 "expected one of: routine, complex, emotional, got \"" + *v + "\"");
          }
        }
      }
      readNumber(*t, key, "handle_factor", in.handle_factor);
      in.fcr_given = readNumber(*t, key, "fcr", in.fcr);
      if (const toml::node* n = field(*t, key, "bot_containment")) {
        if (auto v = asNumber(*n, key + ".bot_containment")) in.bot_containment = *v;
      }
      if (const toml::node* n = field(*t, key, "share")) {
        const std::string path = key + ".share";
        if (const toml::table* sh =
                asTable(*n, path, "a table of channel shares such as { phone = 0.3 }")) {
          for (auto&& [channel, value] : *sh) {
            const std::string k = path + "." + std::string(channel.str());
            locs_[k] = locOf(value);
            if (auto v = asNumber(value, k)) in.share.emplace_back(channel.str(), *v);
          }
        }
      } else {
        missing(*t, key + ".share", "a table of channel shares such as { phone = 0.3 }");
      }
      if (const toml::node* n = field(*t, key, "transfer")) readTransfer(*n, key + ".transfer", in);
    }
  }

  // transfer = { to = "specialists", share = 0.8, after = { dist = ..., mean_s = 90 } }
  void readTransfer(const toml::node& node, const std::string& key, IntentSpec& in) {
    const toml::table* t =
        asTable(node, key, "a table such as { to = \"specialists\", share = 0.8 }");
    if (!t) return;
    locs_[key] = locOf(node);
    TransferSpec& tr = in.transfer.emplace();
    tr.loc = locOf(node);
    checkKeys(*t, key, {"to", "share", "after"});
    if (const toml::node* n = field(*t, key, "to")) {
      if (auto v = asString(*n, key + ".to")) tr.to = *v;
    } else {
      missing(*t, key + ".to", "the id of the specialists' agent group");
    }
    readNumber(*t, key, "share", tr.share);
    if (const toml::node* n = field(*t, key, "after")) {
      if (auto d = readDist(*n, key + ".after")) tr.after = std::move(*d);
    }
  }

  // [empowerment]: extra time for customers who need it.
  void readEmpowerment(const toml::node& node, Scenario& s) {
    const toml::table* t = asTable(node, "empowerment", "a table ([empowerment])");
    if (!t) return;
    locs_["empowerment"] = locOf(node);
    EmpowermentSpec& e = s.empowerment.emplace();
    e.loc = locOf(node);
    checkKeys(*t, "empowerment", {"extra_minutes", "needs", "use", "fcr_gain"});
    e.extra_minutes_given = readNumber(*t, "empowerment", "extra_minutes", e.extra_minutes);
    readNumber(*t, "empowerment", "use", e.use);
    readNumber(*t, "empowerment", "fcr_gain", e.fcr_gain);
    if (const toml::node* n = field(*t, "empowerment", "needs")) {
      auto v = asList<std::string>(
          *n, "empowerment.needs", "a list of complexities, e.g. [\"complex\", \"emotional\"]",
          [&](const toml::node& e, const std::string& k) { return asString(e, k); });
      if (v) {
        e.needs.clear();
        for (std::size_t i = 0; i < v->size(); ++i) {
          if (auto c = complexityFromString((*v)[i]))
            e.needs.push_back(*c);
          else
            fail(locOf(*n), fmt::format("empowerment.needs[{}]", i),
                 "expected one of: routine, complex, emotional, got \"" + (*v)[i] + "\"");
        }
      }
    }
  }

  void readBot(const toml::node& node, Scenario& s) {
    const toml::table* t = asTable(node, "bot", "a table ([bot])");
    if (!t) return;
    BotSpec& b = s.bot.emplace();
    b.loc = locOf(node);
    const std::string path = "bot";
    checkKeys(*t, path,
              {"channels", "conversation", "containment", "escalation", "cold_handle_factor",
               "loop_turns", "turn_s", "loop_abandon", "false_containment",
               "escalated_handle_factor", "cost_per_conversation"});
    if (const toml::node* n = field(*t, path, "channels")) {
      auto v = asList<std::string>(
          *n, "bot.channels", "a list of channel ids",
          [&](const toml::node& e, const std::string& k) { return asString(e, k); });
      if (v) b.channels = std::move(*v);
    } else {
      missing(*t, "bot.channels", "the ids of the channels it answers first, e.g. [\"chat\"]");
    }
    if (const toml::node* n = field(*t, path, "conversation")) {
      if (auto d = readDist(*n, "bot.conversation")) b.conversation = std::move(*d);
    } else {
      missing(*t, "bot.conversation", "a distribution table of the time spent with the bot");
    }
    readNumber(*t, path, "containment", b.containment);
    if (const toml::node* n = field(*t, path, "escalation")) {
      if (auto v = asString(*n, "bot.escalation")) {
        if (*v == "warm" || *v == "cold") {
          b.cold = *v == "cold";
        } else {
          fail(locOf(*n), "bot.escalation", "expected \"warm\" or \"cold\", got \"" + *v + "\"");
        }
      }
    }
    readNumber(*t, path, "cold_handle_factor", b.cold_handle_factor);
    if (const toml::node* n = field(*t, path, "loop_turns")) {
      if (auto v = asInt(*n, "bot.loop_turns")) b.loop_turns = *v;
    }
    b.turn_s_given = readNumber(*t, path, "turn_s", b.turn_s);
    readNumber(*t, path, "loop_abandon", b.loop_abandon);
    readNumber(*t, path, "false_containment", b.false_containment);
    readNumber(*t, path, "escalated_handle_factor", b.escalated_handle_factor);
    readNumber(*t, path, "cost_per_conversation", b.cost_per_conversation);
  }

  // --- [journeys] --------------------------------------------------------------------------

  void readJourneys(const toml::node& node, Scenario& s) {
    const toml::table* t = asTable(node, "journeys", "a table ([journeys])");
    if (!t) return;
    JourneySpec& j = s.journeys.emplace();
    j.loc = locOf(node);
    const std::string path = "journeys";
    checkKeys(*t, path,
              {"retry_unresolved", "retry_abandoned", "delay", "switch", "shared_context",
               "repeat_handle_factor", "repeat_fcr_factor", "max_contacts", "promise_follow_up",
               "broken_promise"});
    readNumber(*t, path, "retry_unresolved", j.retry_unresolved);
    readNumber(*t, path, "retry_abandoned", j.retry_abandoned);
    if (const toml::node* n = field(*t, path, "delay")) {
      if (auto d = readDist(*n, "journeys.delay")) j.delay = std::move(*d);
    } else {
      missing(*t, "journeys.delay", "a distribution table of the time until the next attempt");
    }
    if (const toml::node* n = field(*t, path, "switch")) {
      const char* what = "a table of rows such as { chat = { chat = 0.6, phone = 0.4 } }";
      if (const toml::table* rows = asTable(*n, "journeys.switch", what)) {
        for (auto&& [from, row_node] : *rows) {
          const std::string key = "journeys.switch." + std::string(from.str());
          locs_[key] = locOf(row_node);
          const toml::table* row = asTable(row_node, key, "a table such as { phone = 0.4 }");
          if (!row) continue;
          auto& out = j.switch_rows.emplace_back(std::string(from.str()),
                                                 std::vector<std::pair<std::string, double>>{});
          for (auto&& [to, p] : *row) {
            const std::string k = key + "." + std::string(to.str());
            locs_[k] = locOf(p);
            if (auto v = asNumber(p, k)) out.second.emplace_back(std::string(to.str()), *v);
          }
        }
      }
    }
    if (const toml::node* n = field(*t, path, "shared_context")) {
      if (const auto* v = n->as_boolean()) {
        j.shared_context = v->get();
      } else {
        expected(*n, "journeys.shared_context", "true or false");
      }
    }
    readNumber(*t, path, "repeat_handle_factor", j.repeat_handle_factor);
    readNumber(*t, path, "repeat_fcr_factor", j.repeat_fcr_factor);
    readNumber(*t, path, "promise_follow_up", j.promise_follow_up);
    readNumber(*t, path, "broken_promise", j.broken_promise);
    if (const toml::node* n = field(*t, path, "max_contacts")) {
      j.max_contacts_given = true;
      if (auto v = asInt(*n, "journeys.max_contacts")) j.max_contacts = *v;
    }
  }

  // --- the calibration in force, [outcomes] and [costs] ------------------------------------

  // The calibration in force (docs/CX_MODEL.md, "Engine defaults"): data/calibration.toml
  // (defaultCalibrationPath()), with the file of `[outcomes] calibration` on top. Read before
  // any section, since it fills the keys they leave out, and for every scenario: a shipped file
  // that cannot be read or is invalid is an error even without [outcomes], as the values a
  // scenario leaves out would otherwise come from numbers nobody can see. A problem with it is
  // reported with the calibration file's line and key; the loading goes on with the in-code
  // defaults so that the scenario's own problems are reported too.
  void readCalibration(const toml::table& root) {
    try {
      calibration_ = loadCalibration(defaultCalibrationPath());
    } catch (const CalibrationError& e) {
      for (Diagnostic d : e.diagnostics()) {
        if (d.loc.line == 0)  // cannot be read at all: say why a scenario needs it
          d.message +=
              " (every scenario's defaults come from data/calibration.toml, looked for under "
              "the current folder, then in the data folder of the source tree)";
        diagnostics_.push_back(std::move(d));
      }
      calibration_ = Calibration{};
      return;
    }
    calibration_ok_ = true;
    const toml::table* outcomes = root.get_as<toml::table>("outcomes");
    const toml::node* n = outcomes ? outcomes->get("calibration") : nullptr;
    if (!n || !n->is_string()) return;  // readOutcomes reports a value that is not a string
    const std::string relative = n->as_string()->get();
    const fs::path path = (base_dir_ / fs::path(relative)).lexically_normal();
    std::error_code ec;
    std::ifstream in;
    if (fs::is_regular_file(path, ec)) in.open(path);
    if (!in.is_open()) {
      fail(locOf(*n), "outcomes.calibration",
           "cannot read \"" + relative + "\" (looked for " + path.string() + ")");
      calibration_ok_ = false;
      return;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
      calibration_ = parseCalibration(text.str(), path.string(), &calibration_);
    } catch (const CalibrationError& e) {
      for (const Diagnostic& d : e.diagnostics()) diagnostics_.push_back(d);
      calibration_ok_ = false;
    }
  }

  // [outcomes]: the customer base and the calibration of the outcome models.
  void readOutcomes(const toml::node& node, Scenario& s) {
    const toml::table* t = asTable(node, "outcomes", "a table ([outcomes])");
    if (!t) return;
    locs_["outcomes"] = locOf(node);
    OutcomesSpec& o = s.outcomes.emplace();
    o.loc = locOf(node);
    checkKeys(*t, "outcomes", {"customers", "value_per_year", "response_rate", "calibration"});
    if (const toml::node* n = field(*t, "outcomes", "customers")) {
      if (auto v = asInteger(*n, "outcomes.customers", "a whole number of customers"))
        o.customers = static_cast<long>(*v);
    } else {
      missing(*t, "outcomes.customers", "the size of the customer base, e.g. 200000");
    }
    if (const toml::node* n = field(*t, "outcomes", "value_per_year")) {
      if (auto v = asNumber(*n, "outcomes.value_per_year")) o.value_per_year = *v;
    }
    if (const toml::node* n = field(*t, "outcomes", "response_rate")) {
      if (auto v = asNumber(*n, "outcomes.response_rate")) o.response_rate = *v;
    }
    // The file itself was read first (readCalibration); a problem with it is reported there.
    if (const toml::node* n = field(*t, "outcomes", "calibration")) {
      if (auto relative = asString(*n, "outcomes.calibration")) o.calibration_file = *relative;
    }
    if (!calibration_ok_) return;
    Calibration calibration = calibration_;
    if (o.value_per_year) calibration.customers.value_per_year = *o.value_per_year;
    if (o.response_rate) calibration.satisfaction.response_rate = *o.response_rate;
    o.calibration = std::make_shared<const Calibration>(std::move(calibration));
  }

  void readCosts(const toml::node& node, Scenario& s) {
    const toml::table* t = asTable(node, "costs", "a table ([costs])");
    if (!t) return;
    CostSpec& costs = s.costs.emplace();
    costs.loc = locOf(node);
    checkKeys(*t, "costs", {"agent_per_hour", "shrinkage"});
    if (const toml::node* n = field(*t, "costs", "agent_per_hour")) {
      if (auto v = asNumber(*n, "costs.agent_per_hour")) costs.agent_per_hour = *v;
    } else {
      missing(*t, "costs.agent_per_hour", "the cost of one paid agent hour, e.g. 32.5");
    }
    if (const toml::node* n = field(*t, "costs", "shrinkage")) {
      if (auto v = asNumber(*n, "costs.shrinkage")) costs.shrinkage = *v;
    }
  }

  void readArrivals(const toml::table& t, const std::string& path, ArrivalSpec& arrivals) {
    checkKeys(t, path, {"per_hour", "busyness_alpha", "day_factors"});
    if (const toml::node* n = field(t, path, "per_hour")) {
      auto v =
          asList<double>(*n, path + ".per_hour", "a number or an array of numbers",
                         [&](const toml::node& e, const std::string& k) { return asNumber(e, k); });
      if (v) arrivals.per_hour = std::move(*v);
    } else {
      missing(t, path + ".per_hour", "a number or an array of numbers (contacts per hour)");
    }
    if (const toml::node* n = field(t, path, "busyness_alpha")) {
      if (auto v = asNumber(*n, path + ".busyness_alpha")) {
        // 0 means "off" in the struct; in a file, leaving the key out says that.
        if (!(*v > 0.0)) {
          fail(locOf(*n), path + ".busyness_alpha",
               fmt::format("expected a positive number (omit the key for no daily variation), "
                           "got {}",
                           *v));
        } else {
          arrivals.busyness_alpha = *v;
        }
      }
    }
    if (const toml::node* n = field(t, path, "day_factors")) {
      auto v =
          asList<double>(*n, path + ".day_factors", "an array of numbers, one per day of a cycle",
                         [&](const toml::node& e, const std::string& k) { return asNumber(e, k); });
      if (v) arrivals.day_factors = std::move(*v);
    }
  }

  // --- distributions ------------------------------------------------------------------------

  // Reads a distribution table; on any problem reports it, marks `key` failed (so the value
  // rules do not also complain about the half-filled spec) and returns nullopt.
  std::optional<DistSpec> readDist(const toml::node& node, const std::string& key) {
    std::optional<DistSpec> d;
    if (const toml::table* t = asTable(
            node, key, "a distribution table such as { dist = \"exponential\", mean_s = 240 }")) {
      d = readDistTable(*t, key);
    }
    if (!d) failed_.insert(key);
    return d;
  }

  std::optional<DistSpec> readDistTable(const toml::table& t, const std::string& key) {
    const toml::node* dist = field(t, key, "dist");
    if (!dist) {
      missing(t, key + ".dist", "one of: exponential, lognormal, gamma, deterministic, empirical");
      return std::nullopt;
    }
    const auto name = asString(*dist, key + ".dist");
    if (!name) return std::nullopt;
    const auto kind = distKindFromString(*name);
    if (!kind) {
      fail(locOf(*dist), key + ".dist",
           "expected one of: exponential, lognormal, gamma, deterministic, empirical, got \"" +
               *name + "\"");
      return std::nullopt;
    }
    // A required number in this table.
    auto need = [&](std::string_view k, std::string_view what) -> std::optional<double> {
      if (const toml::node* n = field(t, key, k)) return asNumber(*n, join(key, k));
      missing(t, join(key, k), what);
      return std::nullopt;
    };

    switch (*kind) {
      case DistSpec::Kind::Exponential: {
        checkKeys(t, key, {"dist", "mean_s"});
        const auto mean = need("mean_s", "the mean in seconds");
        if (!mean) return std::nullopt;
        return DistSpec::exponential(*mean);
      }
      case DistSpec::Kind::Lognormal: {
        checkKeys(t, key, {"dist", "mean_s", "cv"});
        const auto mean = need("mean_s", "the mean in seconds");
        const auto cv = need("cv", "the coefficient of variation (sd / mean)");
        if (!mean || !cv) return std::nullopt;
        return DistSpec::lognormal(*mean, *cv);
      }
      case DistSpec::Kind::Gamma:
        return readGamma(t, key, need);
      case DistSpec::Kind::Deterministic: {
        checkKeys(t, key, {"dist", "value_s", "mean_s"});
        const toml::node* value = field(t, key, "value_s");
        const toml::node* mean = field(t, key, "mean_s");
        if (value && mean) {
          fail(locOf(*mean), key + ".mean_s", "give value_s or mean_s, not both");
          return std::nullopt;
        }
        if (!value && !mean) {
          missing(t, key + ".value_s", "the value in seconds (value_s or mean_s)");
          return std::nullopt;
        }
        if (value) alias_[key + ".mean_s"] = key + ".value_s";
        const auto v = asNumber(value ? *value : *mean, key + (value ? ".value_s" : ".mean_s"));
        if (!v) return std::nullopt;
        return DistSpec::deterministic(*v);
      }
      case DistSpec::Kind::Empirical:
        return readEmpirical(t, key);
    }
    return std::nullopt;
  }

  template <typename Need>
  std::optional<DistSpec> readGamma(const toml::table& t, const std::string& key, Need& need) {
    checkKeys(t, key, {"dist", "mean_s", "cv", "shape", "scale_s"});
    const bool moments = t.contains("mean_s") || t.contains("cv");
    const bool shape_scale = t.contains("shape") || t.contains("scale_s");
    if (moments && shape_scale) {
      fail(locOf(t), key, "expected mean_s and cv, or shape and scale_s, not a mix");
      return std::nullopt;
    }
    if (!shape_scale) {
      const auto mean = need("mean_s", "the mean in seconds");
      const auto cv = need("cv", "the coefficient of variation (sd / mean)");
      if (!mean || !cv) return std::nullopt;
      return DistSpec::gamma(*mean, *cv);
    }
    const auto shape = need("shape", "the shape k (with scale_s)");
    const auto scale = need("scale_s", "the scale in seconds (with shape)");
    bool ok = shape && scale;
    if (shape && !(std::isfinite(*shape) && *shape > 0.0)) {
      fail(locOf(*t.get("shape")), key + ".shape",
           fmt::format("expected a positive number, got {}", *shape));
      ok = false;
    }
    if (scale && !(std::isfinite(*scale) && *scale > 0.0)) {
      fail(locOf(*t.get("scale_s")), key + ".scale_s",
           fmt::format("expected a positive number of seconds, got {}", *scale));
      ok = false;
    }
    if (!ok) return std::nullopt;
    return DistSpec::gamma(*shape * *scale, 1.0 / std::sqrt(*shape));
  }

  std::optional<DistSpec> readEmpirical(const toml::table& t, const std::string& key) {
    checkKeys(t, key, {"dist", "values_s", "file", "column"});
    const toml::node* values = field(t, key, "values_s");
    const toml::node* file = field(t, key, "file");
    const toml::node* column = field(t, key, "column");
    std::optional<std::string> column_name;
    if (column) {
      column_name = asString(*column, key + ".column");
      if (!column_name) return std::nullopt;
      if (!file) {
        fail(locOf(*column), key + ".column", "only used with file");
        return std::nullopt;
      }
    }
    if (values && file) {
      fail(locOf(*file), key + ".file", "give values_s or file, not both");
      return std::nullopt;
    }
    if (values) {
      if (!values->is_array()) {
        expected(*values, key + ".values_s", "an array of numbers");
        return std::nullopt;
      }
      auto v =
          asList<double>(*values, key + ".values_s", "an array of numbers",
                         [&](const toml::node& e, const std::string& k) { return asNumber(e, k); });
      if (!v || failed_.count(key + ".values_s")) return std::nullopt;
      return DistSpec::empirical(std::move(*v));
    }
    if (!file) {
      missing(t, key + ".values_s", "values_s = [...] or file = \"path.csv\"");
      return std::nullopt;
    }
    const auto relative = asString(*file, key + ".file");
    if (!relative) return std::nullopt;
    alias_[key + ".values_s"] = key + ".file";
    return readCsv(*file, column, key, *relative, column_name);
  }

  // One column of a CSV file: a header line, `#` comment lines, numbers >= 0.
  std::optional<DistSpec> readCsv(const toml::node& file_node, const toml::node* column_node,
                                  const std::string& key, const std::string& relative,
                                  const std::optional<std::string>& column) {
    const std::string file_key = key + ".file";
    const fs::path path = (base_dir_ / fs::path(relative)).lexically_normal();
    std::error_code ec;
    std::ifstream in;
    if (fs::is_regular_file(path, ec)) in.open(path);
    if (!in.is_open()) {
      fail(locOf(file_node), file_key,
           "cannot read \"" + relative + "\" (looked for " + path.string() + ")");
      return std::nullopt;
    }
    std::vector<double> values;
    std::optional<std::size_t> index;  // set once the header is read
    std::vector<std::string> header;
    int problems = 0;
    std::string line;
    for (int line_no = 1; std::getline(in, line); ++line_no) {
      const std::string text = trim(line);
      if (text.empty() || text.front() == '#') continue;
      if (!index) {
        header = splitCsvLine(text);
        const auto it = column ? std::find(header.begin(), header.end(), *column) : header.begin();
        if (it == header.end()) {
          std::string names;
          for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
          fail(locOf(*column_node), key + ".column",
               "no column \"" + *column + "\" in " + relative + " (columns: " + names + ")");
          return std::nullopt;
        }
        index = static_cast<std::size_t>(it - header.begin());
        continue;
      }
      const std::vector<std::string> fields = splitCsvLine(text);
      const std::string field_text = *index < fields.size() ? fields[*index] : std::string();
      double v = 0.0;
      const char* end = field_text.data() + field_text.size();
      const auto [ptr, err] = std::from_chars(field_text.data(), end, v);
      if (err == std::errc() && ptr == end && std::isfinite(v) && v >= 0.0) {
        values.push_back(v);
        continue;
      }
      if (++problems <= kMaxCsvProblems) {
        fail(locOf(file_node), file_key,
             fmt::format("{} line {}: expected a non-negative number of seconds in column \"{}\", "
                         "got \"{}\"",
                         relative, line_no, header[*index], field_text));
      }
    }
    if (problems > kMaxCsvProblems) {
      fail(locOf(file_node), file_key,
           fmt::format("{}: {} more bad lines", relative, problems - kMaxCsvProblems));
    }
    if (problems > 0) return std::nullopt;
    if (values.empty()) {
      fail(locOf(file_node), file_key, "expected at least one value in " + relative + ", got none");
      return std::nullopt;
    }
    return DistSpec::empirical(std::move(values), path.string());
  }

  // --- value rules -------------------------------------------------------------------------

  bool suppressed(const std::string& key) const {
    for (const std::string& f : failed_) {
      if (key.size() < f.size() || key.compare(0, f.size(), f) != 0) continue;
      if (key.size() == f.size() || key[f.size()] == '.' || key[f.size()] == '[') return true;
    }
    return false;
  }

  // The key as written in the file (a deterministic's value_s is stored as mean_s, ...).
  std::string fileKey(const std::string& key) const {
    for (const auto& [from, to] : alias_) {
      if (key.compare(0, from.size(), from) == 0 &&
          (key.size() == from.size() || key[from.size()] == '[')) {
        return to + key.substr(from.size());
      }
    }
    return key;
  }

  // Where a key is, or else its nearest enclosing key that was in the file.
  SourceLoc locate(std::string key) const {
    while (true) {
      if (auto it = locs_.find(key); it != locs_.end()) return it->second;
      const auto cut = key.find_last_of(".[");
      if (cut == std::string::npos) break;
      key.resize(cut);
    }
    auto it = locs_.find("");
    return it != locs_.end() ? it->second : SourceLoc{};
  }

  void addValueRuleFindings(const Scenario& s) {
    for (Diagnostic& d : validateScenario(s)) {
      if (suppressed(d.key)) continue;
      d.key = fileKey(d.key);
      d.file = file_;
      d.loc = locate(d.key);
      diagnostics_.push_back(std::move(d));
    }
  }

  std::string file_;
  fs::path base_dir_;
  bool has_groups_ = false;      // the file has [[agent_groups]]: channels then have no agents
  Calibration calibration_;      // in force (readCalibration): in-code defaults if unreadable
  bool calibration_ok_ = false;  // read without problems
  std::vector<Diagnostic> diagnostics_;
  std::set<std::string> failed_;              // keys already reported (and all below them)
  std::map<std::string, SourceLoc> locs_;     // key -> where its value is
  std::map<std::string, std::string> alias_;  // struct key -> file key
};

template <typename T>
void follow(T& value, bool given, const T& was, const T& now) {
  if (!given && value == was) value = now;
}

}  // namespace

void applyEngineDefaults(Scenario& s, const EngineDefaults& d) {
  const EngineDefaults was = s.engine_defaults;
  for (ChannelSpec& ch : s.channels) {
    follow(ch.silent_discovery_s, ch.silent_discovery_s_given, was.silent_discovery_s,
           d.silent_discovery_s);
    ServiceLevelSpec& level = ch.service_level;
    follow(level.threshold_s, level.threshold_s_given, was.service_level_threshold_s,
           d.service_level_threshold_s);
    follow(level.target, level.target_given, was.service_level_target, d.service_level_target);
    // A single chat has no curve; several have the default one unless the file gave its own.
    // (A loaded file leaving it out has none yet.)
    if (ch.concurrency > 1 && !ch.concurrency_slowdown_given &&
        (ch.concurrency_slowdown.empty() ||
         ch.concurrency_slowdown == was.chatSlowdown(ch.concurrency)))
      ch.concurrency_slowdown = d.chatSlowdown(ch.concurrency);
  }
  for (AgentGroupSpec& g : s.agent_groups) {
    follow(g.empathy, g.empathy_given, was.empathy, d.empathy);
    follow(g.professionalism, g.professionalism_given, was.professionalism, d.professionalism);
  }
  for (IntentSpec& in : s.intents) follow(in.fcr, in.fcr_given, was.fcr, d.fcr);
  if (s.bot) follow(s.bot->turn_s, s.bot->turn_s_given, was.bot_turn_s, d.bot_turn_s);
  if (s.journeys)
    follow(s.journeys->max_contacts, s.journeys->max_contacts_given, was.max_contacts,
           d.max_contacts);
  if (s.empowerment)
    follow(s.empowerment->extra_minutes, s.empowerment->extra_minutes_given, was.extra_minutes,
           d.extra_minutes);
  s.engine_defaults = d;
}

namespace {

Diagnostic syntaxError(const std::string& file, const toml::parse_error& error) {
  return Diagnostic{file, locOf(error.source()), "",
                    "TOML syntax error: " + std::string(error.description())};
}

// --- overrides (`--set KEY=VALUE`) -----------------------------------------------------------

// One step of an override path: a key (`channels`, `phone`) or an index (`[0]`).
struct PathStep {
  std::string key;  // empty for an index step
  std::size_t index = 0;
};

bool isKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// "channels.phone.arrivals.per_hour", "channels[0].agents", "channels.phone.agents[3]".
std::optional<std::vector<PathStep>> parsePath(std::string_view path, std::string& why) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < path.size() && isKeyChar(path[i])) ++i;
    if (i == start) {
      why = path.empty() ? "expected KEY=VALUE with a key such as channels.phone.agents"
                         : fmt::format(
                               "expected a key name at position {} of \"{}\" (letters, "
                               "digits, '_' and '-'; lists as [N] or by id)",
                               start + 1, path);
      return std::nullopt;
    }
    steps.push_back({std::string(path.substr(start, i - start)), 0});
    while (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      std::size_t index = 0;
      const char* first = path.data() + i + 1;
      const char* last = path.data() + (close == std::string_view::npos ? i + 1 : close);
      const auto [ptr, err] = std::from_chars(first, last, index);
      if (close == std::string_view::npos || first == last || err != std::errc() || ptr != last) {
        why = fmt::format("expected an index such as [0] at position {} of \"{}\"", i + 1, path);
        return std::nullopt;
      }
      steps.push_back({"", index});
      i = close + 1;
    }
    if (i == path.size()) return steps;
    if (path[i] != '.') {
      why = fmt::format("unexpected '{}' at position {} of \"{}\"", path[i], i + 1, path);
      return std::nullopt;
    }
    ++i;
  }
}

// VALUE as a TOML value; text that is not TOML and does not look like an attempt at a number,
// string, array or table is taken as a string, so `scenario.name=Test` works unquoted (and
// `agents=abc` is then reported by the loader as "expected an integer, got string").
std::optional<toml::table> parseValue(const std::string& value, std::string& why) {
  const std::string text = trim(value);
  if (text.empty()) {
    why = "expected a value after '=' (a number, \"string\", [list] or { table })";
    return std::nullopt;
  }
  // One value: "1\nx = 2" would parse as TOML, but as two keys.
  auto single = [&](toml::table t) -> std::optional<toml::table> {
    if (t.size() == 1) return t;
    why = "expected a single value after '=', got more than one key";
    return std::nullopt;
  };
#if TOML_EXCEPTIONS
  try {
    return single(toml::parse("v = " + text));
  } catch (const toml::parse_error& error) {
    const std::string description(error.description());
#else
  if (toml::parse_result result = toml::parse("v = " + text)) {
    return single(std::move(result).table());
  } else {
    const std::string description(result.error().description());
#endif
    const char c = text.front();
    const bool looks_structured = c == '[' || c == '{' || c == '"' || c == '\'' || c == '+' ||
                                  c == '-' || c == '.' || (c >= '0' && c <= '9');
    if (looks_structured) {
      why = "the value is not valid TOML: " + description;
      return std::nullopt;
    }
    toml::table t;
    t.insert("v", text);
    return t;
  }
}

// "an integer 45", "a string \"x\"" (describe() leaves the article out).
std::string withArticle(const std::string& description) {
  const bool vowel = !description.empty() &&
                     std::string_view("aeiou").find(description[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + description;
}

// Which diagnostics an override is responsible for: those at or below these keys.
struct AppliedOverride {
  std::string text;                   // "channels.phone.agents=50", as given
  std::vector<std::string> prefixes;  // the key it set, and tables it created
};

std::string describeEntries(const toml::array& array) {
  std::string ids;
  for (const toml::node& element : array) {
    const toml::table* t = element.as_table();
    const toml::node* id = t ? t->get("id") : nullptr;
    if (id && id->is_string()) ids += (ids.empty() ? "" : ", ") + id->as_string()->get();
  }
  return ids.empty() ? "none has an id" : ids;
}

// Applies one override to the file's table; on a problem returns it as a message.
std::optional<std::string> applyOverride(toml::table& root, const std::string& text,
                                         AppliedOverride& applied) {
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    return "expected KEY=VALUE, e.g. channels.phone.agents=50 (no '=' found)";
  std::string why;
  auto steps = parsePath(trim(std::string_view(text).substr(0, eq)), why);
  if (!steps) return why;
  // `bot.containment.ID` is the natural way to say a reason's containment (the issue's own
  // example): it is the intent's `bot_containment`, so it goes there.
  if (steps->size() == 3 && (*steps)[0].key == "bot" && (*steps)[1].key == "containment" &&
      !(*steps)[2].key.empty()) {
    const PathStep id = (*steps)[2];
    (*steps)[0].key = "intents";
    (*steps)[1] = id;
    (*steps)[2].key = "bot_containment";
    if (!root.get("intents"))
      return fmt::format(
          "bot.containment.{} is the containment of intent '{}', and the file "
          "has no [[intents]]",
          id.key, id.key);
  }
  auto value_table = parseValue(text.substr(eq + 1), why);
  if (!value_table) return why;
  const toml::node& value = *value_table->get("v");

  toml::node* cur = &root;
  std::string key;  // canonical, as in diagnostics: channels[0].agents
  for (std::size_t j = 0; j < steps->size(); ++j) {
    const PathStep& step = (*steps)[j];
    const bool last = j + 1 == steps->size();
    const std::string where = key.empty() ? "the top level" : key;
    if (step.key.empty()) {  // [index]
      toml::array* array = cur->as_array();
      if (!array)
        return fmt::format("{} is {}, not a list: [{}] does not apply", where,
                           withArticle(describe(*cur)), step.index);
      if (array->empty())
        return fmt::format("{} is an empty list: [{}] does not exist", key, step.index);
      if (step.index >= array->size()) {
        return fmt::format("{} has {} entr{} ([0] to [{}]), got [{}]", key, array->size(),
                           array->size() == 1 ? "y" : "ies", array->size() - 1, step.index);
      }
      key += "[" + std::to_string(step.index) + "]";
      if (last) {
        array->replace(array->cbegin() + static_cast<std::ptrdiff_t>(step.index), value);
        applied.prefixes.push_back(key);
        return std::nullopt;
      }
      cur = array->get(step.index);
    } else if (toml::array* array = cur->as_array()) {  // an entry of a list by its id
      if (!array->is_array_of_tables())
        return fmt::format("{} is a list of values, not of tables: use an index such as {}[0]", key,
                           key);
      std::size_t found = array->size();
      for (std::size_t i = 0; i < array->size() && found == array->size(); ++i) {
        const toml::table* t = array->get(i)->as_table();
        const toml::node* id = t ? t->get("id") : nullptr;
        if (id && id->is_string() && id->as_string()->get() == step.key) found = i;
      }
      if (found == array->size()) {
        const std::string what = key == "channels" ? "channel" : "entry of " + key;
        return fmt::format("no {} with id '{}' ({}: {})", what, step.key, key,
                           describeEntries(*array));
      }
      key += "[" + std::to_string(found) + "]";
      if (last) {
        return fmt::format("{} is a whole table: set one of its keys, e.g. {}.{}.agents", key,
                           key.substr(0, key.find('[')), step.key);
      }
      cur = array->get(found);
    } else if (toml::table* table = cur->as_table()) {
      const std::string parent = key;
      key = key.empty() ? step.key : key + "." + step.key;
      if (last) {
        table->insert_or_assign(step.key, value);
        applied.prefixes.push_back(key);
        return std::nullopt;
      }
      toml::node* next = table->get(step.key);
      if (!next) {
        if ((*steps)[j + 1].key.empty())
          return fmt::format("{} is not in the file, so [{}] cannot be set in it", key,
                             (*steps)[j + 1].index);
        if (key == "channels") return std::string("the file has no [[channels]] to set keys in");
        // A table the file leaves out (e.g. a channel's patience): created. A distribution
        // created this way is exponential unless the override says otherwise.
        toml::table created;
        const bool in_channel = parent.rfind("channels[", 0) == 0 && parent.back() == ']';
        if (in_channel && (step.key == "patience" || step.key == "handle_time"))
          created.insert("dist", "exponential");
        table->insert(step.key, std::move(created));
        applied.prefixes.push_back(key);
        next = table->get(step.key);
      }
      cur = next;
    } else {
      return fmt::format("{} is {}, not a table: it has no key '{}'", where,
                         withArticle(describe(*cur)), step.key);
    }
  }
  return std::nullopt;
}

// Applies every override; throws ScenarioError naming each bad one.
std::vector<AppliedOverride> applyOverrides(toml::table& root,
                                            const std::vector<std::string>& overrides) {
  std::vector<AppliedOverride> applied;
  std::vector<Diagnostic> problems;
  for (const std::string& text : overrides) {
    AppliedOverride a{text, {}};
    if (auto problem = applyOverride(root, text, a)) {
      problems.push_back(Diagnostic{"--set " + text, {}, "", *problem});
    } else {
      applied.push_back(std::move(a));
    }
  }
  if (!problems.empty()) throw ScenarioError(std::move(problems));
  return applied;
}

bool underKey(const std::string& key, const std::string& prefix) {
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  return key.size() == prefix.size() || key[prefix.size()] == '.' || key[prefix.size()] == '[';
}

// A finding about a value an override set names the override, not a place in the file.
void attributeToOverrides(std::vector<Diagnostic>& diagnostics,
                          const std::vector<AppliedOverride>& applied) {
  for (Diagnostic& d : diagnostics) {
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      const bool mine = std::any_of(it->prefixes.begin(), it->prefixes.end(),
                                    [&](const std::string& p) { return underKey(d.key, p); });
      if (!mine) continue;
      d.file = "--set " + it->text;
      d.loc = {};
      break;
    }
  }
}

}  // namespace

Scenario parseScenario(std::string_view toml_text, const std::string& name_for_errors,
                       const std::filesystem::path& base_dir,
                       const std::vector<std::string>& overrides) {
  toml::table root;
#if TOML_EXCEPTIONS
  try {
    root = toml::parse(toml_text, std::string_view(name_for_errors));
  } catch (const toml::parse_error& error) {
    throw ScenarioError({syntaxError(name_for_errors, error)});
  }
#else
  toml::parse_result result = toml::parse(toml_text, std::string_view(name_for_errors));
  if (!result) throw ScenarioError({syntaxError(name_for_errors, result.error())});
  root = std::move(result).table();
#endif
  const std::vector<AppliedOverride> applied = applyOverrides(root, overrides);
  Loader loader(name_for_errors, base_dir);
  Scenario scenario = loader.run(root);
  if (!loader.diagnostics().empty()) {
    attributeToOverrides(loader.diagnostics(), applied);
    throw ScenarioError(std::move(loader.diagnostics()));
  }
  return scenario;
}

Scenario loadScenario(const std::filesystem::path& file,
                      const std::vector<std::string>& overrides) {
  const std::string name = file.string();
  auto cannot = [&](const std::string& why) {
    return ScenarioError({Diagnostic{name, {}, "", "cannot read scenario file: " + why}});
  };
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) throw cannot("no such file");
  if (fs::is_directory(status)) throw cannot("it is a folder");
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) throw cannot("the file could not be opened");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannot("a read error occurred");
  Scenario scenario = parseScenario(text.str(), name, file.parent_path(), overrides);
  scenario.source_path = file;
  return scenario;
}

}  // namespace cx
