#include "sim/metrics.hpp"

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
    {Metric::Fcr, "fcr", "FCR", "%", Better::Higher, false},
    {Metric::ContactsPerCase, "contacts_per_case", "contacts per case", "", Better::Lower, false},
    {Metric::CaseResolution, "case_resolution", "cases resolved", "%", Better::Higher, false},
    {Metric::ResolutionTimeS, "resolution_time_s", "time to resolution", "s", Better::Lower, false},
    {Metric::CostTotal, "cost_total", "cost", "money", Better::Lower, true},
    {Metric::CostPerContact, "cost_per_contact", "cost per contact", "money", Better::Lower, false},
}};
}  // namespace

const MetricInfo& metricInfo(Metric metric) {
  return kMetrics[static_cast<std::size_t>(metric)];
}
const std::array<MetricInfo, kMetricCount>& allMetrics() {
  return kMetrics;
}

bool metricByName(std::string_view name, Metric& out) {
  for (const auto& m : kMetrics)
    if (name == m.name) {
      out = m.metric;
      return true;
    }
  return false;
}

void Tally::add(const ContactRecord& r, double threshold_s) {
  offered += 1;
  if (r.waited) waited += 1;
  if (r.reached_agents) reached += 1;
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
      if (r.wait_s <= threshold_s) within_sl += 1;
      break;
    case Outcome::Balked:
      balked += 1;
      abandoned += 1;
      break;
    case Outcome::Abandoned:
      abandoned += 1;
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
  bot_conversations += o.bot_conversations;
  with_intent += o.with_intent;
  resolved += o.resolved;
  cases += o.cases;
  case_contacts += o.case_contacts;
  cases_resolved += o.cases_resolved;
  resolution_s += o.resolution_s;
  journeys = journeys || o.journeys;
  bot_cost += o.bot_cost;
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
  set(Metric::Fcr, ratio(resolved, with_intent));
  set(Metric::ContactsPerCase, journeys ? ratio(case_contacts, cases) : kNaN);
  set(Metric::CaseResolution, journeys ? ratio(cases_resolved, cases) : kNaN);
  set(Metric::ResolutionTimeS, journeys ? ratio(resolution_s, cases_resolved) : kNaN);
  set(Metric::CostTotal, costed ? cost + bot_cost : kNaN);
  set(Metric::CostPerContact, costed ? ratio(cost + bot_cost, answered + deflected) : kNaN);
  return v;
}

Monitor::Monitor(const Scenario& scenario)
    : channels_(scenario.channels.size()),
      intervals_(static_cast<std::size_t>(scenario.intervalsPerDay())),
      dedicated_(channels_),
      shares_agents_(channels_, false),
      cells_(channels_ * intervals_),
      after_close_(channels_) {
  for (const auto& ch : scenario.channels) threshold_s_.push_back(ch.service_level.threshold_s);
  if (scenario.journeys) {
    for (Tally& t : cells_) t.journeys = true;
    for (Tally& t : after_close_) t.journeys = true;
  }
  const std::vector<AgentGroupSpec> groups = scenario.effectiveAgentGroups();
  groups_ = groups.size();
  group_cells_.resize(groups_ * intervals_);
  group_after_close_.resize(groups_);
  if (scenario.costs && scenario.bot) bot_cost_ = scenario.bot->cost_per_conversation;
  for (const AgentGroupSpec& g : groups) on_break_.push_back(g.on_break);
  for (const AgentGroupSpec& g : groups)
    cost_per_agent_s_.push_back(scenario.costs && g.cost_per_hour
                                    ? scenario.costs->perDutyHour(*g.cost_per_hour) / 3600.0
                                    : kNaN);
  for (std::size_t g = 0; g < groups_; ++g)
    for (std::size_t c = 0; c < channels_; ++c)
      for (const std::string& id : groups[g].channels)
        if (id == scenario.channels[c].id) {
          if (groups[g].channels.size() == 1)
            dedicated_[c].push_back(g);
          else
            shares_agents_[c] = true;
        }
}

void Monitor::onContact(const ContactRecord& r) {
  Tally& t = cells_[r.interval * channels_ + r.channel];
  t.add(r, threshold_s_[r.channel]);
  if (r.via_bot) t.bot_cost += bot_cost_;
  if (r.outcome == Outcome::Answered) {
    Tally& g = group_cells_[r.interval * groups_ + r.group];
    g.answered += 1;
    g.handle_s += r.handle_s;
  }
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
