// Scenario: the plain data a scenario file describes (DESIGN.md §5).
//
// Loading and validation live in scenario_load.cpp; the engine, the analytic module and the
// front ends read this struct and never the TOML. Everything here is in seconds unless the
// name says otherwise.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cx {

// Where a value came from in its file, for error messages. line/column are 1-based; 0 = unknown.
struct SourceLoc {
  int line = 0;
  int column = 0;
};

// A random duration: handle time, patience, ...
struct DistSpec {
  enum class Kind { Exponential, Lognormal, Gamma, Deterministic, Empirical };
  Kind kind = Kind::Exponential;
  double mean_s = 0.0;           // all kinds (for empirical: the mean of `values_s`)
  double cv = 1.0;               // lognormal and gamma: coefficient of variation (sd / mean);
                                 // the loader fills the true CV for the other kinds too
  std::vector<double> values_s;  // empirical: the observed values, drawn uniformly
  std::string source;            // empirical: the CSV file it came from, if any (for reports)

  // Well-formed specs for code (tests, the studio's editor): every field filled consistently.
  // `cv` is the true CV of the distribution for every kind (1 for exponential, 0 for
  // deterministic, the sample CV of the values for empirical).
  static DistSpec exponential(double mean_s);
  static DistSpec lognormal(double mean_s, double cv);
  static DistSpec gamma(double mean_s, double cv);
  static DistSpec deterministic(double value_s);
  static DistSpec empirical(std::vector<double> values_s, std::string source = {});
};

// The names used in scenario files ("exponential", "voice", ...), and back.
const char* toString(DistSpec::Kind kind);
std::optional<DistSpec::Kind> distKindFromString(std::string_view name);

enum class ChannelKind { Voice, Chat, Email, Messaging };
const char* toString(ChannelKind kind);

std::optional<ChannelKind> channelKindFromString(std::string_view name);

// The default chat slowdown curve goes up to this many chats; beyond it there is no source and
// a scenario must give the curve.
constexpr int kDefaultSlowdownMax = 5;

// Defaults of the simulated operation for keys a scenario file may leave out. They live in
// data/calibration.toml under [engine] with their sources (docs/CX_MODEL.md, "Engine
// defaults"), are read into Calibration::engine, and the loader fills every such key a file
// leaves out from the calibration in force, which the scenario keeps as `engine_defaults`.
// The in-code values equal the shipped file (tests/test_outcomes.cpp checks): they are what a
// scenario built in code starts from.
struct EngineDefaults {
  // Effective capacity, in chats, of an agent holding 2, 3, 4, 5 chats (holding one: 1), from
  // which the chat slowdown curve is computed (engine.channels.chat_capacity).
  std::array<double, kDefaultSlowdownMax - 1> chat_capacity = {1.7, 2.5, 2.9, 3.5};
  double silent_discovery_s = 60.0;         // channels.silent_discovery_s
  double service_level_threshold_s = 20.0;  // channels.service_level.threshold_s
  double service_level_target = 0.8;        // channels.service_level.target
  double fcr = 0.7;                         // intents.fcr
  double empathy = 0.7;                     // agent_groups.empathy
  double professionalism = 0.7;             // agent_groups.professionalism
  double bot_turn_s = 30.0;                 // bot.turn_s
  int max_contacts = 5;                     // journeys.max_contacts
  double extra_minutes = 15.0;              // empowerment.extra_minutes

  // The handle-time factors of a chat that is an agent's 1st, 2nd, ... k-th, k <= 5: n divided
  // by the effective capacity of an agent holding n chats. For concurrency > 5 the first 5
  // (the scenario must give the curve); empty for concurrency < 1.
  std::vector<double> chatSlowdown(int concurrency) const;
};
inline constexpr EngineDefaults kEngineDefaults{};

// The slowdown curve of the in-code defaults, 1 / 1.7 / 2.5 / 2.9 / 3.5 chats at 1-5 chats
// (Call Centre Helper, CALIBRATION.md "Channels"), equal to the shipped file's. A loaded
// scenario's curve comes from its calibration: scenario.engine_defaults.chatSlowdown(k).
std::vector<double> defaultChatSlowdown(int concurrency);

