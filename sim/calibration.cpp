// Reading data/calibration.toml (the outcome models' coefficients and the engine defaults a
// scenario may leave out). One table of fields (key, where it goes, allowed range)
// drives both the reader and calibrationKeys(), so the file, the structs and the error
// messages cannot drift apart.
#include "sim/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace cx {

const char* toString(Solidity solidity) {
  switch (solidity) {
    case Solidity::Sourced:
      return "sourced";
    case Solidity::Quoted:
      return "quoted";
    case Solidity::Computed:
      return "computed";
    case Solidity::Assumed:
      return "assumed";
  }
  return "?";
}

const CalibrationEntry* Calibration::find(std::string_view key) const {
  for (const CalibrationEntry& e : provenance) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

namespace {

namespace fs = std::filesystem;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Range {
  double lo, hi;
  bool lo_open = false, hi_open = false;
  bool contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string text() const {
    auto bound = [](double b) { return std::isinf(b) ? std::string("inf") : fmt::format("{}", b); };
    return fmt::format("{}{}, {}{}", lo_open ? '(' : '[', bound(lo), bound(hi),
                       hi_open ? ')' : ']');
  }
};

constexpr Range kProbability{0.0, 1.0};
constexpr Range kOpenProbability{0.0, 1.0, true, true};
constexpr Range kCoefficient{0.0, 20.0};  // logit units: 20 already means certainty
constexpr Range kPositive{0.0, kInf, true, false};
constexpr Range kNonNegative{0.0, kInf};
// The engine defaults are checked again with the scenario's rules, which want finite numbers.
constexpr Range kPositiveFinite{0.0, kInf, true, true};
constexpr Range kNonNegativeFinite{0.0, kInf, false, true};
constexpr Range kPositiveShare{0.0, 1.0, true, false};

struct Field {
  std::string_view key;
  double* number = nullptr;
  int* integer = nullptr;
  Range range;
};

std::vector<Field> fieldsOf(Calibration& c) {
  SatisfactionParams& s = c.satisfaction;
  CustomerParams& k = c.customers;
  TrainingParams& t = c.training;
  EngineDefaults& e = c.engine;
  return {
      {"satisfaction.reference_csat", &s.reference_csat, nullptr, kOpenProbability},
      {"satisfaction.expected_wait_s.voice", &s.expected_wait_s[0], nullptr, kPositive},
      {"satisfaction.expected_wait_s.chat", &s.expected_wait_s[1], nullptr, kPositive},
      {"satisfaction.expected_wait_s.email", &s.expected_wait_s[2], nullptr, kPositive},
      {"satisfaction.expected_wait_s.messaging", &s.expected_wait_s[3], nullptr, kPositive},
      {"satisfaction.service.wait_per_log", &s.wait_per_log, nullptr, kCoefficient},
      {"satisfaction.service.unresolved", &s.unresolved, nullptr, kCoefficient},
      {"satisfaction.service.abandoned", &s.abandoned, nullptr, kCoefficient},
      {"satisfaction.service.per_repeat_contact", &s.per_repeat_contact, nullptr, kCoefficient},
      {"satisfaction.service.max_repeat_contacts", nullptr, &s.max_repeat_contacts, {0, 100}},
      {"satisfaction.service.transferred", &s.transferred, nullptr, kCoefficient},
      {"satisfaction.care.reference_agent", &s.reference_agent, nullptr, kProbability},
      {"satisfaction.care.empathy", &s.empathy, nullptr, kCoefficient},
      {"satisfaction.care.professionalism", &s.professionalism, nullptr, kCoefficient},
      {"satisfaction.care.repeated_info", &s.repeated_info, nullptr, kCoefficient},
      {"satisfaction.care.bot_failed", &s.bot_failed, nullptr, kCoefficient},
      {"satisfaction.care.per_bot_turn", &s.per_bot_turn, nullptr, kCoefficient},
      {"satisfaction.care.bot_only", &s.bot_only, nullptr, kCoefficient},
      {"satisfaction.care.empowered", &s.empowered, nullptr, kCoefficient},
      {"satisfaction.care_weight.routine", &s.care_weight[0], nullptr, {0, 10}},
      {"satisfaction.care_weight.complex", &s.care_weight[1], nullptr, {0, 10}},
      {"satisfaction.care_weight.emotional", &s.care_weight[2], nullptr, {0, 10}},
      {"satisfaction.nps.promoter_cut", &s.promoter_cut, nullptr, {-10, 10}},
      {"satisfaction.nps.detractor_cut", &s.detractor_cut, nullptr, {-10, 10}},
      {"satisfaction.effort.reference_ces", &s.reference_ces, nullptr, {1, 7, true, true}},
      {"satisfaction.effort.wait_per_log", &s.effort_wait_per_log, nullptr, kCoefficient},
      {"satisfaction.effort.unresolved", &s.effort_unresolved, nullptr, kCoefficient},
      {"satisfaction.effort.abandoned", &s.effort_abandoned, nullptr, kCoefficient},
      {"satisfaction.effort.per_repeat_contact", &s.effort_per_repeat_contact, nullptr,
       kCoefficient},
      {"satisfaction.effort.channel_switch", &s.effort_channel_switch, nullptr, kCoefficient},
      {"satisfaction.effort.transfer", &s.effort_transfer, nullptr, kCoefficient},
      {"satisfaction.effort.repeated_info", &s.effort_repeated_info, nullptr, kCoefficient},
      {"satisfaction.effort.bot_failed", &s.effort_bot_failed, nullptr, kCoefficient},
      {"satisfaction.effort.per_bot_turn", &s.effort_per_bot_turn, nullptr, kCoefficient},
      {"satisfaction.survey.response_rate", &s.response_rate, nullptr, kProbability},
      {"customers.high_effort_drivers", nullptr, &k.high_effort_drivers, {1, 100}},
      {"customers.decision_share", &k.decision_share, nullptr, kProbability},
      {"customers.stay_unresolved", &k.stay_unresolved, nullptr, kProbability},
      {"customers.stay_high_effort", &k.stay_high_effort, nullptr, kProbability},
      {"customers.stay_low_effort", &k.stay_low_effort, nullptr, kProbability},
      {"customers.stated_to_actual", &k.stated_to_actual, nullptr, kProbability},
      {"customers.memory_factor", &k.memory_factor, nullptr, {1, 10}},
      {"customers.max_remembered", nullptr, &k.max_remembered, {0, 100}},
      {"customers.wom_happy_mean", &k.wom_happy_mean, nullptr, {0, 1000}},
      {"customers.wom_unhappy_mean", &k.wom_unhappy_mean, nullptr, {0, 1000}},
      {"customers.wom_public_factor", &k.wom_public_factor, nullptr, {1, 1000}},
      {"customers.value_per_year", &k.value_per_year, nullptr, kNonNegative},
      {"training.fcr_per_ownership_point", &t.fcr_per_ownership_point, nullptr, {0.0, 0.01}},
      {"engine.channels.silent_discovery_s", &e.silent_discovery_s, nullptr, kNonNegativeFinite},
      // An agent holding n chats works on them as on at least one and at most n.
      {"engine.channels.chat_capacity.with_2_chats", &e.chat_capacity[0], nullptr, {1, 2}},
      {"engine.channels.chat_capacity.with_3_chats", &e.chat_capacity[1], nullptr, {1, 3}},
      {"engine.channels.chat_capacity.with_4_chats", &e.chat_capacity[2], nullptr, {1, 4}},
      {"engine.channels.chat_capacity.with_5_chats", &e.chat_capacity[3], nullptr, {1, 5}},
      {"engine.channels.service_level.threshold_s", &e.service_level_threshold_s, nullptr,
       kPositiveFinite},
      {"engine.channels.service_level.target", &e.service_level_target, nullptr, kPositiveShare},
      {"engine.intents.fcr", &e.fcr, nullptr, kProbability},
      {"engine.agent_groups.empathy", &e.empathy, nullptr, kProbability},
      {"engine.agent_groups.professionalism", &e.professionalism, nullptr, kProbability},
      {"engine.bot.turn_s", &e.bot_turn_s, nullptr, kPositiveFinite},
      {"engine.journeys.max_contacts", nullptr, &e.max_contacts, {1, 100}},
      {"engine.empowerment.extra_minutes", &e.extra_minutes, nullptr, {0, 240}},
  };
}

SourceLoc locOf(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::string describe(const toml::node& node) {
  if (const auto* v = node.as_string()) return "string \"" + std::string(v->get()) + "\"";
  if (const auto* v = node.as_integer()) return fmt::format("integer {}", v->get());
  if (const auto* v = node.as_floating_point()) return fmt::format("float {}", v->get());
  if (const auto* v = node.as_boolean()) return v->get() ? "boolean true" : "boolean false";
  if (node.is_table()) return "table";
  if (node.is_array()) return "array";
  return "a date or time";
}

std::optional<Solidity> solidityFromString(std::string_view text) {
  for (Solidity s : {Solidity::Sourced, Solidity::Quoted, Solidity::Computed, Solidity::Assumed}) {
    if (text == toString(s)) return s;
  }
  return std::nullopt;
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

class Reader {
 public:
  Reader(std::string file, Calibration& out) : file_(std::move(file)), out_(out) {
    for (const Field& f : fieldsOf(out_)) {
      fields_.emplace(std::string(f.key), f);
      // Every dotted prefix of a key is a table the file may contain.
      for (std::size_t dot = f.key.find('.'); dot != std::string_view::npos;
           dot = f.key.find('.', dot + 1)) {
        tables_.insert(std::string(f.key.substr(0, dot)));
      }
    }
  }

  void run(const toml::table& root, bool require_all) {
    table_locs_[""] = locOf(root.source());
    walk(root, "");
    if (require_all) reportMissing();
    checkCuts();
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
  }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  void fail(SourceLoc loc, const std::string& key, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, loc, key, std::move(message)});
  }

  void walk(const toml::table& table, const std::string& path) {
    for (auto&& [k, node] : table) {
      const std::string key = join(path, k.str());
      if (auto f = fields_.find(key); f != fields_.end()) {
        readEntry(node, f->second);
      } else if (tables_.count(key) && node.is_table()) {
        table_locs_[key] = locOf(node.source());
        walk(*node.as_table(), key);
      } else if (tables_.count(key)) {
        fail(locOf(node.source()), key, "expected a table, got " + describe(node));
      } else {
        fail(locOf(k.source()), key, "unknown key (expected one of: " + expectedUnder(path) + ")");
      }
    }
  }

  // The names allowed directly under `path`, for "unknown key" messages.
  std::string expectedUnder(const std::string& path) const {
    std::set<std::string> names;
    auto add = [&](const std::string& full) {
      const std::string prefix = path.empty() ? "" : path + ".";
      if (full.compare(0, prefix.size(), prefix) != 0 || full.size() == prefix.size()) return;
      const std::string rest = full.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('.')));
    };
    for (const auto& [key, f] : fields_) add(key);
    for (const std::string& t : tables_) add(t);
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return list;
  }

  // key = { value = ..., label = "...", source = "..." [, misquote = "..."] [, note = "..."] }
  void readEntry(const toml::node& node, const Field& f) {
    const std::string key(f.key);
    const SourceLoc loc = locOf(node.source());
    const toml::table* t = node.as_table();
    if (!t) {
      fail(loc, key,
           "expected an inline table { value = ..., label = ..., source = ... }, got " +
               describe(node));
      return;
    }
    seen_.insert(key);
    for (auto&& [k, v] : *t) {
      if (k.str() != "value" && k.str() != "label" && k.str() != "source" &&
          k.str() != "misquote" && k.str() != "note") {
        fail(locOf(k.source()), key + "." + std::string(k.str()),
             "unknown key (expected one of: value, label, source, misquote, note)");
      }
    }
    CalibrationEntry entry;
    entry.key = key;
    entry.file = file_;
    entry.loc = loc;
    const bool value_ok = readValue(*t, f, loc, entry.value);
    const bool label_ok = readLabel(*t, key, loc, entry.solidity);
    const bool source_ok = readSource(*t, key, loc, entry.source);
    const bool misquote_ok = readNote(*t, key, "misquote", entry.misquote);
    const bool note_ok = readNote(*t, key, "note", entry.note);
    if (value_ok && label_ok && source_ok && misquote_ok && note_ok) record(std::move(entry));
  }

  // An optional remark: absent, or a non-empty string.
  bool readNote(const toml::table& t, const std::string& entry_key, const char* name,
                std::string& text) {
    const toml::node* node = t.get(name);
    if (!node) return true;
    const auto* str = node->as_string();
    if (!str || str->get().find_first_not_of(" \t") == std::string::npos) {
      fail(locOf(node->source()), entry_key + "." + name,
           "expected a non-empty string (an optional note), got " + describe(*node));
      return false;
    }
    text = str->get();
    return true;
  }

  bool readValue(const toml::table& t, const Field& f, SourceLoc loc, double& value) {
    const std::string key = std::string(f.key) + ".value";
    const toml::node* node = t.get("value");
    if (!node) {
      fail(loc, key,
           f.integer ? "missing required key (expected an integer)"
                     : "missing required key (expected a number)");
      return false;
    }
    const SourceLoc at = locOf(node->source());
    if (f.integer) {
      if (!node->is_integer()) {
        fail(at, key, "expected an integer, got " + describe(*node));
        return false;
      }
      value = static_cast<double>(node->as_integer()->get());
    } else if (const auto* v = node->as_floating_point()) {
      value = v->get();
    } else if (const auto* v = node->as_integer()) {
      value = static_cast<double>(v->get());
    } else {
      fail(at, key, "expected a number, got " + describe(*node));
      return false;
    }
    if (!f.range.contains(value)) {
      fail(at, key, fmt::format("expected a value in {}, got {}", f.range.text(), value));
      return false;
    }
    if (f.integer) {
      *f.integer = static_cast<int>(value);
    } else {
      *f.number = value;
    }
    return true;
  }

  bool readLabel(const toml::table& t, const std::string& entry_key, SourceLoc loc,
                 Solidity& solidity) {
    const std::string key = entry_key + ".label";
    const toml::node* node = t.get("label");
    const char* expected = "\"sourced\", \"quoted\", \"computed\" or \"assumed\"";
    if (!node) {
      fail(loc, key, fmt::format("missing required key (expected {})", expected));
      return false;
    }
    const auto* text = node->as_string();
    const auto parsed = text ? solidityFromString(text->get()) : std::nullopt;
    if (!parsed) {
      fail(locOf(node->source()), key,
           fmt::format("expected {}, got {}", expected, describe(*node)));
      return false;
    }
    solidity = *parsed;
    return true;
  }

  bool readSource(const toml::table& t, const std::string& entry_key, SourceLoc loc,
                  std::string& source) {
    const std::string key = entry_key + ".source";
    const toml::node* node = t.get("source");
    if (!node) {
      fail(loc, key, "missing required key (expected a non-empty string naming the source)");
      return false;
    }
    const auto* text = node->as_string();
    if (!text || text->get().find_first_not_of(" \t") == std::string::npos) {
      fail(locOf(node->source()), key,
           "expected a non-empty string naming the source, got " + describe(*node));
      return false;
    }
    source = text->get();
    return true;
  }

  void record(CalibrationEntry entry) {
    for (CalibrationEntry& e : out_.provenance) {
      if (e.key == entry.key) {
        e = std::move(entry);
        return;
      }
    }
    out_.provenance.push_back(std::move(entry));
  }

  // A missing key is reported at the deepest table of its path that the file has.
  void reportMissing() {
    for (const Field& f : fieldsOf(out_)) {
      const std::string key(f.key);
      if (seen_.count(key)) continue;
      std::string table = key.substr(0, key.rfind('.'));
      while (!table_locs_.count(table)) {
        const auto dot = table.rfind('.');
        table = dot == std::string::npos ? "" : table.substr(0, dot);
      }
      fail(table_locs_[table], key,
           "missing required key (expected { value = ..., label = ..., source = ... })");
    }
  }

  // Promoters must sit above detractors on the latent scale, or one answer could be both.
  void checkCuts() {
    const CalibrationEntry* promoter = out_.find("satisfaction.nps.promoter_cut");
    if (promoter && out_.satisfaction.promoter_cut <= out_.satisfaction.detractor_cut) {
      fail(promoter->loc, promoter->key,
           fmt::format("expected a value above satisfaction.nps.detractor_cut ({}), got {}",
                       out_.satisfaction.detractor_cut, out_.satisfaction.promoter_cut));
    }
  }

  std::string file_;
  Calibration& out_;
  std::map<std::string, Field> fields_;
  std::set<std::string> tables_;
  std::set<std::string> seen_;
  std::map<std::string, SourceLoc> table_locs_;
  std::vector<Diagnostic> diagnostics_;
};

