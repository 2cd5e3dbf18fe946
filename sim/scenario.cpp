// Scenario basics and the value rules shared by the loader and code-built scenarios.
//
// The loader (scenario_load.cpp) checks the shape of the file — keys, types, which form — and
// fills a Scenario; validateScenario() then checks the values, and the loader attaches line and
// column to its findings by key. So every value rule lives here, once.
#include "sim/scenario.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

namespace cx {

// ---------------------------------------------------------------------------------------------
// Names

const char* toString(DistSpec::Kind kind) {
  switch (kind) {
    case DistSpec::Kind::Exponential:
      return "exponential";
    case DistSpec::Kind::Lognormal:
      return "lognormal";
    case DistSpec::Kind::Gamma:
      return "gamma";
    case DistSpec::Kind::Deterministic:
      return "deterministic";
    case DistSpec::Kind::Empirical:
      return "empirical";
  }
  return "?";
}

std::optional<DistSpec::Kind> distKindFromString(std::string_view name) {
  for (DistSpec::Kind kind :
       {DistSpec::Kind::Exponential, DistSpec::Kind::Lognormal, DistSpec::Kind::Gamma,
        DistSpec::Kind::Deterministic, DistSpec::Kind::Empirical}) {
    if (name == toString(kind)) return kind;
  }
  return std::nullopt;
}

std::vector<double> EngineDefaults::chatSlowdown(int concurrency) const {
  std::vector<double> f;
  for (int n = 1; n <= std::min(concurrency, kDefaultSlowdownMax); ++n)
    f.push_back(n == 1 ? 1.0 : n / chat_capacity[static_cast<std::size_t>(n - 2)]);
  return f;
}

std::vector<double> defaultChatSlowdown(int concurrency) {
  return kEngineDefaults.chatSlowdown(concurrency);
}

const char* toString(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::Voice:
      return "voice";
    case ChannelKind::Chat:
      return "chat";
    case ChannelKind::Email:
      return "email";
    case ChannelKind::Messaging:
      return "messaging";
  }
  return "?";
}

const char* toString(Complexity complexity) {
  switch (complexity) {
    case Complexity::Routine:
      return "routine";
    case Complexity::Complex:
      return "complex";
    case Complexity::Emotional:
      return "emotional";
  }
  return "?";
}

std::optional<Complexity> complexityFromString(std::string_view name) {
  for (Complexity c : {Complexity::Routine, Complexity::Complex, Complexity::Emotional})
    if (name == toString(c)) return c;
  return std::nullopt;
}