struct ServiceLevelSpec {
  // answered within this counts as "in service level"
  double threshold_s = kEngineDefaults.service_level_threshold_s;
  // the share the operation aims for (for colours, staffing)
  double target = kEngineDefaults.service_level_target;
  // Whether the file gave the key; if not, the value is the engine default in force.
  bool threshold_s_given = false;
  bool target_given = false;
};

struct ArrivalSpec {
  // Poisson rate per hour: one value = constant; several = one per interval (piecewise
  // constant, `Scenario::interval_minutes` long each, starting at the opening time).
  std::vector<double> per_hour;
  // Daily busyness factor Gamma(alpha, 1/alpha) multiplying all of a day's rates; 0 = off.
  double busyness_alpha = 0.0;
  // Day-of-week (or any cyclic) pattern: day d's rates are multiplied by
  // day_factors[d % size]; empty = every day alike. Day 0 is the first simulated day.
  std::vector<double> day_factors;

  // The rate in interval `i` of the day (or cycle): a single value applies to every interval,
  // a list is indexed cyclically. Requires a non-empty `per_hour` (validateScenario checks).
  double perHourAt(int interval) const {
    const std::size_t n = per_hour.size();
    return per_hour[n == 1 ? 0 : static_cast<std::size_t>(interval) % n];
  }
};

// A shift worked every day of the plan: `agents` agents from `start_s` (clock time) for
// `hours`, off duty during their breaks (docs/MODEL.md "Shifts and breaks"). Starts, lengths
// and breaks are whole intervals of the scenario.
struct ShiftSpec {
  struct Break {
    double start_s = 0.0;  // clock time
    double minutes = 0.0;
  };
  double start_s = 0.0;
  double hours = 8.0;
  int agents = 1;
  std::vector<Break> breaks;
  SourceLoc loc;  // of the shift's table
};

struct ChannelSpec {
  std::string id;
  ChannelKind kind = ChannelKind::Voice;
  // Agents dedicated to this channel: one value = constant; several = one per interval.
  std::vector<int> agents;
  // Or shifts: `agents` and `on_break` (agents paid but on a break, per interval) are then
  // computed from them by expandShifts().
  std::vector<ShiftSpec> shifts;
  std::vector<int> on_break;
  ArrivalSpec arrivals;
  DistSpec handle_time;
  std::optional<DistSpec> patience;  // absent: nobody abandons
  double balk_probability = 0.0;     // leaves at once when no agent is free on arrival
  ServiceLevelSpec service_level;
  // Chat: an agent holds up to `concurrency` chats; a chat's handle time is multiplied by
  // concurrency_slowdown[n-1] when it is the agent's n-th chat at the time it is picked up
  // (docs/MODEL.md "Chat concurrency"). The loader fills the default curve
  // (EngineDefaults::chatSlowdown) when the file leaves it out.
  int concurrency = 1;
  std::vector<double> concurrency_slowdown;
  // Chat/messaging: a share of those whose patience runs out leave without saying so; their
  // chat stays in the queue and costs the agent who picks it up `discovery_s`.
  double silent_abandon = 0.0;
  double silent_discovery_s = kEngineDefaults.silent_discovery_s;
  // Whether the file gave these keys; if not, they hold the engine defaults in force.
  bool concurrency_slowdown_given = false;
  bool silent_discovery_s_given = false;
  SourceLoc loc;  // of the [[channels]] table

  // Email and messaging: answered by a reply, worked when the synchronous queues allow;
  // their service level and first response time count to the reply (wait + handle).
  bool asynchronous() const { return kind == ChannelKind::Email || kind == ChannelKind::Messaging; }

  // Agents in interval `i`, with the same rule as ArrivalSpec::perHourAt.
  int agentsAt(int interval) const {
    const std::size_t n = agents.size();
    return agents[n == 1 ? 0 : static_cast<std::size_t>(interval) % n];
  }
};

