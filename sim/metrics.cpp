#include "sim/metrics.hpp"

#include "sim/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cx {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double num, double den) {
  return den > 0 ? num / den : kNaN;
}

const std::array<MetricInfo, kMetricCount> kMetrics = {{
    {Metric::Offered, "offered", "offered", "", Better::Neither, true},
    {Metric::Answered, "answered", "answered", "", Better::Higher, true},
    {Metric::Abandoned, "abandoned", "abandoned", "", Better::Lower, true},
    {Metric::Balked, "balked", "balked", "", Better::Lower, true},
    {Metric::AbandonRate, "abandon_rate", "abandon rate", "%", Better::Lower, false},
    {Metric::PWait, "p_wait", "P(wait)", "%", Better::Lower, false},
    {Metric::AsaS, "asa_s", "ASA", "s", Better::Lower, false},
    {Metric::ServiceLevel, "service_level", "service level", "%", Better::Higher, false},
    {Metric::Occupancy, "occupancy", "occupancy", "%", Better::Neither, false},
    {Metric::AhtS, "aht_s", "AHT", "s", Better::Lower, false},
    {Metric::WaitAllS, "wait_all_s", "mean wait (all)", "s", Better::Lower, false},
    {Metric::QueueMean, "queue_mean", "mean queue", "", Better::Lower, false},
    {Metric::BusyMean, "busy_mean", "agents busy", "", Better::Neither, false},
    {Metric::AgentsMean, "agents_mean", "agents staffed", "", Better::Neither, false},
    {Metric::Deflected, "deflected", "deflected by bot", "", Better::Neither, true},
    {Metric::BotContainment, "bot_containment", "bot containment", "%", Better::Higher, false},
    {Metric::BotGaveUp, "bot_gave_up", "gave up in the bot", "", Better::Lower, true},
    {Metric::Fcr, "fcr", "FCR", "%", Better::Higher, false},
    {Metric::ContactsPerCase, "contacts_per_case", "contacts per case", "", Better::Lower, false},
    {Metric::CaseResolution, "case_resolution", "cases resolved", "%", Better::Higher, false},
    {Metric::ResolutionTimeS, "resolution_time_s", "time to resolution", "s", Better::Lower, false},
    {Metric::CostTotal, "cost_total", "cost", "money", Better::Lower, true},
    {Metric::CostPerContact, "cost_per_contact", "cost per contact", "money", Better::Lower, false},
    {Metric::CostPerResolved, "cost_per_resolved_case", "cost per resolved", "money", Better::Lower,
     false},
    {Metric::Csat, "csat", "CSAT", "%", Better::Higher, false},
    {Metric::CsatService, "csat_service", "CSAT, service side", "%", Better::Higher, false},
    {Metric::CsatCare, "csat_care", "CSAT, care side", "%", Better::Higher, false},
    {Metric::Nps, "nps", "NPS", "", Better::Higher, false},
    {Metric::Ces, "ces", "CES (1-7)", "", Better::Higher, false},
    // How precisely a real survey would measure CSAT: properties of the measurement, not of
    // the service, so neither direction is "better" (a CSAT moving towards 50% widens it).
    {Metric::SurveyResponses, "survey_responses", "survey responses", "", Better::Neither, true},
    {Metric::CsatMargin, "csat_survey_margin", "CSAT survey margin", "%", Better::Neither, false},
    {Metric::Churned, "churned", "customers lost", "", Better::Lower, true},
    {Metric::ChurnRate, "churn_rate", "churn", "%", Better::Lower, false},
    {Metric::RevenueAtRisk, "revenue_at_risk", "revenue at risk", "money", Better::Lower, true},
    {Metric::WomNegative, "wom_negative", "told of a bad case", "", Better::Lower, true},
    {Metric::FrtS, "frt_s", "first reply (async)", "s", Better::Lower, false},
    {Metric::SilentAbandoned, "silent_abandoned", "silent abandons", "", Better::Lower, true},
    {Metric::OpenAtEnd, "open_at_end", "unanswered at end", "", Better::Lower, true},
}};
}  // namespace

const MetricInfo& metricInfo(Metric metric) {
  return kMetrics[static_cast<std::size_t>(metric)];
}
const std::array<MetricInfo, kMetricCount>& allMetrics() {
  return kMetrics;
}

