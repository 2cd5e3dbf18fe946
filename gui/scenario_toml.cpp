#include "gui/scenario_toml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>

#include "sim/calibration.hpp"

namespace cx::studio {

namespace {

// Shortest text that reads back as the same double; always a TOML float or integer.
std::string number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{}", v);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// A key of an inline table (channel ids in `share` and `switch`): bare when TOML allows it,
// else quoted, so an id the loader will reject still gives a file that parses (and the
// loader's message about the id rather than a syntax error).
std::string key(const std::string& k) {
  const bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? k : quoted(k);
}

template <typename T>
std::string list(const std::vector<T>& values) {
  if (values.size() == 1) return number(static_cast<double>(values.front()));
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", " : "") + number(static_cast<double>(values[i]));
  }
  return out + "]";
}

std::string stringList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + quoted(values[i]);
  return out + "]";
}

std::string dist(const DistSpec& d) {
  std::string out = "{ dist = " + quoted(toString(d.kind));
  switch (d.kind) {
    case DistSpec::Kind::Exponential:
      out += ", mean_s = " + number(d.mean_s);
      break;
    case DistSpec::Kind::Lognormal:
    case DistSpec::Kind::Gamma:
      out += ", mean_s = " + number(d.mean_s) + ", cv = " + number(d.cv);
      break;
    case DistSpec::Kind::Deterministic:
      out += ", value_s = " + number(d.mean_s);
      break;
    case DistSpec::Kind::Empirical: {
      out += ", values_s = [";
      for (std::size_t i = 0; i < d.values_s.size(); ++i)
        out += (i ? ", " : "") + number(d.values_s[i]);
      out += "]";
      break;
    }
  }
  return out + " }";
}

std::string clock(double seconds_after_midnight) {
  const long minutes = std::lround(seconds_after_midnight / 60.0);
  return fmt::format("\"{:02}:{:02}\"", minutes / 60, minutes % 60);
}

// `agents = ...`, or the shifts they were computed from (written back as shifts, so the file
// keeps saying what the user wrote) when `agents` is still what the shifts give.
std::string staffing(const std::vector<int>& agents, const std::vector<ShiftSpec>& shifts,
                     const std::vector<int>& from_shifts) {
  // Agents edited in the studio no longer match the shifts: the edits win, as a list.
  if (shifts.empty() || agents != from_shifts) return "agents = " + list(agents) + "\n";
  std::string out = "shifts = [\n";
  for (const ShiftSpec& sh : shifts) {
    out += fmt::format("  {{ start = {}, hours = {}, agents = {}", clock(sh.start_s),
                       number(sh.hours), sh.agents);
    if (!sh.breaks.empty()) {
      out += ", breaks = [";
      for (std::size_t b = 0; b < sh.breaks.size(); ++b)
        out += fmt::format("{}{{ start = {}, minutes = {} }}", b ? ", " : "",
                           clock(sh.breaks[b].start_s), number(sh.breaks[b].minutes));
      out += "]";
    }
    out += " },\n";
  }
  return out + "]\n";
}

// Keys with an engine default (data/calibration.toml [engine]) are written when the file gave
// them or the value is no longer the default in force (edited): a key the file left out stays
// out, and follows the calibration when the saved file is loaded again.
template <typename T>
bool own(bool given, const T& value, const T& default_value) {
  return given || value != default_value;
}

}  // namespace