// A team of agents with the same skills and staffing. Without [[agent_groups]] each channel
// has its own dedicated agents (the channel's `agents`), which is one group per channel.
struct AgentGroupSpec {
  std::string id;
  std::vector<std::string> channels;  // skills: the channel ids served, highest priority first
  std::vector<int> agents;            // on duty per interval (one value = constant)
  std::vector<ShiftSpec> shifts;      // or shifts, from which expandShifts() sets `agents`
  std::vector<int> on_break;          // paid agents on a break per interval (from shifts)
  std::vector<std::string> intents;   // intent skills: the intents it takes; empty: all
  // For the outcome model ([outcomes]): the agents' empathy and professionalism (0–1; 0.7 is
  // the calibration's typical agent), and what they add to the intents' fcr.
  double empathy = kEngineDefaults.empathy;
  double professionalism = kEngineDefaults.professionalism;
  bool empathy_given = false;  // whether the file gave them (else the engine defaults in force)
  bool professionalism_given = false;
  double fcr_uplift = 0.0;
  double proficiency = 1.0;             // handle-time multiplier: 0.8 = 20% faster than average
  std::optional<double> cost_per_hour;  // per paid hour; absent: [costs] agent_per_hour
  SourceLoc loc;                        // of the [[agent_groups]] table

  int agentsAt(int interval) const {
    const std::size_t n = agents.size();
    return agents[n == 1 ? 0 : static_cast<std::size_t>(interval) % n];
  }
};

// What agents cost ([costs]). Agents in the scenario are those on duty; each costs
// 1 / (1 - shrinkage) paid hours per hour on duty (breaks, training, absence are paid too).
struct CostSpec {
  double agent_per_hour = 0.0;  // fully loaded cost of one paid agent hour
  double shrinkage = 0.0;       // share of paid time not on duty, in [0, 1)
  SourceLoc loc;                // of the [costs] table

  // Cost of one hour on duty at `per_paid_hour`.
  double perDutyHour(double per_paid_hour) const { return per_paid_hour / (1.0 - shrinkage); }
};

// How hard a contact reason is for the customer: routine (order status), complex (a fault
// needing several steps) or emotional (a bereavement, a complaint). Drives how much the
// agent's care weighs in satisfaction.
enum class Complexity { Routine, Complex, Emotional };
const char* toString(Complexity complexity);
std::optional<Complexity> complexityFromString(std::string_view name);

// A contact reason ([[intents]]). With intents, each contact of a channel draws one from the
// channel's shares.
// A first-tier agent passes contacts of an intent to specialists (`transfer` of [[intents]]):
// after `after` (triage, on the first agent's time) the contact waits for an agent of group
// `to`, who handles it in full. A transfer is an effort driver.
struct TransferSpec {
  std::string to;      // id of the specialists' agent group
  double share = 1.0;  // P(an agent of another group transfers it rather than handle it)
  DistSpec after = DistSpec::exponential(120.0);  // first agent's time before the transfer
  SourceLoc loc;
};

struct IntentSpec {
  std::string id;
  Complexity complexity = Complexity::Routine;
  double handle_factor = 1.0;             // × the channel's handle time
  double fcr = kEngineDefaults.fcr;       // P(an agent resolves it on this contact)
  bool fcr_given = false;                 // whether the file gave it (else the engine default)
  std::optional<double> bot_containment;  // P(the bot resolves it); absent: [bot] containment
  std::vector<std::pair<std::string, double>> share;  // channel id → share of its arrivals
  std::optional<TransferSpec> transfer;               // absent: whoever answers handles it
  SourceLoc loc;                                      // of the [[intents]] table

  double shareOf(const std::string& channel) const {
    for (const auto& [id, x] : share)
      if (id == channel) return x;
    return 0.0;
  }
};

// The AI assistant ([bot]) in front of some channels: every contact of those channels talks
// to it first; it resolves (contains) some, the others are escalated to the agent queue
// (docs/MODEL.md, "AI assistant").
struct BotSpec {
  std::vector<std::string> channels;  // channel ids it sits in front of
  DistSpec conversation;              // time with the bot before it resolves or escalates
  double containment = 0.0;           // P(resolved by the bot), for intents without their own
  bool cold = false;                  // escalation: cold (customer starts over) or warm
  double cold_handle_factor = 1.0;    // cold: × handle time (the story told again)
  int loop_turns = 0;                 // extra bot turns before a person is offered
  // The length of one such turn, and whether the file gave it (else the engine default).
  double turn_s = kEngineDefaults.bot_turn_s;
  bool turn_s_given = false;
  double loop_abandon = 0.0;             // P(giving up) at each extra turn
  double false_containment = 0.0;        // share of "contained" customers not actually helped
  double escalated_handle_factor = 1.0;  // × handle time of escalated contacts (harder mix)
  double cost_per_conversation = 0.0;    // needs [costs]
  SourceLoc loc;                         // of the [bot] table

