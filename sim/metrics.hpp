// Metrics (DESIGN.md §3) computed from contact records and interval samples: the Monitor is
// the SimObserver that folds them into tallies per channel × interval, per channel, per
// interval and overall, for one replication.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/customers.hpp"
#include "sim/records.hpp"
#include "sim/satisfaction.hpp"
#include "sim/scenario.hpp"

namespace cx {

enum class Metric : int {
  Offered,          // contacts that arrived
  Answered,         // reached an agent
  Abandoned,        // left (or balked) before an agent answered
  Balked,           // of which left at once on finding no free agent
  AbandonRate,      // abandoned / (answered + abandoned)
  PWait,            // share of contacts reaching the agents that found no free agent
  AsaS,             // mean wait of answered contacts
  ServiceLevel,     // answered within the threshold / (answered + abandoned)
  Occupancy,        // busy agent time / staffed agent time
  AhtS,             // mean handle time of answered contacts
  WaitAllS,         // mean time in queue of all contacts (abandoned and balked included)
  QueueMean,        // time-average number of contacts waiting
  BusyMean,         // time-average number of agents handling contacts
  AgentsMean,       // time-average number of agents present while open
  Deflected,        // resolved by the bot without an agent ([bot])
  BotContainment,   // deflected / contacts that talked to the bot
  BotGaveUp,        // of the abandoned: gave up in the bot's loop, never reaching the agents
  Fcr,              // share of handled first contacts of cases resolved ([[intents]])
  ContactsPerCase,  // contacts per ended case ([journeys])
  CaseResolution,   // share of ended cases that ended resolved ([journeys])
  ResolutionTimeS,  // mean time from a case's first contact to its resolution ([journeys])
  CostTotal,        // paid agent time × rate + bot conversations × cost ([costs])
  CostPerContact,   // cost_total / (answered + deflected)
  CostPerResolved,  // cost_total / cases resolved ([costs])
  Csat,             // expected share of 4–5 ratings ([outcomes]; docs/CX_MODEL.md)
  CsatService,      // CSAT from the service side alone (solved, quickly, correctly)
  CsatCare,         // CSAT from the care side alone (felt heard and valued)
  Nps,              // expected promoters − detractors, −100..100 ([outcomes])
  Ces,              // expected customer effort score, 1–7, higher = easier ([outcomes])
  SurveyResponses,  // expected survey responses: rated contacts × response rate ([outcomes])
  CsatMargin,       // 95% margin of error of a survey's CSAT share (surveyPrecision)
  Churned,          // expected customers lost through the cases that ended ([outcomes])
  ChurnRate,        // churned / customer base ([outcomes])
  RevenueAtRisk,    // churned × value per customer per year ([outcomes])
  WomNegative,      // expected people told about a bad case ([outcomes])
  FrtS,             // email, messaging: mean time from reaching the agents to the reply
  SilentAbandoned,  // of the abandoned: left a chat without a word (silent_abandon)
  OpenAtEnd,        // email, messaging: still waiting for a reply when the run ended
  Count_
};
constexpr std::size_t kMetricCount = static_cast<std::size_t>(Metric::Count_);

enum class Better { Higher, Lower, Neither };

struct MetricInfo {
  Metric metric;
  const char* name;   // as in JSON and CSV: "service_level"
  const char* label;  // for people: "service level"
  const char* unit;   // "s", "%", "" ...
  Better better;
  bool is_count;  // a total over the measured window (not a rate or mean)
};
const MetricInfo& metricInfo(Metric metric);
const std::array<MetricInfo, kMetricCount>& allMetrics();
// Finds a metric by its JSON name; returns false if there is none.
bool metricByName(std::string_view name, Metric& out);

// The survey response rate a scenario's outcome metrics use: [outcomes] response_rate, else
// its calibration's satisfaction.survey.response_rate; NaN without [outcomes].
double surveyResponseRate(const Scenario& scenario);

using MetricValues = std::array<double, kMetricCount>;  // NaN where undefined (e.g. no answers)

// Sums that metrics are ratios of; adding two tallies pools their contacts and time.
struct Tally {
  double offered = 0, answered = 0, abandoned = 0, balked = 0, waited = 0, within_sl = 0;
  double wait_answered_s = 0, wait_all_s = 0, handle_s = 0;
  double busy_agent_s = 0, staffed_agent_s = 0, queue_contact_s = 0, duration_s = 0;
  // Agents present while open (the day form's drain after closing left out, where agents
  // leave as they finish): the base of agents_mean, so it matches the staffing plan.
  double open_staffed_agent_s = 0, open_duration_s = 0;
  double reached = 0;  // contacts that came to the agents (p_wait's base)
  double deflected = 0, bot_conversations = 0, bot_gave_up = 0;
  double with_intent = 0, resolved = 0;  // handled first contacts with a reason; resolved
  // Cases ending (their last contact reported here): contacts they took, how many were
  // resolved, and the time from first contact to resolution of those.
  double cases = 0, case_contacts = 0, cases_resolved = 0, resolution_s = 0;
  double bot_cost = 0;    // bot conversations × cost
  double cost = 0;        // paid agent time × rate
  bool costed = false;    // the scenario has [costs]: cost is meaningful (0 is a cost)
  bool journeys = false;  // the scenario has [journeys]: case metrics are meaningful
  // Outcomes ([outcomes]): sums over contacts of the expected survey answers, and over ended
  // cases of the expected churn (customers, share of the base, revenue) and word of mouth.
  double rated = 0, csat = 0, csat_service = 0, csat_care = 0, nps = 0, ces = 0;
  double churned = 0, churn_share = 0, revenue_at_risk = 0, wom_negative = 0;
  bool outcomes = false;
  // Share of the rated contacts answering the survey (the scenario's, one for all contacts):
  // survey_responses and csat_survey_margin come from it through surveyPrecision.
  double response_rate = 0;