std::string scenarioToToml(const Scenario& s) {
  const EngineDefaults& defaults = s.engine_defaults;
  Scenario laid_out = s;  // the agents the shifts give, to tell whether they were edited
  expandShifts(laid_out);
  std::ostringstream out;
  out << "# Written by CX Studio.\n\n[scenario]\n";
  out << "name = " << quoted(s.name) << "\n";
  if (s.dayStructured()) {
    out << "days = " << s.days << "\n";
    out << "open = " << clock(s.open_s) << "\n";
  } else {
    out << "horizon_hours = " << number(s.horizon_hours) << "\n";
    if (s.warmup_hours != 0.0) out << "warmup_hours = " << number(s.warmup_hours) << "\n";
  }
  out << "interval_minutes = " << number(s.interval_minutes) << "\n";
  out << "seed = " << s.seed << "\n";
  out << "replications = " << s.replications << "\n";

  for (const ChannelSpec& ch : s.channels) {
    out << "\n[[channels]]\n";
    out << "id = " << quoted(ch.id) << "\n";
    out << "kind = " << quoted(toString(ch.kind)) << "\n";
    if (s.agent_groups.empty())
      out << staffing(ch.agents, ch.shifts, laid_out.channels[&ch - s.channels.data()].agents);
    out << "arrivals = { per_hour = " << list(ch.arrivals.per_hour);
    if (ch.arrivals.busyness_alpha > 0.0)
      out << ", busyness_alpha = " << number(ch.arrivals.busyness_alpha);
    if (!ch.arrivals.day_factors.empty())
      out << ", day_factors = " << list(ch.arrivals.day_factors);
    out << " }\n";
    out << "handle_time = " << dist(ch.handle_time) << "\n";
    if (ch.patience) out << "patience = " << dist(*ch.patience) << "\n";
    if (ch.balk_probability != 0.0)
      out << "balk_probability = " << number(ch.balk_probability) << "\n";
    const ServiceLevelSpec& level = ch.service_level;
    const bool threshold =
        own(level.threshold_s_given, level.threshold_s, defaults.service_level_threshold_s);
    const bool target = own(level.target_given, level.target, defaults.service_level_target);
    if (threshold && target)
      out << "service_level = { threshold_s = " << number(level.threshold_s)
          << ", target = " << number(level.target) << " }\n";
    else if (threshold)
      out << "service_level = { threshold_s = " << number(level.threshold_s) << " }\n";
    else if (target)
      out << "service_level = { target = " << number(level.target) << " }\n";
    if (ch.concurrency != 1) out << "concurrency = " << ch.concurrency << "\n";
    // The loader's curve for a file without one: the default for several chats, else none.
    const std::vector<double> filled =
        ch.concurrency > 1 ? defaults.chatSlowdown(ch.concurrency) : std::vector<double>{};
    if (own(ch.concurrency_slowdown_given, ch.concurrency_slowdown, filled))
      out << "concurrency_slowdown = " << list(ch.concurrency_slowdown) << "\n";
    if (ch.silent_abandon != 0.0) out << "silent_abandon = " << number(ch.silent_abandon) << "\n";
    if (own(ch.silent_discovery_s_given, ch.silent_discovery_s, defaults.silent_discovery_s))
      out << "silent_discovery_s = " << number(ch.silent_discovery_s) << "\n";
  }

  for (const AgentGroupSpec& g : s.agent_groups) {
    out << "\n[[agent_groups]]\n";
    out << "id = " << quoted(g.id) << "\n";
    out << "channels = " << stringList(g.channels) << "\n";
    if (!g.intents.empty()) out << "intents = " << stringList(g.intents) << "\n";
    if (own(g.empathy_given, g.empathy, defaults.empathy))
      out << "empathy = " << number(g.empathy) << "\n";
    if (own(g.professionalism_given, g.professionalism, defaults.professionalism))
      out << "professionalism = " << number(g.professionalism) << "\n";
    if (g.fcr_uplift != 0.0) out << "fcr_uplift = " << number(g.fcr_uplift) << "\n";
    out << staffing(g.agents, g.shifts, laid_out.agent_groups[&g - s.agent_groups.data()].agents);
    if (g.proficiency != 1.0) out << "proficiency = " << number(g.proficiency) << "\n";
    if (g.cost_per_hour) out << "cost_per_hour = " << number(*g.cost_per_hour) << "\n";
  }

  if (s.costs) {
    out << "\n[costs]\n";
    out << "agent_per_hour = " << number(s.costs->agent_per_hour) << "\n";
    out << "shrinkage = " << number(s.costs->shrinkage) << "\n";
  }

  for (const IntentSpec& in : s.intents) {
    out << "\n[[intents]]\n";
    out << "id = " << quoted(in.id) << "\n";
    out << "complexity = " << quoted(toString(in.complexity)) << "\n";
    out << "handle_factor = " << number(in.handle_factor) << "\n";
    if (own(in.fcr_given, in.fcr, defaults.fcr)) out << "fcr = " << number(in.fcr) << "\n";
    if (in.bot_containment) out << "bot_containment = " << number(*in.bot_containment) << "\n";
    out << "share = {";
    for (std::size_t i = 0; i < in.share.size(); ++i)
      out << (i ? ", " : " ") << key(in.share[i].first) << " = " << number(in.share[i].second);
    out << " }\n";
    if (in.transfer)
      out << "transfer = { to = " << quoted(in.transfer->to)
          << ", share = " << number(in.transfer->share) << ", after = " << dist(in.transfer->after)
          << " }\n";
  }

  if (s.outcomes) {
    const OutcomesSpec& o = *s.outcomes;
    out << "\n[outcomes]\n";
    out << "customers = " << o.customers << "\n";
    if (o.value_per_year) out << "value_per_year = " << number(*o.value_per_year) << "\n";
    if (o.response_rate) out << "response_rate = " << number(*o.response_rate) << "\n";
    if (!o.calibration_file.empty()) out << "calibration = " << quoted(o.calibration_file) << "\n";
  }

  if (s.empowerment) {
    const EmpowermentSpec& e = *s.empowerment;
    out << "\n[empowerment]\n";
    if (own(e.extra_minutes_given, e.extra_minutes, defaults.extra_minutes))
      out << "extra_minutes = " << number(e.extra_minutes) << "\n";
    out << "needs = [";
    for (std::size_t i = 0; i < e.needs.size(); ++i)
      out << (i ? ", " : "") << quoted(toString(e.needs[i]));
    out << "]\n";
    out << "use = " << number(e.use) << "\n";
    out << "fcr_gain = " << number(e.fcr_gain) << "\n";
  }

  if (s.bot) {
    const BotSpec& b = *s.bot;
    out << "\n[bot]\n";
    out << "channels = " << stringList(b.channels) << "\n";
    out << "conversation = " << dist(b.conversation) << "\n";
    out << "containment = " << number(b.containment) << "\n";
    out << "escalation = " << (b.cold ? "\"cold\"" : "\"warm\"") << "\n";
    out << "cold_handle_factor = " << number(b.cold_handle_factor) << "\n";
    out << "escalated_handle_factor = " << number(b.escalated_handle_factor) << "\n";
    out << "loop_turns = " << b.loop_turns << "\n";
    if (own(b.turn_s_given, b.turn_s, defaults.bot_turn_s))
      out << "turn_s = " << number(b.turn_s) << "\n";
    out << "loop_abandon = " << number(b.loop_abandon) << "\n";
    out << "false_containment = " << number(b.false_containment) << "\n";
    out << "cost_per_conversation = " << number(b.cost_per_conversation) << "\n";
  }

  if (s.journeys) {
    const JourneySpec& j = *s.journeys;
    out << "\n[journeys]\n";
    out << "retry_unresolved = " << number(j.retry_unresolved) << "\n";
    out << "retry_abandoned = " << number(j.retry_abandoned) << "\n";
    out << "delay = " << dist(j.delay) << "\n";
    out << "shared_context = " << (j.shared_context ? "true" : "false") << "\n";
    out << "repeat_handle_factor = " << number(j.repeat_handle_factor) << "\n";
    out << "repeat_fcr_factor = " << number(j.repeat_fcr_factor) << "\n";
    if (own(j.max_contacts_given, j.max_contacts, defaults.max_contacts))
      out << "max_contacts = " << j.max_contacts << "\n";
    out << "promise_follow_up = " << number(j.promise_follow_up) << "\n";
    out << "broken_promise = " << number(j.broken_promise) << "\n";
    if (!j.switch_rows.empty()) {
      out << "switch = {";
      for (std::size_t r = 0; r < j.switch_rows.size(); ++r) {
        out << (r ? ", " : " ") << key(j.switch_rows[r].first) << " = {";
        const auto& row = j.switch_rows[r].second;
        for (std::size_t i = 0; i < row.size(); ++i)
          out << (i ? ", " : " ") << key(row[i].first) << " = " << number(row[i].second);
        out << " }";
      }
      out << " }\n";
    }
  }
  return out.str();
}