double surveyResponseRate(const Scenario& scenario) {
  if (!scenario.outcomes) return kNaN;
  const OutcomesSpec& o = *scenario.outcomes;
  if (o.response_rate) return *o.response_rate;
  if (o.calibration) return o.calibration->satisfaction.response_rate;
  return SatisfactionParams{}.response_rate;
}

bool metricByName(std::string_view name, Metric& out) {
  for (const auto& m : kMetrics)
    if (name == m.name) {
      out = m.metric;
      return true;
    }
  return false;
}

void Tally::add(const ContactRecord& r, double threshold_s, bool async_channel) {
  offered += 1;
  if (r.waited) waited += 1;
  if (r.reached_agents) reached += 1;
  if (r.open_at_end) {  // no answer yet: neither answered nor abandoned
    open_end += 1;
    return;
  }
  if (r.silent) silent += 1;
  if (r.via_bot) bot_conversations += 1;
  const bool handled = r.outcome == Outcome::Answered || r.outcome == Outcome::Deflected;
  if (r.intent != ContactRecord::kNoIntent && handled && r.contact_number == 1) {
    with_intent += 1;
    if (r.resolved) resolved += 1;
  }
  if (r.case_ended) {
    cases += 1;
    case_contacts += r.contact_number;
    if (r.resolved) {
      cases_resolved += 1;
      resolution_s += r.arrival_s + r.bot_s + r.wait_s + r.handle_s - r.case_start_s;
    }
  }
  wait_all_s += r.wait_s;
  switch (r.outcome) {
    case Outcome::Deflected:
      deflected += 1;
      break;
    case Outcome::Answered:
      answered += 1;
      wait_answered_s += r.wait_s;
      handle_s += r.handle_s;
      if (r.response_s <= threshold_s) within_sl += 1;
      if (async_channel) {
        replied += 1;
        frt_s += r.response_s;
      }
      break;
    case Outcome::Balked:
      balked += 1;
      abandoned += 1;
      break;
    case Outcome::Abandoned:
      abandoned += 1;
      if (r.via_bot && !r.reached_agents) bot_gave_up += 1;
      break;
  }
}

void Tally::add(const IntervalSample& s) {
  busy_agent_s += s.busy_agent_s;
  queue_contact_s += s.queue_contact_s;
  duration_s += s.duration_s;
}

void Tally::add(const GroupSample& s) {
  busy_agent_s += s.busy_agent_s;
  staffed_agent_s += s.staffed_agent_s;
  duration_s += s.duration_s;
  if (!s.after_close) {
    open_staffed_agent_s += s.staffed_agent_s;
    open_duration_s += s.duration_s;
  }
}

void Tally::addParallel(const Tally& o) {
  const double d = std::max(duration_s, o.duration_s);
  const double open = std::max(open_duration_s, o.open_duration_s);
  *this += o;
  duration_s = d;
  open_duration_s = open;
}

Tally& Tally::operator+=(const Tally& o) {
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  balked += o.balked;
  waited += o.waited;
  within_sl += o.within_sl;
  wait_answered_s += o.wait_answered_s;
  wait_all_s += o.wait_all_s;
  handle_s += o.handle_s;
  busy_agent_s += o.busy_agent_s;
  staffed_agent_s += o.staffed_agent_s;
  queue_contact_s += o.queue_contact_s;
  duration_s += o.duration_s;
  open_staffed_agent_s += o.open_staffed_agent_s;
  open_duration_s += o.open_duration_s;
  cost += o.cost;
  costed = costed || o.costed;
  reached += o.reached;
  deflected += o.deflected;
  bot_gave_up += o.bot_gave_up;
  bot_conversations += o.bot_conversations;
  with_intent += o.with_intent;
  resolved += o.resolved;
  cases += o.cases;
  case_contacts += o.case_contacts;
  cases_resolved += o.cases_resolved;
  resolution_s += o.resolution_s;
  journeys = journeys || o.journeys;
  bot_cost += o.bot_cost;
  rated += o.rated;
  csat += o.csat;
  csat_service += o.csat_service;
  csat_care += o.csat_care;
  nps += o.nps;
  ces += o.ces;
  churned += o.churned;
  churn_share += o.churn_share;
  revenue_at_risk += o.revenue_at_risk;
  wom_negative += o.wom_negative;
  outcomes = outcomes || o.outcomes;
  response_rate = std::max(response_rate, o.response_rate);
  frt_s += o.frt_s;
  replied += o.replied;
  silent += o.silent;
  open_end += o.open_end;
  async = async || o.async;
  silent_on = silent_on || o.silent_on;
  return *this;
}