std::optional<ChannelKind> channelKindFromString(std::string_view name) {
  for (ChannelKind kind :
       {ChannelKind::Voice, ChannelKind::Chat, ChannelKind::Email, ChannelKind::Messaging}) {
    if (name == toString(kind)) return kind;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// DistSpec factories

DistSpec DistSpec::exponential(double mean_s) {
  DistSpec d;
  d.kind = Kind::Exponential;
  d.mean_s = mean_s;
  d.cv = 1.0;
  return d;
}

DistSpec DistSpec::lognormal(double mean_s, double cv) {
  DistSpec d;
  d.kind = Kind::Lognormal;
  d.mean_s = mean_s;
  d.cv = cv;
  return d;
}

DistSpec DistSpec::gamma(double mean_s, double cv) {
  DistSpec d = lognormal(mean_s, cv);
  d.kind = Kind::Gamma;
  return d;
}

DistSpec DistSpec::deterministic(double value_s) {
  DistSpec d;
  d.kind = Kind::Deterministic;
  d.mean_s = value_s;
  d.cv = 0.0;
  return d;
}

DistSpec DistSpec::empirical(std::vector<double> values_s, std::string source) {
  DistSpec d;
  d.kind = Kind::Empirical;
  d.values_s = std::move(values_s);
  d.source = std::move(source);
  if (!d.values_s.empty()) {
    const double n = static_cast<double>(d.values_s.size());
    d.mean_s = std::accumulate(d.values_s.begin(), d.values_s.end(), 0.0) / n;
    double sum_sq = 0.0;
    for (double v : d.values_s) sum_sq += (v - d.mean_s) * (v - d.mean_s);
    d.cv = d.mean_s > 0.0 ? std::sqrt(sum_sq / n) / d.mean_s : 0.0;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Scenario

int Scenario::intervalsPerDay() const {
  std::size_t n = 1;
  for (const ChannelSpec& ch : channels) {
    n = std::max({n, ch.agents.size(), ch.arrivals.per_hour.size()});
  }
  for (const AgentGroupSpec& g : agent_groups) n = std::max(n, g.agents.size());
  return static_cast<int>(n);
}

std::vector<AgentGroupSpec> Scenario::effectiveAgentGroups() const {
  std::vector<AgentGroupSpec> groups = agent_groups;
  if (groups.empty()) {
    for (const ChannelSpec& ch : channels) {
      AgentGroupSpec g;
      g.id = ch.id;
      g.channels = {ch.id};
      g.agents = ch.agents;
      g.shifts = ch.shifts;
      g.on_break = ch.on_break;
      g.loc = ch.loc;
      groups.push_back(std::move(g));
    }
  }
  if (costs) {
    for (AgentGroupSpec& g : groups)
      if (!g.cost_per_hour) g.cost_per_hour = costs->agent_per_hour;
  }
  return groups;
}

std::vector<std::string> Scenario::staffedIds() const {
  std::vector<std::string> ids;
  if (agent_groups.empty())
    for (const ChannelSpec& ch : channels) ids.push_back(ch.id);
  else
    for (const AgentGroupSpec& g : agent_groups) ids.push_back(g.id);
  return ids;
}

std::string Diagnostic::format() const {
  std::string where = file;
  if (loc.line > 0) {
    if (!where.empty()) where += ':';
    where += std::to_string(loc.line);
    if (loc.column > 0) where += ':' + std::to_string(loc.column);
  }
  std::string out;
  if (!where.empty()) out = where + ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

namespace {

std::string joinFormatted(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out.empty() ? "invalid scenario" : out;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(joinFormatted(diagnostics)), diagnostics_(std::move(diagnostics)) {}

// ---------------------------------------------------------------------------------------------
// Value rules

namespace {

constexpr double kMinutesPerDay = 24.0 * 60.0;
constexpr int kMaxReplications = 100000;

// Upper bounds (docs/SCENARIO_FORMAT.md, "Limits"). Each keeps what a value sizes — vectors,
// 32-bit counters, run time — far from what a machine holds, while leaving every realistic
// operation well inside them.
constexpr double kMaxRunHours = 1e6;          // warm-up + horizon: about 114 years
constexpr int kMaxDays = 36500;               // day form: 100 years of days
constexpr double kMinIntervalMinutes = 1;     // shorter intervals: billions of interval events
constexpr std::size_t kMaxIntervals = 10080;  // per-interval list length: a week of minutes
constexpr int kMaxAgents = 1000000;           // per channel or group and interval
constexpr double kMaxPerHour = 1e7;           // arrivals per hour per channel and interval
constexpr double kMaxDayFactor = 100;         // multiplier of a day's rates
constexpr long kMaxCustomers = 100000000;     // [outcomes]: 5 bytes each per replication
constexpr std::size_t kMaxChannels = 100, kMaxGroups = 100, kMaxIntents = 1000;
// Every replication's metrics are kept until the run is summarised (kMetricCount numbers a
// set, 36 today): replications × sets per replication is capped at this, about 300 MB.
constexpr double kMaxStoredMetricSets = 1e6;

// interval_minutes > 0 and at most a day, dividing a day into whole intervals.
bool dividesDay(double minutes) {
  if (!(std::isfinite(minutes) && minutes > 0.0 && minutes <= kMinutesPerDay)) return false;
  const double per_day = kMinutesPerDay / minutes;
  return std::abs(per_day - std::round(per_day)) <= 1e-9 * per_day;
}

std::string num(double x) {
  return fmt::format("{}", x);
}

class Rules {
 public:
  explicit Rules(const Scenario& s) : s_(s) {}

  std::vector<Diagnostic> check() {
    checkScenarioTable();
    checkRunLength();
    if (s_.channels.empty()) {
      add("channels", "expected at least one [[channels]] table");
    } else if (s_.channels.size() > kMaxChannels) {
      add("channels", fmt::format("expected at most {} [[channels]] tables, got {}", kMaxChannels,
                                  s_.channels.size()));
    }
    if (s_.agent_groups.size() > kMaxGroups)
      add("agent_groups", fmt::format("expected at most {} [[agent_groups]] tables, got {}",
                                      kMaxGroups, s_.agent_groups.size()));
    if (s_.intents.size() > kMaxIntents)
      add("intents", fmt::format("expected at most {} [[intents]] tables, got {}", kMaxIntents,
                                 s_.intents.size()));
    std::map<std::string, std::string> first_use;  // id -> key of its first channel
    for (std::size_t i = 0; i < s_.channels.size(); ++i) {
      const std::string key = "channels[" + std::to_string(i) + "]";
      checkChannel(s_.channels[i], key);
      const std::string& id = s_.channels[i].id;
      if (id.empty()) continue;
      auto [it, inserted] = first_use.emplace(id, key + ".id");
      if (!inserted)
        add(key + ".id", "duplicate channel id \"" + id + "\" (also " + it->second + ")");
    }
    checkAgentGroups();
    checkCosts();
    checkIntents();
    checkIntentCoverage();
    checkBot();
    checkJourneys();
    checkEmpowerment();
    checkOutcomes();
    checkIntervalLists();
    return std::move(out_);
  }

 private:
  void add(std::string key, std::string message) {
    out_.push_back(Diagnostic{s_.source_path.string(), {}, std::move(key), std::move(message)});
  }

  // `ok` false: report "expected <what>, got <x>".
  void require(bool ok, const std::string& key, const char* what, double x) {
    if (!ok) add(key, std::string("expected ") + what + ", got " + num(x));
  }
  static bool positive(double x) { return std::isfinite(x) && x > 0.0; }
  static bool nonNegative(double x) { return std::isfinite(x) && x >= 0.0; }

  void checkScenarioTable() {
    if (s_.name.empty()) add("scenario.name", "expected a non-empty name");
    if (s_.days < 0) {
      add("scenario.days", "expected a whole number of days >= 1, got " + std::to_string(s_.days));
    } else if (s_.days == 0) {  // continuous form
      require(positive(s_.horizon_hours), "scenario.horizon_hours", "a positive number of hours",
              s_.horizon_hours);
      require(nonNegative(s_.warmup_hours), "scenario.warmup_hours",
              "a non-negative number of hours", s_.warmup_hours);
      if (s_.open_s != 0.0) {
        add("scenario.open", "only used with days (the day-structured form)");
      }
    } else {  // day form
      if (s_.horizon_hours != 0.0) {
        add("scenario.horizon_hours",
            "horizon_hours (continuous form) and days (day-structured form) exclude each other: "
            "give one of them");
      }
      if (s_.warmup_hours != 0.0) {
        add("scenario.warmup_hours",
            "only used with horizon_hours (in the day form each day starts empty)");
      }
      require(std::isfinite(s_.open_s) && s_.open_s >= 0.0 && s_.open_s < 86400.0, "scenario.open",
              "an opening time between 0 and 86400 seconds after midnight", s_.open_s);
    }
    if (!dividesDay(s_.interval_minutes)) {
      add("scenario.interval_minutes",
          "expected a positive number of minutes that divides a day (e.g. 15, 30, 60), got " +
              num(s_.interval_minutes));
    } else if (s_.interval_minutes < kMinIntervalMinutes) {
      add("scenario.interval_minutes",
          "expected intervals of at least 1 minute (e.g. 15, 30, 60), got " +
              num(s_.interval_minutes));
    }
    checkReplications();
  }

  // The run's length: warm-up and horizon together, or the number of days.
  void checkRunLength() {
    const double h = s_.horizon_hours, w = s_.warmup_hours;
    if (s_.days > kMaxDays) {
      add("scenario.days", fmt::format("expected a whole number of days from 1 to {} (100 years), "
                                       "got {}",
                                       kMaxDays, s_.days));
    }
    if (s_.days != 0) return;
    if (positive(h) && h > kMaxRunHours) {
      add("scenario.horizon_hours",
          fmt::format("expected at most {} hours (about 114 years, warm-up included), got {}",
                      kMaxRunHours, num(h)));
    }
    if (nonNegative(w) && w > kMaxRunHours) {
      add("scenario.warmup_hours",
          fmt::format("expected at most {} hours (about 114 years, horizon included), got {}",
                      kMaxRunHours, num(w)));
    } else if (nonNegative(w) && positive(h) && h <= kMaxRunHours && h + w > kMaxRunHours) {
      add("scenario.warmup_hours",
          fmt::format("expected at most {} hours: warmup_hours + horizon_hours may be at most {} "
                      "(about 114 years), got {} + {}",
                      num(kMaxRunHours - h), kMaxRunHours, num(w), num(h)));
    }
  }

  // Every replication's metrics are kept until the run is summarised: one set overall, per
  // channel, per agent group, per interval and per interval × channel.
  void checkReplications() {
    const double channels = static_cast<double>(s_.channels.size());
    const double groups =
        s_.agent_groups.empty() ? channels : static_cast<double>(s_.agent_groups.size());
    const double intervals = s_.intervalsPerDay();
    const double sets = 1 + channels + groups + intervals + intervals * channels;
    const int most = static_cast<int>(std::clamp(std::floor(kMaxStoredMetricSets / sets), 1.0,
                                                 static_cast<double>(kMaxReplications)));
    if (s_.replications >= 1 && s_.replications <= most) return;
    if (most == kMaxReplications) {
      add("scenario.replications", fmt::format("expected an integer from 1 to {}, got {}",
                                               kMaxReplications, s_.replications));
    } else {
      add("scenario.replications",
          fmt::format("expected an integer from 1 to {} for this scenario, got {} (each "
                      "replication keeps {} sets of metrics — overall, per channel, agent group, "
                      "interval and interval × channel — and a run at most {})",
                      most, s_.replications, sets, kMaxStoredMetricSets));
    }
  }

  void checkChannel(const ChannelSpec& ch, const std::string& key) {
    if (!validId(ch.id)) {
      add(key + ".id",
          "expected a non-empty id of lowercase letters, digits and _, got \"" + ch.id + "\"");
    }
    if (s_.agent_groups.empty()) {
      checkAgents(ch.agents, key + ".agents");
    } else if (!ch.agents.empty()) {
      add(key + ".agents", "not used when [[agent_groups]] are given: staffing is set per group");
    }
    const std::string arrivals = key + ".arrivals";
    if (ch.arrivals.per_hour.empty()) add(arrivals + ".per_hour", "expected at least one value");
    for (std::size_t i = 0; i < ch.arrivals.per_hour.size(); ++i) {
      const double rate = ch.arrivals.per_hour[i];
      const std::string k = arrivals + ".per_hour[" + std::to_string(i) + "]";
      require(nonNegative(rate), k, "a non-negative rate per hour", rate);
      if (nonNegative(rate) && rate > kMaxPerHour)
        add(k, fmt::format("expected a rate of at most {} contacts per hour, got {}", kMaxPerHour,
                           num(rate)));
    }
    require(nonNegative(ch.arrivals.busyness_alpha), arrivals + ".busyness_alpha",
            "a positive number (0 = no daily variation)", ch.arrivals.busyness_alpha);
    for (std::size_t i = 0; i < ch.arrivals.day_factors.size(); ++i) {
      const double f = ch.arrivals.day_factors[i];
      const std::string k = arrivals + ".day_factors[" + std::to_string(i) + "]";
      require(nonNegative(f), k, "a non-negative multiplier of the day's rates", f);
      if (nonNegative(f) && f > kMaxDayFactor)
        add(k, fmt::format("expected a multiplier of the day's rates of at most {}, got {}",
                           kMaxDayFactor, num(f)));
    }
    checkDist(ch.handle_time, key + ".handle_time");
    if (ch.patience) checkDist(*ch.patience, key + ".patience");
    require(std::isfinite(ch.balk_probability) && ch.balk_probability >= 0.0 &&
                ch.balk_probability <= 1.0,
            key + ".balk_probability", "a probability from 0 to 1", ch.balk_probability);
    checkConcurrency(ch, key);
    require(positive(ch.service_level.threshold_s), key + ".service_level.threshold_s",
            "a positive number of seconds", ch.service_level.threshold_s);
    require(std::isfinite(ch.service_level.target) && ch.service_level.target > 0.0 &&
                ch.service_level.target <= 1.0,
            key + ".service_level.target", "a share greater than 0 and at most 1",
            ch.service_level.target);
  }

  void checkConcurrency(const ChannelSpec& ch, const std::string& key) {
    const bool chat_like = ch.kind == ChannelKind::Chat || ch.kind == ChannelKind::Messaging;
    if (ch.concurrency < 1 || ch.concurrency > 20) {
      add(key + ".concurrency", "expected a number of chats an agent holds, from 1 to 20, got " +
                                    std::to_string(ch.concurrency));
    } else if (ch.concurrency > 1 && !chat_like) {
      add(key + ".concurrency", std::string("only chat and messaging agents hold several "
                                            "conversations; this channel is ") +
                                    toString(ch.kind));
    } else if (ch.concurrency > 1 &&
               ch.concurrency_slowdown.size() < static_cast<std::size_t>(ch.concurrency)) {
      add(key + ".concurrency_slowdown",
          fmt::format("expected {} factors, one per number of chats held (the default curve "
                      "goes up to {} chats), got {}",
                      ch.concurrency, kDefaultSlowdownMax, ch.concurrency_slowdown.size()));
    }
    for (std::size_t i = 0; i < ch.concurrency_slowdown.size(); ++i)
      require(positive(ch.concurrency_slowdown[i]),
              key + ".concurrency_slowdown[" + std::to_string(i) + "]",
              "a positive handle-time factor", ch.concurrency_slowdown[i]);
    require(
        std::isfinite(ch.silent_abandon) && ch.silent_abandon >= 0.0 && ch.silent_abandon <= 1.0,
        key + ".silent_abandon", "a share from 0 to 1 of those who abandon", ch.silent_abandon);
    if (ch.silent_abandon > 0.0 && !chat_like)
      add(key + ".silent_abandon",
          std::string("only chat and messaging customers can leave without the agent "
                      "knowing; this channel is ") +
              toString(ch.kind));
    require(nonNegative(ch.silent_discovery_s), key + ".silent_discovery_s",
            "a non-negative number of seconds", ch.silent_discovery_s);
  }

  void checkAgents(const std::vector<int>& agents, const std::string& key) {
    if (agents.empty()) add(key, "expected at least one value");
    for (std::size_t i = 0; i < agents.size(); ++i) {
      if (agents[i] < 0) {
        add(key + "[" + std::to_string(i) + "]",
            "expected a non-negative number of agents, got " + std::to_string(agents[i]));
      } else if (agents[i] > kMaxAgents) {
        add(key + "[" + std::to_string(i) + "]",
            fmt::format("expected at most {} agents, got {}", kMaxAgents, agents[i]));
      }
    }
  }

  static bool validId(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
  }

  // Skills name existing channels, once each; every channel has at least one group serving it.
  void checkAgentGroups() {
    if (s_.agent_groups.empty()) return;
    std::string channel_ids;
    for (const ChannelSpec& ch : s_.channels)
      channel_ids += (channel_ids.empty() ? "" : ", ") + ch.id;
    std::map<std::string, std::string> first_use;
    std::set<std::string> served;
    for (std::size_t i = 0; i < s_.agent_groups.size(); ++i) {
      const AgentGroupSpec& g = s_.agent_groups[i];
      const std::string key = "agent_groups[" + std::to_string(i) + "]";
      if (!validId(g.id)) {
        add(key + ".id",
            "expected a non-empty id of lowercase letters, digits and _, got \"" + g.id + "\"");
      } else if (auto [it, inserted] = first_use.emplace(g.id, key + ".id"); !inserted) {
        add(key + ".id", "duplicate agent group id \"" + g.id + "\" (also " + it->second + ")");
      }
      const bool specialists =
          std::any_of(s_.intents.begin(), s_.intents.end(),
                      [&](const IntentSpec& in) { return in.transfer && in.transfer->to == g.id; });
      if (g.channels.empty() && !specialists)
        add(key + ".channels",
            "expected at least one channel id (only a group that intents transfer to may have "
            "none)");
      std::set<std::string> seen;
      for (std::size_t j = 0; j < g.channels.size(); ++j) {
        const std::string& id = g.channels[j];
        const std::string k = key + ".channels[" + std::to_string(j) + "]";
        const bool known = std::any_of(s_.channels.begin(), s_.channels.end(),
                                       [&](const ChannelSpec& ch) { return ch.id == id; });
        if (!known) {
          add(k, "no channel with id \"" + id + "\" (channels: " + channel_ids + ")");
        } else if (!seen.insert(id).second) {
          add(k, "channel \"" + id + "\" is listed twice");
        }
        served.insert(id);
      }
      checkAgents(g.agents, key + ".agents");
      for (std::size_t j = 0; j < g.intents.size(); ++j)
        if (std::none_of(s_.intents.begin(), s_.intents.end(),
                         [&](const IntentSpec& in) { return in.id == g.intents[j]; }))
          add(fmt::format("{}.intents[{}]", key, j),
              "no intent with id \"" + g.intents[j] + "\"" +
                  (s_.intents.empty() ? " (the file has no [[intents]])" : ""));
      require(probability(g.empathy), key + ".empathy", "a score from 0 to 1 (0.7: typical)",
              g.empathy);
      require(probability(g.professionalism), key + ".professionalism",
              "a score from 0 to 1 (0.7: typical)", g.professionalism);
      require(g.fcr_uplift >= -1.0 && g.fcr_uplift <= 1.0, key + ".fcr_uplift",
              "a number from -1 to 1 added to the intents' fcr (negative: a group that resolves "
              "less than typical)",
              g.fcr_uplift);
      require(positive(g.proficiency), key + ".proficiency",
              "a positive handle-time multiplier (1 = average, 0.8 = 20% faster)", g.proficiency);
    }
    for (std::size_t i = 0; i < s_.channels.size(); ++i) {
      const std::string& id = s_.channels[i].id;
      if (!id.empty() && !served.count(id)) {
        add("channels[" + std::to_string(i) + "]",
            "no agent group serves channel \"" + id + "\": add it to some group's channels");
      }
    }
  }

  // With intent skills, every contact must have some group that can take it.
  void checkIntentCoverage() {
    const bool skills = std::any_of(s_.agent_groups.begin(), s_.agent_groups.end(),
                                    [](const AgentGroupSpec& g) { return !g.intents.empty(); });
    if (!skills) return;
    for (const ChannelSpec& ch : s_.channels)
      for (const IntentSpec& in : s_.intents) {
        if (in.shareOf(ch.id) <= 0.0) continue;
        const bool covered =
            std::any_of(s_.agent_groups.begin(), s_.agent_groups.end(), [&](const auto& g) {
              const bool channel =
                  std::find(g.channels.begin(), g.channels.end(), ch.id) != g.channels.end();
              const bool intent = g.intents.empty() || std::find(g.intents.begin(), g.intents.end(),
                                                                 in.id) != g.intents.end();
              return channel && intent;
            });
        if (!covered)
          add("agent_groups", fmt::format("no group serving channel \"{}\" takes intent \"{}\" "
                                          "(add it to some group's intents)",
                                          ch.id, in.id));
      }
  }

  void checkCosts() {
    if (s_.costs) {
      require(nonNegative(s_.costs->agent_per_hour), "costs.agent_per_hour",
              "a non-negative cost per paid agent hour", s_.costs->agent_per_hour);
      require(std::isfinite(s_.costs->shrinkage) && s_.costs->shrinkage >= 0.0 &&
                  s_.costs->shrinkage < 1.0,
              "costs.shrinkage", "a share from 0 up to (not including) 1", s_.costs->shrinkage);
    }
    for (std::size_t i = 0; i < s_.agent_groups.size(); ++i) {
      const auto& rate = s_.agent_groups[i].cost_per_hour;
      if (!rate) continue;
      const std::string key = "agent_groups[" + std::to_string(i) + "].cost_per_hour";
      if (!s_.costs) {
        add(key, "needs a [costs] table (it sets shrinkage and the rate of the other groups)");
      } else {
        require(nonNegative(*rate), key, "a non-negative cost per paid agent hour", *rate);
      }
    }
  }

  static bool probability(double x) { return std::isfinite(x) && x >= 0.0 && x <= 1.0; }

  bool knownChannel(const std::string& id) const {
    return std::any_of(s_.channels.begin(), s_.channels.end(),
                       [&](const ChannelSpec& ch) { return ch.id == id; });
  }
  std::string channelList() const {
    std::string ids;
    for (const ChannelSpec& ch : s_.channels) ids += (ids.empty() ? "" : ", ") + ch.id;
    return ids;
  }

  // Each channel's arrivals split over the intents: shares of known channels, adding up to 1.
  void checkIntents() {
    if (s_.intents.empty()) return;
    std::map<std::string, std::string> first_use;
    std::map<std::string, double> total;
    for (std::size_t i = 0; i < s_.intents.size(); ++i) {
      const IntentSpec& in = s_.intents[i];
      const std::string key = "intents[" + std::to_string(i) + "]";
      if (!validId(in.id)) {
        add(key + ".id",
            "expected a non-empty id of lowercase letters, digits and _, got \"" + in.id + "\"");
      } else if (auto [it, inserted] = first_use.emplace(in.id, key + ".id"); !inserted) {
        add(key + ".id", "duplicate intent id \"" + in.id + "\" (also " + it->second + ")");
      }
      require(positive(in.handle_factor), key + ".handle_factor",
              "a positive multiplier of the channel's handle time", in.handle_factor);
      require(probability(in.fcr), key + ".fcr", "a probability from 0 to 1", in.fcr);
      if (in.bot_containment)
        require(probability(*in.bot_containment), key + ".bot_containment",
                "a probability from 0 to 1", *in.bot_containment);
      if (in.transfer) checkTransfer(*in.transfer, key + ".transfer");
      if (in.share.empty()) add(key + ".share", "expected at least one channel's share");
      for (const auto& [id, x] : in.share) {
        const std::string k = key + ".share." + id;
        if (!knownChannel(id)) {
          add(k, "no channel with id \"" + id + "\" (channels: " + channelList() + ")");
          continue;
        }
        require(probability(x), k, "a share from 0 to 1", x);
        if (std::isfinite(x)) total[id] += x;
      }
    }
    for (std::size_t c = 0; c < s_.channels.size(); ++c) {
      const std::string& id = s_.channels[c].id;
      const double sum = total.count(id) ? total[id] : 0.0;
      if (std::abs(sum - 1.0) > 1e-6) {
        add("intents", fmt::format("the shares of channel \"{}\" add up to {:g}, expected 1 "
                                   "(every contact has one reason)",
                                   id, sum));
      }
    }
  }

  void checkTransfer(const TransferSpec& t, const std::string& key) {
    if (s_.agent_groups.empty()) {
      add(key, "transfers go to an agent group: needs [[agent_groups]]");
      return;
    }
    if (!transferTarget(t.to))
      add(key + ".to", "no agent group with id \"" + t.to + "\" (groups: " + groupList() + ")");
    require(probability(t.share), key + ".share", "a probability from 0 to 1", t.share);
    checkDist(t.after, key + ".after");
  }

  bool transferTarget(const std::string& group) const {
    return std::any_of(s_.agent_groups.begin(), s_.agent_groups.end(),
                       [&](const AgentGroupSpec& g) { return g.id == group; });
  }

  std::string groupList() const {
    std::string out;
    for (const AgentGroupSpec& g : s_.agent_groups) out += (out.empty() ? "" : ", ") + g.id;
    return out;
  }

  void checkOutcomes() {
    if (!s_.outcomes) return;
    const OutcomesSpec& o = *s_.outcomes;
    if (o.customers < 1)
      add("outcomes.customers",
          fmt::format("expected a customer base of at least 1, got {}", o.customers));
    else if (o.customers > kMaxCustomers)
      add("outcomes.customers", fmt::format("expected a customer base of at most {}, got {}",
                                            kMaxCustomers, o.customers));
    if (o.value_per_year)
      require(nonNegative(*o.value_per_year), "outcomes.value_per_year",
              "a non-negative revenue per customer per year", *o.value_per_year);
    if (o.response_rate)
      require(std::isfinite(*o.response_rate) && *o.response_rate > 0 && *o.response_rate <= 1,
              "outcomes.response_rate", "a share above 0 and at most 1", *o.response_rate);
  }

  void checkEmpowerment() {
    if (!s_.empowerment) return;
    const EmpowermentSpec& e = *s_.empowerment;
    require(nonNegative(e.extra_minutes) && e.extra_minutes <= 240, "empowerment.extra_minutes",
            "minutes from 0 to 240", e.extra_minutes);
    require(probability(e.use), "empowerment.use", "a probability from 0 to 1", e.use);
    require(probability(e.fcr_gain), "empowerment.fcr_gain", "a probability from 0 to 1",
            e.fcr_gain);
    if (s_.intents.empty())
      add("empowerment", "needs [[intents]]: who needs extra time is set by their complexity");
  }

  void checkBot() {
    if (!s_.bot) return;
    const BotSpec& b = *s_.bot;
    if (b.channels.empty()) add("bot.channels", "expected at least one channel id");
    std::set<std::string> seen;
    for (std::size_t j = 0; j < b.channels.size(); ++j) {
      const std::string k = "bot.channels[" + std::to_string(j) + "]";
      if (!knownChannel(b.channels[j])) {
        add(k, "no channel with id \"" + b.channels[j] + "\" (channels: " + channelList() + ")");
      } else if (!seen.insert(b.channels[j]).second) {
        add(k, "channel \"" + b.channels[j] + "\" is listed twice");
      }
    }
    checkDist(b.conversation, "bot.conversation");
    require(probability(b.containment), "bot.containment", "a probability from 0 to 1",
            b.containment);
    require(positive(b.cold_handle_factor), "bot.cold_handle_factor",
            "a positive multiplier of the handle time", b.cold_handle_factor);
    if (b.loop_turns < 0 || b.loop_turns > 100)
      add("bot.loop_turns",
          "expected a number of extra turns from 0 to 100, got " + std::to_string(b.loop_turns));
    require(positive(b.turn_s), "bot.turn_s", "a positive number of seconds", b.turn_s);
    require(probability(b.loop_abandon), "bot.loop_abandon", "a probability from 0 to 1",
            b.loop_abandon);
    require(probability(b.false_containment), "bot.false_containment", "a probability from 0 to 1",
            b.false_containment);
    require(positive(b.escalated_handle_factor), "bot.escalated_handle_factor",
            "a positive multiplier of the handle time", b.escalated_handle_factor);
    require(nonNegative(b.cost_per_conversation), "bot.cost_per_conversation",
            "a non-negative cost", b.cost_per_conversation);
    if (b.cost_per_conversation > 0.0 && !s_.costs)
      add("bot.cost_per_conversation",
          "needs a [costs] table: costs are reported only with the agents' cost");
  }

  void checkJourneys() {
    if (!s_.journeys) return;
    const JourneySpec& j = *s_.journeys;
    require(probability(j.retry_unresolved), "journeys.retry_unresolved",
            "a probability from 0 to 1", j.retry_unresolved);
    require(probability(j.retry_abandoned), "journeys.retry_abandoned", "a probability from 0 to 1",
            j.retry_abandoned);
    checkDist(j.delay, "journeys.delay");
    require(probability(j.promise_follow_up), "journeys.promise_follow_up",
            "a probability from 0 to 1", j.promise_follow_up);
    require(probability(j.broken_promise), "journeys.broken_promise", "a probability from 0 to 1",
            j.broken_promise);
    require(positive(j.repeat_handle_factor), "journeys.repeat_handle_factor",
            "a positive multiplier of the handle time", j.repeat_handle_factor);
    require(probability(j.repeat_fcr_factor), "journeys.repeat_fcr_factor",
            "a multiplier of the intents' fcr from 0 to 1", j.repeat_fcr_factor);
    if (j.max_contacts < 1 || j.max_contacts > 100)
      add("journeys.max_contacts",
          "expected a number of contacts from 1 to 100, got " + std::to_string(j.max_contacts));
    std::set<std::string> rows;
    for (const auto& [from, row] : j.switch_rows) {
      const std::string key = "journeys.switch." + from;
      if (!knownChannel(from)) {
        add(key, "no channel with id \"" + from + "\" (channels: " + channelList() + ")");
        continue;
      }
      double sum = 0.0;
      bool ok = true;
      for (const auto& [to, p] : row) {
        const std::string k = key + "." + to;
        if (!knownChannel(to)) {
          add(k, "no channel with id \"" + to + "\" (channels: " + channelList() + ")");
          ok = false;
        } else if (!probability(p)) {
          require(false, k, "a probability from 0 to 1", p);
          ok = false;
        } else {
          sum += p;
        }
      }
      if (ok && std::abs(sum - 1.0) > 1e-6)
        add(key,
            fmt::format("the probabilities of the next channel add up to {:g}, expected 1", sum));
    }
  }

  void checkDist(const DistSpec& d, const std::string& key) {
    if (d.kind == DistSpec::Kind::Empirical) {
      if (d.values_s.empty()) {
        add(key + ".values_s", "expected at least one value");
        return;
      }
      bool values_ok = true;
      for (std::size_t i = 0; i < d.values_s.size(); ++i) {
        if (!nonNegative(d.values_s[i])) {
          values_ok = false;
          add(key + ".values_s[" + std::to_string(i) + "]",
              "expected a non-negative number of seconds, got " + num(d.values_s[i]));
        }
      }
      if (!values_ok) return;
      const double mean = DistSpec::empirical(d.values_s).mean_s;
      if (!(mean > 0.0)) {
        add(key + ".values_s", "expected values with a positive mean, got mean 0");
      } else if (std::abs(d.mean_s - mean) > 1e-9 * mean) {
        add(key + ".mean_s", "expected the mean of values_s (" + num(mean) + "), got " +
                                 num(d.mean_s) + " (build it with DistSpec::empirical)");
      }
      return;
    }
    require(positive(d.mean_s), key + ".mean_s", "a positive number of seconds", d.mean_s);
    if (d.kind == DistSpec::Kind::Lognormal || d.kind == DistSpec::Kind::Gamma) {
      require(positive(d.cv), key + ".cv", "a positive coefficient of variation", d.cv);
    }
  }

  // Per-interval lists: a single value is a constant; every longer list has one value per
  // interval, so they must agree in length, and in the day form the intervals fit in a day.
  void checkIntervalLists() {
    std::string ref_key;
    std::size_t ref_len = 0;
    auto visit = [&](std::size_t len, const std::string& key) {
      if (len <= 1) return;
      if (ref_len == 0) {
        ref_len = len;
        ref_key = key;
      } else if (len != ref_len) {
        add(key, "expected one value per interval: " + std::to_string(len) + " values, but " +
                     ref_key + " has " + std::to_string(ref_len));
      }
    };
    for (std::size_t i = 0; i < s_.channels.size(); ++i) {
      const std::string key = "channels[" + std::to_string(i) + "]";
      visit(s_.channels[i].agents.size(), key + ".agents");
      visit(s_.channels[i].arrivals.per_hour.size(), key + ".arrivals.per_hour");
    }
    for (std::size_t i = 0; i < s_.agent_groups.size(); ++i)
      visit(s_.agent_groups[i].agents.size(), "agent_groups[" + std::to_string(i) + "].agents");
    if (s_.days > 0 && ref_len > 0 && positive(s_.interval_minutes) &&
        static_cast<double>(ref_len) * s_.interval_minutes > kMinutesPerDay + 1e-9) {
      add(ref_key, "expected at most one day of intervals: " + std::to_string(ref_len) + " × " +
                       num(s_.interval_minutes) + " min is more than 24 h");
    } else if (ref_len > kMaxIntervals) {
      add(ref_key, fmt::format("expected at most {} values, one per interval (a week of "
                               "1-minute intervals), got {}",
                               kMaxIntervals, ref_len));
    }
  }

  const Scenario& s_;
  std::vector<Diagnostic> out_;
};

}  // namespace

namespace {

std::string clockText(double s) {
  const auto minutes = static_cast<int>(std::lround(std::fmod(s, 86400.0) / 60.0));
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

// Lays shifts on the plan's intervals; the problems go to `out`.
class ShiftLayout {
 public:
  ShiftLayout(const Scenario& s, std::vector<Diagnostic>& out) : s_(s), out_(out) {
    // Without a valid interval there is no plan to lay shifts on (interval_minutes is reported
    // by the value rules); the agents are left at zero.
    if (!dividesDay(s.interval_minutes) || s.interval_minutes < kMinIntervalMinutes) {
      unusable_ = true;
      return;
    }
    interval_s_ = s.intervalSeconds();
    // The plan is set by every per-interval list that is not computed from shifts.
    std::size_t n = 1;
    for (const ChannelSpec& ch : s.channels) {
      n = std::max(n, ch.arrivals.per_hour.size());
      if (ch.shifts.empty()) n = std::max(n, ch.agents.size());
    }
    for (const AgentGroupSpec& g : s.agent_groups)
      if (g.shifts.empty()) n = std::max(n, g.agents.size());
    if (s.dayStructured()) {
      base_s_ = s.open_s;
      intervals_ = static_cast<int>(n);
      per_day_ = intervals_;
      return;
    }
    if (n == 1) n = static_cast<std::size_t>(std::lround(kDay / interval_s_));
    const double days = static_cast<double>(n) * interval_s_ / kDay;
    if (std::abs(days - std::round(days)) > 1e-9 || std::round(days) < 1) {
      plan_error_ = fmt::format(
          "shifts repeat every day, so the scenario's cycle must be whole days; it is {} "
          "interval(s) of {:g} min ({:g} h): give per-interval lists covering whole days",
          n, s.interval_minutes, static_cast<double>(n) * interval_s_ / 3600.0);
      return;
    }
    intervals_ = static_cast<int>(n);
    days_ = static_cast<int>(std::round(days));
    per_day_ = intervals_ / days_;
  }

  // Agents on duty and on a break per interval; false (with diagnostics) when they cannot be
  // laid out.
  bool lay(const std::vector<ShiftSpec>& shifts, const std::string& key, std::vector<int>& agents,
           std::vector<int>& on_break) {
    agents.assign(static_cast<std::size_t>(intervals_), 0);
    on_break.assign(static_cast<std::size_t>(intervals_), 0);
    if (unusable_) return false;
    if (!plan_error_.empty()) {
      add(key, shifts.front().loc, plan_error_);
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < shifts.size(); ++i) {
      const ShiftSpec& sh = shifts[i];
      const std::string k = fmt::format("{}[{}]", key, i);
      if (sh.agents < 0 || sh.agents > kMaxAgents) {
        add(k + ".agents", sh.loc,
            fmt::format("expected agents from 0 to {}, got {}", kMaxAgents, sh.agents));
        ok = false;
        continue;
      }
      const auto first = whole(std::fmod(sh.start_s - base_s_ + kDay, kDay), k + ".start", sh,
                               "the start " + clockText(sh.start_s));
      int length = -1;
      if (sh.hours > 0 && sh.hours <= 24)
        length = whole(sh.hours * 3600.0, k + ".hours", sh, "the length");
      else
        add(k + ".hours", sh.loc, fmt::format("expected hours in (0, 24], got {:g}", sh.hours));
      if (first < 0 || length < 0) {
        ok = false;
        continue;
      }
      if (s_.dayStructured() && first + length > intervals_) {
        add(k + ".start", sh.loc,
            fmt::format("the shift {}–{} is not within opening hours ({}–{})",
                        clockText(sh.start_s), clockText(sh.start_s + sh.hours * 3600.0),
                        clockText(base_s_), clockText(base_s_ + intervals_ * interval_s_)));
        ok = false;
        continue;
      }
      std::vector<bool> resting(static_cast<std::size_t>(length), false);
      for (std::size_t b = 0; b < sh.breaks.size(); ++b) {
        const ShiftSpec::Break& br = sh.breaks[b];
        const std::string bk = fmt::format("{}.breaks[{}]", k, b);
        const auto off = whole(std::fmod(br.start_s - sh.start_s + kDay, kDay), bk + ".start", sh,
                               "a break's start " + clockText(br.start_s));
        int count = -1;
        if (br.minutes > 0)
          count = whole(br.minutes * 60.0, bk + ".minutes", sh, "a break");
        else
          add(bk + ".minutes", sh.loc, "expected minutes > 0");
        if (off < 0 || count < 0) {
          ok = false;
          continue;
        }
        if (off + count > length) {
          add(bk, sh.loc,
              fmt::format("the break {}–{} must lie inside the shift ({}–{})",
                          clockText(br.start_s), clockText(br.start_s + br.minutes * 60.0),
                          clockText(sh.start_s), clockText(sh.start_s + sh.hours * 3600.0)));
          ok = false;
          continue;
        }
        for (int j = 0; j < count; ++j) resting[static_cast<std::size_t>(off + j)] = true;
      }
      for (int d = 0; d < days_; ++d)
        for (int j = 0; j < length; ++j) {
          const auto at = static_cast<std::size_t>((d * per_day_ + first + j) % intervals_);
          int& n = (resting[static_cast<std::size_t>(j)] ? on_break : agents)[at];
          // Over kMaxAgents is reported by the value rules; INT_MAX is never passed.
          n = n > INT_MAX - sh.agents ? INT_MAX : n + sh.agents;
        }
    }
    return ok;
  }

 private:
  static constexpr double kDay = 86400.0;

  // The number of whole intervals in `seconds`, or -1 (reported) when it is not whole.
  int whole(double seconds, const std::string& key, const ShiftSpec& sh, const std::string& what) {
    const double k = seconds / interval_s_;
    if (std::abs(k - std::round(k)) < 1e-6) return static_cast<int>(std::round(k));
    add(key, sh.loc,
        fmt::format("{} must be a whole number of the scenario's {:g}-minute intervals", what,
                    s_.interval_minutes));
    return -1;
  }
  void add(const std::string& key, SourceLoc loc, std::string message) {
    Diagnostic d;
    d.key = key;
    d.loc = loc;
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  const Scenario& s_;
  std::vector<Diagnostic>& out_;
  double interval_s_ = 3600.0;
  double base_s_ = 0.0;
  int intervals_ = 1;
  int days_ = 1;
  int per_day_ = 1;
  bool unusable_ = false;
  std::string plan_error_;
};

}  // namespace

std::vector<Diagnostic> expandShifts(Scenario& scenario) {
  std::vector<Diagnostic> out;
  ShiftLayout layout(scenario, out);
  for (std::size_t i = 0; i < scenario.channels.size(); ++i) {
    ChannelSpec& ch = scenario.channels[i];
    if (!ch.shifts.empty())
      layout.lay(ch.shifts, fmt::format("channels[{}].shifts", i), ch.agents, ch.on_break);
  }
  for (std::size_t i = 0; i < scenario.agent_groups.size(); ++i) {
    AgentGroupSpec& g = scenario.agent_groups[i];
    if (!g.shifts.empty())
      layout.lay(g.shifts, fmt::format("agent_groups[{}].shifts", i), g.agents, g.on_break);
  }
  return out;
}

std::vector<Diagnostic> validateScenario(const Scenario& scenario) {
  return Rules(scenario).check();
}

}  // namespace cx