  bool serves(const std::string& channel) const {
    for (const std::string& id : channels)
      if (id == channel) return true;
    return false;
  }
};

// Customers coming back ([journeys]): a case (the customer's problem) lives across contacts
// until it is resolved or the customer gives up (docs/MODEL.md, "Journeys").
struct JourneySpec {
  double retry_unresolved = 0.0;  // P(coming back after a contact that did not solve it)
  double retry_abandoned = 0.0;   // P(coming back after abandoning, balking, quitting the bot)
  DistSpec delay;                 // time from the end of one contact to the next attempt
  // Next channel given the last one: rows of (channel id, probability); a channel without a
  // row keeps its customers.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, double>>>> switch_rows;
  bool shared_context = true;         // false: each new contact means telling the story again
  double repeat_handle_factor = 1.0;  // × handle time when the story is told again
  // × the intent's fcr for those contacts: an agent without the case history may try again
  // what already failed (1 = no effect).
  double repeat_fcr_factor = 1.0;
  int max_contacts = kEngineDefaults.max_contacts;  // a case ends unresolved after this many
  bool max_contacts_given = false;  // whether the file gave it (else the engine default)
  // After an answered contact that did not solve it: P(the agent promises to come back to the
  // customer), and P(that promise is broken: the customer chases instead).
  double promise_follow_up = 0.0;
  double broken_promise = 0.0;
  SourceLoc loc;  // of the [journeys] table
};

struct Calibration;  // sim/calibration.hpp

// What customers feel and do ([outcomes], docs/CX_MODEL.md): switches on CSAT, NPS, CES per
// contact and churn of a customer base through the cases.
struct OutcomesSpec {
  long customers = 0;                    // the customer base the cases come from
  std::optional<double> value_per_year;  // revenue per customer per year (else calibration)
  std::optional<double> response_rate;   // survey response rate (else calibration)
  std::string calibration_file;          // as written; empty: data/calibration.toml alone
  // The calibration in force (the shipped file, with calibration_file's values on top);
  // null when the scenario was built in code: then the in-code defaults (equal to the file).
  std::shared_ptr<const Calibration> calibration;
  SourceLoc loc;  // of the [outcomes] table
};

// The empowerment policy ([empowerment]): agents may take extra time with customers who need
// it — contacts of the listed complexities — trading handle time for resolution (and, in the
// satisfaction model, care).
struct EmpowermentSpec {
  // added to the handle time when the agent takes it
  double extra_minutes = kEngineDefaults.extra_minutes;
  bool extra_minutes_given = false;  // whether the file gave it (else the engine default)
  std::vector<Complexity> needs = {Complexity::Complex, Complexity::Emotional};
  double use = 1.0;       // P(the agent takes the extra time with a customer who needs it)
  double fcr_gain = 0.0;  // added to the intent's fcr when taken (clamped to 1)
  SourceLoc loc;          // of the [empowerment] table
};

struct Scenario {
  std::string name;
  std::filesystem::path source_path;  // empty when built in code

  // Time structure. Exactly one of the two forms:
  //  - continuous: `horizon_hours` measured after `warmup_hours` (days == 0);
  //  - day-structured: `days` days, each open from `open_s` (seconds after midnight) for
  //    `intervalsPerDay()` intervals; each day starts empty, so there is no warm-up.
  double horizon_hours = 0.0;
  double warmup_hours = 0.0;
  int days = 0;
  double open_s = 0.0;
  // Length of one interval. Per-interval lists in a continuous scenario start at time 0
  // (the start of the warm-up) and repeat once they run out.
  double interval_minutes = 60.0;

  std::uint64_t seed = 1;  // default seed for `cxsim run`
  int replications = 10;   // default replication count