MetricValues Tally::values() const {
  MetricValues v{};
  auto set = [&v](Metric m, double x) { v[static_cast<std::size_t>(m)] = x; };
  const double ended = answered + abandoned;
  set(Metric::Offered, offered);
  set(Metric::Answered, answered);
  set(Metric::Abandoned, abandoned);
  set(Metric::Balked, balked);
  set(Metric::AbandonRate, ratio(abandoned, ended));
  set(Metric::PWait, ratio(waited, reached));
  set(Metric::AsaS, ratio(wait_answered_s, answered));
  set(Metric::ServiceLevel, ratio(within_sl, ended));
  set(Metric::Occupancy, ratio(busy_agent_s, staffed_agent_s));
  set(Metric::AhtS, ratio(handle_s, answered));
  set(Metric::WaitAllS, ratio(wait_all_s, offered));
  set(Metric::QueueMean, ratio(queue_contact_s, duration_s));
  set(Metric::BusyMean, ratio(busy_agent_s, duration_s));
  set(Metric::AgentsMean, ratio(open_staffed_agent_s, open_duration_s));
  set(Metric::Deflected, bot_conversations > 0 ? deflected : kNaN);
  set(Metric::BotContainment, ratio(deflected, bot_conversations));
  set(Metric::BotGaveUp, bot_conversations > 0 ? bot_gave_up : kNaN);
  set(Metric::Fcr, ratio(resolved, with_intent));
  set(Metric::ContactsPerCase, journeys ? ratio(case_contacts, cases) : kNaN);
  set(Metric::CaseResolution, journeys ? ratio(cases_resolved, cases) : kNaN);
  set(Metric::ResolutionTimeS, journeys ? ratio(resolution_s, cases_resolved) : kNaN);
  set(Metric::CostTotal, costed ? cost + bot_cost : kNaN);
  set(Metric::CostPerContact, costed ? ratio(cost + bot_cost, answered + deflected) : kNaN);
  set(Metric::CostPerResolved, costed ? ratio(cost + bot_cost, cases_resolved) : kNaN);
  set(Metric::Csat, outcomes ? ratio(csat, rated) : kNaN);
  set(Metric::CsatService, outcomes ? ratio(csat_service, rated) : kNaN);
  set(Metric::CsatCare, outcomes ? ratio(csat_care, rated) : kNaN);
  set(Metric::Nps, outcomes ? ratio(nps, rated) : kNaN);
  set(Metric::Ces, outcomes ? ratio(ces, rated) : kNaN);
  // A survey of the rated contacts (docs/CX_MODEL.md "Surveys"): its expected responses, and
  // the margin of its CSAT share around the expected CSAT above (NaN with no response).
  const SurveyPrecision survey = surveyPrecision(rated, ratio(csat, rated), response_rate);
  set(Metric::SurveyResponses, outcomes ? survey.responses : kNaN);
  set(Metric::CsatMargin, outcomes ? survey.csat_margin_95 : kNaN);
  set(Metric::Churned, outcomes ? churned : kNaN);
  set(Metric::ChurnRate, outcomes ? churn_share : kNaN);
  set(Metric::RevenueAtRisk, outcomes ? revenue_at_risk : kNaN);
  set(Metric::WomNegative, outcomes ? wom_negative : kNaN);
  set(Metric::FrtS, async ? ratio(frt_s, replied) : kNaN);
  set(Metric::SilentAbandoned, silent_on ? silent : kNaN);
  set(Metric::OpenAtEnd, async ? open_end : kNaN);
  return v;
}