  double frt_s = 0, replied = 0;  // asynchronous channels: reply time, replies
  double silent = 0, open_end = 0;
  bool async = false;      // an email or messaging channel is in it: frt and backlog are meaningful
  bool silent_on = false;  // a channel with silent abandonment is in it

  void add(const ContactRecord& r, double threshold_s, bool async_channel = false);
  void add(const IntervalSample& s);
  void add(const GroupSample& s);
  // Same stretch of time, more contacts and agents (another channel): durations don't add.
  void addParallel(const Tally& other);
  Tally& operator+=(const Tally& other);  // other stretches of time: durations add
  MetricValues values() const;
};

// Metric values of one replication. Channel occupancy and agents are those of the groups
// dedicated to the channel; they are undefined (NaN) for a channel that shares agents.
// Group values: answered, AHT, occupancy, agents busy and staffed (others NaN or 0).
struct ReplicationMetrics {
  MetricValues overall{};
  std::vector<MetricValues> channels;                        // [channel]
  std::vector<MetricValues> groups;                          // [group]
  std::vector<MetricValues> intervals;                       // [interval], all channels
  std::vector<std::vector<MetricValues>> interval_channels;  // [interval][channel]
};

// The channels whose contacts a group's agents handle: its channel skills, and the channels
// of the intents transferred to it (specialists who take only transfers handle those
// channels' contacts too). A channel handled by a group that handles another channel too
// shares agents: it has no occupancy, agents or cost of its own (docs/MODEL.md).
std::vector<bool> servedChannels(const Scenario& scenario, const AgentGroupSpec& group);

class Monitor final : public SimObserver {
 public:
  explicit Monitor(const Scenario& scenario);
  void onContact(const ContactRecord& record) override;
  void onInterval(const IntervalSample& sample) override;
  void onGroupInterval(const GroupSample& sample) override;

  const Tally& tally(std::size_t interval, std::size_t channel) const {
    return cells_[interval * channels_ + channel];
  }
  ReplicationMetrics metrics() const;

  // What the satisfaction model predicts for this contact: the expected answers the outcome
  // metrics sum (all zero without [outcomes]). For drawing real surveys over a run's records
  // (sampleSurvey at surveyResponseRate()), e.g. to check csat_survey_margin.
  Satisfaction satisfaction(const ContactRecord& record) const;

 private:
  // Channel c's tally with its agents' time filled in from the groups: the groups dedicated
  // to it, or NaN when it shares agents with another channel.
  Tally withAgents(Tally t, std::size_t c, const std::vector<Tally>& group_tallies) const;

  std::size_t channels_ = 0, intervals_ = 0, groups_ = 0;
  std::vector<double> threshold_s_;
  std::vector<bool> async_;                          // per channel: email or messaging
  std::vector<std::vector<std::size_t>> dedicated_;  // [channel]: groups handling it alone
  std::vector<bool> shares_agents_;                  // [channel]
  std::vector<Tally> cells_;        // [interval][channel]: contacts, channel busy and queue
  std::vector<Tally> group_cells_;  // [interval][group]: agents busy and staffed
  // Day form: agent and queue time after closing, while the last agents clear the queue.
  // It belongs to the totals but to no interval, so each interval's figures describe its
  // own opening time.
  std::vector<Tally> after_close_;          // [channel]
  std::vector<Tally> group_after_close_;    // [group]
  std::vector<double> cost_per_agent_s_;    // [group]: per second on duty, NaN without [costs]
  std::vector<std::vector<int>> on_break_;  // [group][interval]: paid agents on a break
  double bot_cost_ = 0.0;                   // per bot conversation (with [costs])

  // Outcomes ([outcomes]).
  struct OpenCase {  // effort drivers so far of a case that has not ended
    int contacts = 0, switches = 0, transfers = 0, repeated = 0, bot_failures = 0;
    bool broken_promise = false, public_channel = false;
  };
  void rate(const ContactRecord& r, Tally& t, Tally& g);
  void endCase(const ContactRecord& r, Tally& t);
  bool outcomes_ = false;
  SatisfactionParams sat_;
  CustomerParams customers_;
  long base_ = 0;
  std::vector<ChannelKind> kinds_;                 // [channel]
  std::vector<Complexity> complexity_;             // [intent]
  std::vector<double> empathy_, professionalism_;  // [group]
  std::unordered_map<std::uint64_t, OpenCase> open_cases_;
  std::vector<float> stay_;        // [customer]: P(still a customer), lazily sized
  std::vector<std::uint8_t> bad_;  // [customer]: bad experiences remembered
};

}  // namespace cx