std::string joinFormatted(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out.empty() ? "invalid calibration" : out;
}

}  // namespace

std::vector<std::string> calibrationKeys() {
  Calibration scratch;
  std::vector<std::string> keys;
  for (const Field& f : fieldsOf(scratch)) keys.emplace_back(f.key);
  return keys;
}

std::optional<double> calibrationValue(const Calibration& calibration, std::string_view key) {
  Calibration copy = calibration;  // fieldsOf() hands out writable pointers
  for (const Field& f : fieldsOf(copy)) {
    if (f.key == key) return f.number ? *f.number : static_cast<double>(*f.integer);
  }
  return std::nullopt;
}

CalibrationError::CalibrationError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(joinFormatted(diagnostics)), diagnostics_(std::move(diagnostics)) {}

Calibration parseCalibration(std::string_view toml_text, const std::string& name_for_errors,
                             const Calibration* base) {
  toml::table root;
#if TOML_EXCEPTIONS
  try {
    root = toml::parse(toml_text, std::string_view(name_for_errors));
  } catch (const toml::parse_error& error) {
    throw CalibrationError({Diagnostic{name_for_errors, locOf(error.source()), "",
                                       "TOML syntax error: " + std::string(error.description())}});
  }
#else
  toml::parse_result result = toml::parse(toml_text, std::string_view(name_for_errors));
  if (!result) {
    throw CalibrationError(
        {Diagnostic{name_for_errors, locOf(result.error().source()), "",
                    "TOML syntax error: " + std::string(result.error().description())}});
  }
  root = std::move(result).table();
#endif
  Calibration out = base ? *base : Calibration{};
  Reader reader(name_for_errors, out);
  reader.run(root, base == nullptr);
  if (!reader.diagnostics().empty()) throw CalibrationError(std::move(reader.diagnostics()));
  return out;
}

Calibration loadCalibration(const std::filesystem::path& file) {
  const std::string name = file.string();
  auto cannot = [&](const std::string& why) {
    return CalibrationError({Diagnostic{name, {}, "", "cannot read calibration file: " + why}});
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
  return parseCalibration(text.str(), name);
}

std::filesystem::path defaultCalibrationPath() {
  const fs::path relative = fs::path("data") / "calibration.toml";
  std::error_code ec;
  if (fs::is_regular_file(relative, ec)) return relative;
#ifdef CX_DATA_DIR
  return fs::path(CX_DATA_DIR) / "calibration.toml";
#else
  return relative;
#endif
}

}  // namespace cx