Monitor::Monitor(const Scenario& scenario)
    : channels_(scenario.channels.size()),
      intervals_(static_cast<std::size_t>(scenario.intervalsPerDay())),
      dedicated_(channels_),
      shares_agents_(channels_, false),
      cells_(channels_ * intervals_),
      after_close_(channels_) {
  for (const auto& ch : scenario.channels) {
    threshold_s_.push_back(ch.service_level.threshold_s);
    async_.push_back(ch.asynchronous());
  }
  for (std::size_t c = 0; c < channels_; ++c) {
    const bool silent = scenario.channels[c].silent_abandon > 0.0;
    for (std::size_t k = 0; k < intervals_; ++k) {
      cells_[k * channels_ + c].async = async_[c];
      cells_[k * channels_ + c].silent_on = silent;
    }
    after_close_[c].async = async_[c];
    after_close_[c].silent_on = silent;
  }
  if (scenario.journeys) {
    for (Tally& t : cells_) t.journeys = true;
    for (Tally& t : after_close_) t.journeys = true;
  }
  if (scenario.outcomes) {
    outcomes_ = true;
    if (scenario.outcomes->calibration) {
      sat_ = scenario.outcomes->calibration->satisfaction;
      customers_ = scenario.outcomes->calibration->customers;
    }
    if (scenario.outcomes->value_per_year)
      customers_.value_per_year = *scenario.outcomes->value_per_year;
    sat_.response_rate = surveyResponseRate(scenario);
    for (std::vector<Tally>* tallies : {&cells_, &after_close_})
      for (Tally& t : *tallies) {
        t.outcomes = true;
        t.response_rate = sat_.response_rate;
      }
    base_ = std::max(1L, scenario.outcomes->customers);
    for (const ChannelSpec& ch : scenario.channels) kinds_.push_back(ch.kind);
    for (const IntentSpec& in : scenario.intents) complexity_.push_back(in.complexity);
  }
  const std::vector<AgentGroupSpec> groups = scenario.effectiveAgentGroups();
  groups_ = groups.size();
  group_cells_.resize(groups_ * intervals_);
  group_after_close_.resize(groups_);
  if (scenario.costs && scenario.bot) bot_cost_ = scenario.bot->cost_per_conversation;
  for (const AgentGroupSpec& g : groups) {
    on_break_.push_back(g.on_break);
    empathy_.push_back(g.empathy);
    professionalism_.push_back(g.professionalism);
  }
  for (const AgentGroupSpec& g : groups)
    cost_per_agent_s_.push_back(scenario.costs && g.cost_per_hour
                                    ? scenario.costs->perDutyHour(*g.cost_per_hour) / 3600.0
                                    : kNaN);
  // A group handling one channel is dedicated to it; one handling several makes each of them
  // share agents (no channel occupancy, agents or cost of its own).
  for (std::size_t g = 0; g < groups_; ++g) {
    const std::vector<bool> serves = servedChannels(scenario, groups[g]);
    const auto count = std::count(serves.begin(), serves.end(), true);
    for (std::size_t c = 0; c < channels_; ++c) {
      if (!serves[c]) continue;
      if (count == 1)
        dedicated_[c].push_back(g);
      else
        shares_agents_[c] = true;
    }
  }
}

std::vector<bool> servedChannels(const Scenario& scenario, const AgentGroupSpec& group) {
  std::vector<bool> serves(scenario.channels.size(), false);
  for (std::size_t c = 0; c < scenario.channels.size(); ++c) {
    const std::string& id = scenario.channels[c].id;
    for (const std::string& skill : group.channels) serves[c] = serves[c] || skill == id;
    for (const IntentSpec& in : scenario.intents)
      serves[c] = serves[c] || (in.transfer && in.transfer->to == group.id && in.shareOf(id) > 0.0);
  }
  return serves;
}

void Monitor::onContact(const ContactRecord& r) {
  Tally& t = cells_[r.interval * channels_ + r.channel];
  t.add(r, threshold_s_[r.channel], async_[r.channel]);
  if (r.via_bot) t.bot_cost += bot_cost_;
  Tally& g = group_cells_[r.interval * groups_ + r.group];
  if (r.outcome == Outcome::Answered) {
    g.answered += 1;
    g.handle_s += r.handle_s;
  }
  if (outcomes_) {
    if (!r.open_at_end) rate(r, t, g);  // no reply yet: nothing to rate
    endCase(r, t);
  }
}