std::vector<Diagnostic> checkByLoader(const Scenario& scenario,
                                      const std::filesystem::path& base_dir,
                                      const std::string& name_for_errors) {
  try {
    parseScenario(scenarioToToml(scenario), name_for_errors, base_dir);
    return {};
  } catch (const ScenarioError& error) {
    std::vector<Diagnostic> out = error.diagnostics();
    if (out.empty()) out.push_back(Diagnostic{name_for_errors, {}, "", error.what()});
    return out;
  } catch (const std::exception& error) {
    return {Diagnostic{name_for_errors, {}, "", error.what()}};
  }
}

// A table switched on in the studio is written out in full, as the format's examples are:
// its keys with an engine default count as set (the user sees and saves them), unlike those a
// loaded file left out, which stay out and follow the calibration.
JourneySpec defaultJourneys(const EngineDefaults& defaults) {
  JourneySpec j;
  j.delay = DistSpec::lognormal(7200.0, 1.0);
  j.max_contacts = defaults.max_contacts;
  j.max_contacts_given = true;
  return j;
}

OutcomesSpec defaultOutcomes() {
  OutcomesSpec o;
  o.customers = 100000;
  return o;
}

EmpowermentSpec defaultEmpowerment(const EngineDefaults& defaults) {
  EmpowermentSpec e;
  e.extra_minutes = defaults.extra_minutes;
  e.extra_minutes_given = true;
  return e;
}