  std::vector<ChannelSpec> channels;
  // Empty: every channel has its own agents. Otherwise channels have no `agents` and these
  // groups serve them (skills-based routing, docs/MODEL.md).
  std::vector<AgentGroupSpec> agent_groups;
  std::optional<CostSpec> costs;        // absent: no cost figures
  std::vector<IntentSpec> intents;      // empty: contacts have no reason (no resolution model)
  std::optional<BotSpec> bot;           // absent: no AI assistant
  std::optional<JourneySpec> journeys;  // absent: every contact is its own case, no retries
  std::optional<EmpowermentSpec> empowerment;  // absent: no extra time policy
  std::optional<OutcomesSpec> outcomes;        // absent: no CSAT, NPS, CES or churn
  // The engine defaults in force: those the loader filled the keys the file left out from
  // (data/calibration.toml's [engine], with the scenario's `[outcomes] calibration` file on
  // top); the in-code ones for a scenario built in code. The `*_given` flags of the specs say
  // which keys the file gave.
  EngineDefaults engine_defaults;

  bool dayStructured() const { return days > 0; }
  // The groups the engine runs: `agent_groups`, or one dedicated group per channel (id and
  // agents of the channel) when there are none. With [costs], every group's cost_per_hour is
  // filled in (its own, or the default rate).
  std::vector<AgentGroupSpec> effectiveAgentGroups() const;
  // What staffing is set for (the staffing planner and rosters): the channels' own agents, or
  // the agent groups when there are any. The ids of effectiveAgentGroups(), in its order.
  std::vector<std::string> staffedIds() const;
  // Number of intervals per day (day form) or per repeating cycle (continuous form): the
  // length of the per-interval lists, 1 when every rate and staffing level is constant. A list
  // of one value counts as a constant; all longer lists must have the same length.
  int intervalsPerDay() const;
  double intervalSeconds() const { return interval_minutes * 60.0; }
};

// One problem found in a scenario file.
struct Diagnostic {
  std::string file;
  SourceLoc loc;
  std::string key;             // dotted path, e.g. "channels[0].handle_time.mean_s"
  std::string message;         // what was expected (and what was found)
  std::string format() const;  // "file:line:col: key: message"
};

// Thrown by the loader with every problem it found (not just the first).
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Parse and validate a scenario file. Throws ScenarioError (never anything else for bad
// content; std::bad_alloc aside). Relative CSV paths are resolved against the file's folder.
//
// `overrides` ("KEY=VALUE", as `cxsim run --set`) change the file's TOML before it is checked,
// in order: KEY is a path of keys (`scenario.horizon_hours`), list entries by index
// (`channels[0].agents`) or by id (`channels.phone.agents`), list elements by index
// (`channels.phone.agents[3]`); VALUE is a TOML value (`50`, `[100, 200]`, `"text"`; text
// that is not TOML is taken as a string). Missing tables are created (a channel's `patience`
// created this way is exponential unless `dist` is set too). Problems with an override, and
// the loader's findings about the values it set, name it as their file ("--set KEY=VALUE").
Scenario loadScenario(const std::filesystem::path& file,
                      const std::vector<std::string>& overrides = {});
// The same from text already in memory; `name_for_errors` is used as the file name.
Scenario parseScenario(std::string_view toml_text, const std::string& name_for_errors,
                       const std::filesystem::path& base_dir = {},
                       const std::vector<std::string>& overrides = {});

// Makes `defaults` the engine defaults in force for `scenario`: every key with an engine
// default that the file did not give (its `*_given` flag is off) and that still holds the
// defaults in force (`scenario.engine_defaults`) takes the new default — so a value edited in
// code is kept — and the chat slowdown curve follows. The loader calls it with the calibration's
// defaults; the studio when the scenario's calibration changes.
void applyEngineDefaults(Scenario& scenario, const EngineDefaults& defaults);

// Check a scenario built in code (tests, the studio's editor) with the same rules as the
// loader; returns the problems found (empty = valid).
std::vector<Diagnostic> validateScenario(const Scenario& scenario);

// Turns the `shifts` of every channel and agent group into `agents` (on duty) and `on_break`
// per interval over the scenario's plan: its opening day in the day form; in the continuous
// form a cycle of whole days (24 h when nothing else sets the cycle), every shift worked on
// every day of it. Returns the problems found (shift times that are not whole intervals,
// shifts outside opening hours, breaks outside their shift), located at the shift.
std::vector<Diagnostic> expandShifts(Scenario& scenario);

}  // namespace cx