// The contact as the customer saw it, into the satisfaction model (docs/CX_MODEL.md).
Satisfaction Monitor::satisfaction(const ContactRecord& r) const {
  if (!outcomes_) return {};  // no [outcomes]: no satisfaction model to ask
  ContactExperience x;
  x.channel = kinds_[r.channel];
  if (r.intent != ContactRecord::kNoIntent) x.complexity = complexity_[r.intent];
  switch (r.outcome) {
    case Outcome::Answered:
      x.end = ContactEnd::Answered;
      break;
    case Outcome::Deflected:
      x.end = ContactEnd::BotOnly;
      break;
    case Outcome::Abandoned:
    case Outcome::Balked:
      x.end = ContactEnd::Abandoned;
      break;
  }
  x.wait_s = r.wait_s + r.transfer_wait_s;
  x.resolved = r.resolved;
  x.contact_number = static_cast<int>(r.contact_number);
  x.channel_switched = r.switched_channel;
  x.repeated_info = r.repeated_info;
  x.bot_failed = r.via_bot && !(r.outcome == Outcome::Deflected && r.resolved);
  x.bot_turns = r.bot_turns;
  x.transferred = r.transferred;
  x.empowered = r.empowered;
  if (r.outcome == Outcome::Answered) {
    x.empathy = empathy_[r.group];
    x.professionalism = professionalism_[r.group];
  }
  return predictSatisfaction(x, sat_);
}

// The expected answers are summed, so CSAT is the expected share of 4–5 among all contacts
// (what a survey averages to, without its sampling noise). Answered contacts count for their
// group.
void Monitor::rate(const ContactRecord& r, Tally& t, Tally& g) {
  const Satisfaction s = satisfaction(r);
  auto add = [&](Tally& to) {
    to.rated += 1;
    to.csat += s.p_csat;
    to.csat_service += s.service_score;
    to.csat_care += s.care_score;
    to.nps += 100.0 * (s.p_promoter - s.p_detractor);
    to.ces += s.expected_ces;
  };
  add(t);
  if (r.outcome == Outcome::Answered) {
    g.outcomes = true;
    g.response_rate = sat_.response_rate;
    add(g);
  }
}

// Cases: effort drivers summed over their contacts; when one ends, the customer it belongs to
// (the case id hashed onto the base: customers are not tracked by the engine) may leave, with
// the expected-value rules of docs/CX_MODEL.md "Customers over time", remembering earlier bad
// cases of the same customer. The churn is counted in the cell of the case's last contact.
void Monitor::endCase(const ContactRecord& r, Tally& t) {
  OpenCase c;
  if (r.contact_number > 1 || !r.case_ended) {
    auto it = open_cases_.find(r.case_id);
    if (it != open_cases_.end()) c = it->second;
  }
  c.contacts = std::max(c.contacts + 1, static_cast<int>(r.contact_number));
  c.switches += r.switched_channel;
  c.transfers += r.transferred;
  c.repeated += r.repeated_info;
  c.bot_failures += r.via_bot && !(r.outcome == Outcome::Deflected && r.resolved);
  c.broken_promise = c.broken_promise || r.chase;
  c.public_channel = c.public_channel || kinds_[r.channel] == ChannelKind::Messaging;
  if (!r.case_ended) {
    open_cases_[r.case_id] = c;
    return;
  }
  open_cases_.erase(r.case_id);
  CaseSummary sum;
  sum.resolved = r.resolved;
  sum.contacts = c.contacts;
  sum.channel_switches = c.switches;
  sum.transfers = c.transfers;
  sum.repeated_info = c.repeated;
  sum.bot_failures = c.bot_failures;
  sum.broken_promise = c.broken_promise;
  sum.public_channel = c.public_channel;
  if (stay_.empty()) {
    stay_.assign(static_cast<std::size_t>(base_), 1.0f);
    bad_.assign(static_cast<std::size_t>(base_), 0);
  }
  // splitmix64 of the case id: cases spread over the base uniformly and reproducibly.
  std::uint64_t h = r.case_id + 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  const auto who = static_cast<std::size_t>(h % static_cast<std::uint64_t>(base_));
  const double p = leaveProbability(classifyCase(sum, customers_), bad_[who], customers_);
  const double lost = stay_[who] * p;
  stay_[who] = static_cast<float>(stay_[who] * (1.0 - p));
  const bool bad = isBadExperience(sum, customers_);
  if (bad && bad_[who] < 255) ++bad_[who];
  t.churned += lost;
  t.churn_share += lost / static_cast<double>(base_);
  t.revenue_at_risk += lost * customers_.value_per_year;
  if (bad)
    t.wom_negative +=
        customers_.wom_unhappy_mean * (sum.public_channel ? customers_.wom_public_factor : 1.0);
}