TransferSpec defaultTransfer(const Scenario& scenario) {
  TransferSpec t;
  if (!scenario.agent_groups.empty()) t.to = scenario.agent_groups.back().id;
  return t;
}

void setChosen(std::vector<std::string>& ids, const std::string& id, bool on) {
  const bool there = std::find(ids.begin(), ids.end(), id) != ids.end();
  if (on && !there) ids.push_back(id);
  if (!on) std::erase(ids, id);
}

const std::vector<std::pair<std::string, double>>* switchRow(const JourneySpec& journeys,
                                                             const std::string& from) {
  for (const auto& [id, row] : journeys.switch_rows)
    if (id == from) return &row;
  return nullptr;
}

double switchProbability(const JourneySpec& journeys, const std::string& from,
                         const std::string& to) {
  if (const auto* row = switchRow(journeys, from))
    for (const auto& [id, p] : *row)
      if (id == to) return p;
  return 0.0;
}

void setSwitchProbability(JourneySpec& journeys, const std::string& from, const std::string& to,
                          double p) {
  auto row = std::find_if(journeys.switch_rows.begin(), journeys.switch_rows.end(),
                          [&](const auto& r) { return r.first == from; });
  if (row == journeys.switch_rows.end()) {
    journeys.switch_rows.emplace_back(from, std::vector<std::pair<std::string, double>>{});
    row = std::prev(journeys.switch_rows.end());
  }
  for (auto& [id, q] : row->second) {
    if (id == to) {
      q = p;
      return;
    }
  }
  row->second.emplace_back(to, p);
}

void setSwitchRow(JourneySpec& journeys, const std::string& from, bool on) {
  if (!on) {
    std::erase_if(journeys.switch_rows, [&](const auto& r) { return r.first == from; });
  } else if (!switchRow(journeys, from)) {
    setSwitchProbability(journeys, from, from, 1.0);
  }
}

// The calibration in force changes the engine defaults too (applyEngineDefaults): the values
// the scenario did not set itself follow it, as they will when the saved file is loaded. A
// calibration that cannot be read leaves them as they were.
void refreshCalibration(Scenario& scenario, const std::filesystem::path& base_dir) {
  OutcomesSpec* o = scenario.outcomes ? &*scenario.outcomes : nullptr;
  if (o) o->calibration.reset();
  try {
    Calibration calibration = loadCalibration(defaultCalibrationPath());
    if (o && !o->calibration_file.empty()) {
      const std::filesystem::path path =
          (base_dir / std::filesystem::path(o->calibration_file)).lexically_normal();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) return;
      std::ifstream in(path);
      if (!in) return;
      std::stringstream text;
      text << in.rdbuf();
      calibration = parseCalibration(text.str(), path.string(), &calibration);
    }
    applyEngineDefaults(scenario, calibration.engine);
    if (!o) return;
    if (o->value_per_year) calibration.customers.value_per_year = *o->value_per_year;
    if (o->response_rate) calibration.satisfaction.response_rate = *o->response_rate;
    o->calibration = std::make_shared<const Calibration>(std::move(calibration));
  } catch (const std::exception&) {
    // Left null: the in-code defaults; checkByLoader reports the file's problems.
  }
}

}  // namespace cx::studio