void Monitor::onInterval(const IntervalSample& s) {
  if (s.after_close)
    after_close_[s.channel].add(s);
  else
    cells_[s.interval * channels_ + s.channel].add(s);
}

void Monitor::onGroupInterval(const GroupSample& s) {
  Tally& t =
      s.after_close ? group_after_close_[s.group] : group_cells_[s.interval * groups_ + s.group];
  t.add(s);
  const double rate = cost_per_agent_s_[s.group];
  if (!std::isnan(rate)) {
    // Agents on a break (from shifts) are paid too, though not on duty.
    const std::vector<int>& rest = on_break_[s.group];
    const int resting = rest.empty() || s.after_close ? 0 : rest[s.interval % rest.size()];
    t.cost += rate * (s.staffed_agent_s + resting * s.duration_s);
    t.costed = true;
  }
}

namespace {

// The agents' time of group tally `g` added to `t` (another team over the same time).
void addAgents(Tally& t, const Tally& g) {
  t.staffed_agent_s += g.staffed_agent_s;
  t.open_staffed_agent_s += g.open_staffed_agent_s;
  t.cost += g.cost;
  t.costed = t.costed || g.costed;
  t.open_duration_s = std::max(t.open_duration_s, g.open_duration_s);
}

}  // namespace

Tally Monitor::withAgents(Tally t, std::size_t c, const std::vector<Tally>& group_tallies) const {
  if (shares_agents_[c]) {
    t.staffed_agent_s = kNaN;
    t.cost = kNaN;
    return t;
  }
  t.staffed_agent_s = t.open_staffed_agent_s = t.open_duration_s = t.cost = 0.0;
  for (std::size_t g : dedicated_[c]) addAgents(t, group_tallies[g]);
  return t;
}

ReplicationMetrics Monitor::metrics() const {
  ReplicationMetrics m;
  std::vector<Tally> per_channel(after_close_);
  std::vector<Tally> per_group(group_after_close_);
  m.interval_channels.resize(intervals_);
  for (std::size_t k = 0; k < intervals_; ++k) {
    const std::vector<Tally> groups(
        group_cells_.begin() + static_cast<std::ptrdiff_t>(k * groups_),
        group_cells_.begin() + static_cast<std::ptrdiff_t>((k + 1) * groups_));
    Tally all;
    for (std::size_t c = 0; c < channels_; ++c) {
      const Tally& t = tally(k, c);
      m.interval_channels[k].push_back(withAgents(t, c, groups).values());
      all.addParallel(t);
      per_channel[c] += t;
    }
    // Agents: all groups, shared or not.
    all.busy_agent_s = all.staffed_agent_s = all.open_staffed_agent_s = all.open_duration_s =
        all.cost = 0.0;
    for (std::size_t g = 0; g < groups_; ++g) {
      all.busy_agent_s += groups[g].busy_agent_s;
      addAgents(all, groups[g]);
      per_group[g] += groups[g];
    }
    m.intervals.push_back(all.values());
  }
  Tally all;
  for (std::size_t c = 0; c < channels_; ++c) {
    m.channels.push_back(withAgents(per_channel[c], c, per_group).values());
    all.addParallel(per_channel[c]);
  }
  all.busy_agent_s = all.staffed_agent_s = all.open_staffed_agent_s = all.open_duration_s =
      all.cost = 0.0;
  for (std::size_t g = 0; g < groups_; ++g) {
    all.busy_agent_s += per_group[g].busy_agent_s;
    addAgents(all, per_group[g]);
    m.groups.push_back(per_group[g].values());
  }
  m.overall = all.values();
  return m;
}

}  // namespace cx

namespace cx {
const char* toString(Outcome outcome) {
  switch (outcome) {
    case Outcome::Answered:
      return "answered";
    case Outcome::Abandoned:
      return "abandoned";
    case Outcome::Balked:
      return "balked";
    case Outcome::Deflected:
      return "deflected";
  }
  return "?";
}
}  // namespace cx
