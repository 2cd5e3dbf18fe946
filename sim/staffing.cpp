// Staffing requirements: analytic per interval (voice, chat, email) and the iterative
// simulation-based search. See staffing.hpp and docs/STAFFING.md.
#include "sim/staffing.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/report.hpp"

namespace cx {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

// A chat channel's concurrency for the planner: k·N slots at the handle time of a full agent,
// aht × slowdown(k) (chatRequirement), so growth = (slowdown(k) − 1) / (k − 1). k = 1 elsewhere.
ChatConcurrency chatOf(const ChannelSpec& ch) {
  ChatConcurrency chat;
  if (ch.concurrency > 1) {
    chat.concurrency = ch.concurrency;
    chat.growth = (ch.concurrency_slowdown[static_cast<std::size_t>(ch.concurrency - 1)] - 1.0) /
                  (ch.concurrency - 1);
  }
  return chat;
}

// Shared agent groups: which part of channel c's requirement group g is planned to carry,
// a[g][c], summing to 1 over g for every channel some group serves. A channel is carried by
// the groups that list it first (their main skill); if none does, by every group serving it.
// Among those, in proportion to the share of the channel's contact reasons the group takes
// (1 when it takes them all). Groups serving a channel only as a second skill carry none of
// it in the plan; in the simulation they still help when idle, which the measured service
// shows. Dedicated agents (no [[agent_groups]]): the identity.
std::vector<std::vector<double>> groupShares(const Scenario& scenario) {
  const std::vector<AgentGroupSpec> groups = scenario.effectiveAgentGroups();
  std::vector<std::vector<double>> a(groups.size(),
                                     std::vector<double>(scenario.channels.size(), 0.0));
  for (std::size_t c = 0; c < scenario.channels.size(); ++c) {
    const std::string& id = scenario.channels[c].id;
    // The share of the channel's contact reasons group g may take.
    auto cover = [&](const AgentGroupSpec& g) {
      if (g.intents.empty() || scenario.intents.empty()) return 1.0;
      double all = 0.0, taken = 0.0;
      for (const IntentSpec& in : scenario.intents) {
        all += in.shareOf(id);
        if (std::find(g.intents.begin(), g.intents.end(), in.id) != g.intents.end())
          taken += in.shareOf(id);
      }
      return all > 0.0 ? taken / all : 1.0;
    };
    auto serves = [&](const AgentGroupSpec& g) {
      return std::find(g.channels.begin(), g.channels.end(), id) != g.channels.end();
    };
    for (const bool first_only : {true, false}) {
      double total = 0.0;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const bool candidate =
            first_only ? (!groups[g].channels.empty() && groups[g].channels.front() == id)
                       : serves(groups[g]);
        a[g][c] = candidate ? cover(groups[g]) : 0.0;
        total += a[g][c];
      }
      if (total > 0.0) {
        for (auto& row : a) row[c] /= total;
        break;
      }
    }
  }
  return a;
}

// Whether group g takes contacts of intent `id` (intent skills; none listed: every intent).
bool takesIntent(const AgentGroupSpec& g, const std::string& id) {
  return g.intents.empty() || std::find(g.intents.begin(), g.intents.end(), id) != g.intents.end();
}

// Of channel c's contacts of intent `in` that agents answer, the share passed on to the
// intent's `transfer` group: the engine's first agent transfers with probability `share`,
// unless the agent is of that group. Answered, as planned, by the groups carrying the channel
// (a[g][c]) that take the intent (all carriers if none of them does). 0 without a transfer.
double transferredShare(const std::vector<AgentGroupSpec>& groups,
                        const std::vector<std::vector<double>>& a, std::size_t c,
                        const IntentSpec& in) {
  if (!in.transfer) return 0.0;
  double taking = 0.0, others = 0.0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (a[g][c] <= 0.0 || !takesIntent(groups[g], in.id)) continue;
    taking += a[g][c];
    if (groups[g].id != in.transfer->to) others += a[g][c];
  }
  return in.transfer->share * (taking > 0.0 ? others / taking : 1.0);
}

// The bot's handle-time factor for the contacts it escalates on channel `id` (1 without a bot).
double botHandleFactor(const Scenario& scenario, const std::string& id) {
  if (!scenario.bot || !scenario.bot->serves(id)) return 1.0;
  return scenario.bot->escalated_handle_factor *
         (scenario.bot->cold ? scenario.bot->cold_handle_factor : 1.0);
}

// The share e of a contact of reason `in` on channel `ch` that reaches the agents past the bot:
// (1 − containment) × (1 − loop_abandon)^loop_turns (1 without a bot). `in` null: a contact
// without a reason (the bot's own containment).
double pastTheBot(const Scenario& scenario, const ChannelSpec& ch, const IntentSpec* in) {
  if (!scenario.bot || !scenario.bot->serves(ch.id)) return 1.0;
  const BotSpec& bot = *scenario.bot;
  const double contained = in && in->bot_containment ? *in->bot_containment : bot.containment;
  return (1.0 - contained) * std::pow(1.0 - bot.loop_abandon, bot.loop_turns);
}

// What reaches the agents of each channel, for the formulas: the share of its arrivals that
// the AI assistant passes on (`reach`), and their mean handle time. A channel behind the bot
// passes on, for each contact reason i with share p_i, e_i = (1 − containment_i) × (1 −
// loop_abandon)^loop_turns (those who neither were contained nor gave up in the bot loop);
// reach = Σ p_i e_i / Σ p_i. Handle time: the channel's mean × the reasons' handle-time
// factors weighted by p_i e_i (the harder mix the bot leaves), × escalated_handle_factor
// and, for cold escalations, cold_handle_factor; then × the proficiency of the groups
// carrying the channel, weighted by their parts a[g][c] (docs/STAFFING.md). A reason with a
// `transfer` costs the first agent only its triage time (`after`, its mean) on the share t_i
// passed on (transferredShare); the receiving group plans those as a stream of its own
// (plannedTransfers). Without intents the reason factors are 1; dedicated agents have
// proficiency 1. Not seen: customers coming back (falsely contained, unresolved, abandoned),
// the bot's conversation time shifting arrivals later — the simulation method measures those.
struct PlannedStream {
  double reach = 1.0;     // share of the forecast arrivals that reaches agents
  double handle_s = 0.0;  // their mean handle time
};
std::vector<PlannedStream> plannedStreams(const Scenario& scenario) {
  const std::vector<std::vector<double>> a = groupShares(scenario);
  const std::vector<AgentGroupSpec> groups = scenario.effectiveAgentGroups();
  std::vector<PlannedStream> out;
  for (std::size_t c = 0; c < scenario.channels.size(); ++c) {
    const ChannelSpec& ch = scenario.channels[c];
    // weighted: Σ e_i (1 − t_i) × handle factor_i; triage: Σ e_i t_i × triage_i / channel mean.
    double shares = 0.0, passed = 0.0, weighted = 0.0, triage = 0.0;
    for (const IntentSpec& in : scenario.intents) {
      const double share = in.shareOf(ch.id);
      const double e = share * pastTheBot(scenario, ch, &in);
      const double t = share > 0.0 ? transferredShare(groups, a, c, in) : 0.0;
      shares += share;
      passed += e;
      weighted += e * (1.0 - t) * in.handle_factor;
      if (t > 0.0) triage += e * t * in.transfer->after.mean_s / ch.handle_time.mean_s;
    }
    PlannedStream st;
    double factor = 1.0, triage_factor = 0.0;
    if (shares > 0.0) {
      st.reach = passed / shares;
      factor = passed > 0.0 ? weighted / passed : 1.0;
      triage_factor = passed > 0.0 ? triage / passed : 0.0;
    } else {
      st.reach = pastTheBot(scenario, ch, nullptr);
    }
    // The bot's factors lengthen the contact, not the first agent's triage before a transfer.
    factor = factor * botHandleFactor(scenario, ch.id) + triage_factor;
    double proficiency = 0.0, carried = 0.0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      proficiency += a[g][c] * groups[g].proficiency;
      carried += a[g][c];
    }
    st.handle_s = ch.handle_time.mean_s * factor * (carried > 0.0 ? proficiency / carried : 1.0);
    out.push_back(st);
  }
  return out;
}

// Contacts passed by first agents to group `group` (an intent's `transfer`), for the formulas.
// For each channel c, interval k and reason i transferring to the group: the forecast × the
// share p_i e_i / Σ p that reaches the agents × (1 − the channel's planned abandonment) × t_i
// (transferredShare), at the handle time the engine gives them there: the channel's mean ×
// handle_factor_i × the bot's factors × the group's proficiency (a transferred chat is held
// alone by an agent without the chat skill). The engine keeps a transferred customer on hold
// without patience and serves the group's transfers first in first out before its channels:
// Erlang C on this stream. Target: the feeding channel with the shortest threshold (a
// synchronous one if any: a customer on hold; an email's reply already waits for the
// specialist), since everyone in one FIFO queue waits alike.
struct TransferStream {
  std::size_t group = 0;          // index into Scenario::agent_groups
  std::vector<double> per_hour;   // [interval] transfers reaching the group
  std::vector<double> handle_s;   // [interval] their mean handle time at the group
  double mean_handle_s = 0.0;     // over the mix of reasons and channels (intervals without any)
  std::vector<std::string> from;  // feeding channels
  std::string target_channel;     // whose target and threshold apply
  analytic::StaffingTarget target;
};

// Whether an interval has work to staff: a forecast, or (simulation method) contacts that
// arrived in the simulation, e.g. returning customers in an interval without a forecast.
bool hasWork(const IntervalRequirement& r) {
  return r.per_hour > 0.0 || r.offered_per_hour > 0.0;
}

// The requirement of each group from its channels' (Erlang method, and the simulation's start):
// Σ_c a[g][c] × the channel's figure, plus the transfers it receives (`transfers`, by group id);
// the integer agents are the fractional ones rounded up. The service figures are those of the
// group's worst stream (channel or transfers).
std::vector<ChannelRequirement> groupRequirements(
    const Scenario& scenario, const std::vector<ChannelRequirement>& channels,
    const std::vector<std::vector<double>>& a, const std::vector<ChannelRequirement>& transfers) {
  std::vector<ChannelRequirement> out;
  const std::size_t intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  for (std::size_t g = 0; g < scenario.agent_groups.size(); ++g) {
    const AgentGroupSpec& spec = scenario.agent_groups[g];
    const ChannelRequirement* received = nullptr;
    for (const ChannelRequirement& t : transfers)
      if (t.id == spec.id) received = &t;
    ChannelRequirement gr;
    gr.id = spec.id;
    gr.model = "agent group";
    if (!spec.channels.empty())
      gr.model += fmt::format(" serving {}", fmt::join(spec.channels, ", "));
    if (received) gr.model += spec.channels.empty() ? " taking transfers" : "; taking transfers";
    gr.target = kNaN;
    gr.threshold_s = kNaN;
    for (std::size_t k = 0; k < intervals; ++k) {
      IntervalRequirement r;
      r.service_level = kNaN;
      r.asa_s = kNaN;
      r.abandon_rate = kNaN;
      // The worst stream (NaN: not measured, ignored).
      auto worst = [](double& into, double x, bool lower_is_worse) {
        if (std::isnan(x)) return;
        if (std::isnan(into) || (lower_is_worse ? x < into : x > into)) into = x;
      };
      auto add = [&](const IntervalRequirement& part, double share) {
        r.per_hour += share * part.per_hour;
        r.seated += share * part.seated;
        r.effective_load += share * part.effective_load;
        if (!std::isnan(part.offered_per_hour))
          r.offered_per_hour = (std::isnan(r.offered_per_hour) ? 0.0 : r.offered_per_hour) +
                               share * part.offered_per_hour;
        if (!hasWork(part)) return;
        worst(r.service_level, part.service_level, true);
        worst(r.asa_s, part.asa_s, false);
        worst(r.abandon_rate, part.abandon_rate, false);
      };
      for (std::size_t c = 0; c < channels.size(); ++c)
        if (a[g][c] > 0.0) add(channels[c].intervals[k], a[g][c]);
      if (received) add(received->intervals[k], 1.0);
      r.on_phone = static_cast<int>(std::ceil(r.seated - 1e-9));
      gr.intervals.push_back(r);
    }
    out.push_back(std::move(gr));
  }
  return out;
}

void checkOptions(const StaffingOptions& o) {
  require(o.shrinkage >= 0.0 && o.shrinkage < 1.0,
          fmt::format("shrinkage must be in [0, 1), got {}", o.shrinkage));
  if (o.target_sl)
    require(*o.target_sl >= 0.0 && *o.target_sl < 1.0,
            fmt::format("target service level must be in [0, 1), got {}", *o.target_sl));
  if (o.threshold_s)
    require(
        *o.threshold_s >= 0.0 && std::isfinite(*o.threshold_s),
        fmt::format("service-level threshold must be finite and >= 0 s, got {}", *o.threshold_s));
  if (o.max_abandon_rate)
    require(*o.max_abandon_rate > 0.0 && *o.max_abandon_rate <= 1.0,
            fmt::format("abandonment cap must be in (0, 1], got {}", *o.max_abandon_rate));
  if (o.max_occupancy)
    require(*o.max_occupancy > 0.0 && *o.max_occupancy <= 1.0,
            fmt::format("occupancy cap must be in (0, 1], got {}", *o.max_occupancy));
}

analytic::StaffingTarget targetFor(const ChannelSpec& ch, const StaffingOptions& o) {
  analytic::StaffingTarget t;
  t.service_level = o.target_sl.value_or(ch.service_level.target);
  t.threshold_s = o.threshold_s.value_or(ch.service_level.threshold_s);
  t.max_abandon_rate = ch.patience ? o.max_abandon_rate : std::nullopt;
  t.max_occupancy = o.max_occupancy;
  return t;
}

std::optional<double> patienceOf(const ChannelSpec& ch) {
  if (!ch.patience) return std::nullopt;
  return ch.patience->mean_s;
}

// Share of the step from N−1 to N agents needed to meet `goal` exactly on one metric, by
// linear interpolation: 0 if N−1 already meets it.
double stepShare(double at_lower, double at_n, double goal, bool higher_is_better) {
  const bool lower_meets = higher_is_better ? at_lower >= goal : at_lower <= goal;
  if (lower_meets) return 0.0;
  const double span = at_n - at_lower;
  if (span == 0.0) return 1.0;
  return std::clamp((goal - at_lower) / span, 0.0, 1.0);
}

// The fractional requirement in (N−1, N] given the minimum N and its figures: where the
// binding target's curve, drawn straight between N−1 and N, crosses the target.
double fractionalRequirement(double lambda, double aht, std::optional<double> patience,
                             const analytic::StaffingTarget& t, const analytic::QueueResult& at_n) {
  const int n = at_n.agents;
  analytic::QueueResult lower;  // N−1 = 0: nothing answered, everyone waits for ever
  lower.service_level = 0.0;
  lower.abandon_rate = 1.0;
  lower.occupancy = 1.0;
  if (n >= 2) lower = analytic::evaluate({lambda, aht, n - 1, patience, t.threshold_s});
  double share = stepShare(lower.service_level, at_n.service_level, t.service_level, true);
  if (t.max_abandon_rate)
    share = std::max(share,
                     stepShare(lower.abandon_rate, at_n.abandon_rate, *t.max_abandon_rate, false));
  if (t.max_occupancy)
    share = std::max(share, stepShare(lower.occupancy, at_n.occupancy, *t.max_occupancy, false));
  if (share <= 0.0) share = 1.0;  // N−1 meets everything: N = 1 with a trivial target
  return (n - 1) + share;
}

void setRostered(IntervalRequirement& r, double shrinkage) {
  r.required = r.seated / (1.0 - shrinkage);
  // Tolerance so that e.g. 54 / (1 − 0) never rounds up to 55 through floating error.
  r.agents = static_cast<int>(std::ceil(r.required - 1e-9));
}

double meanOf(const MetricEstimates& e, Metric m) {
  return e[static_cast<std::size_t>(m)].mean;
}

}  // namespace

QueueFigures queueFigures(const MetricEstimates& e) {
  QueueFigures q;
  q.service_level = meanOf(e, Metric::ServiceLevel);
  q.abandon_rate = meanOf(e, Metric::AbandonRate);
  const double ended = meanOf(e, Metric::Answered) + meanOf(e, Metric::Abandoned);
  const double lost = meanOf(e, Metric::BotGaveUp);
  if (std::isnan(lost) || lost <= 0.0 || !(ended > lost)) return q;
  q.service_level *= ended / (ended - lost);
  q.abandon_rate = std::max(0.0, (q.abandon_rate * ended - lost) / (ended - lost));
  q.bot_gave_up = lost / ended;
  return q;
}

namespace {

// ∫∫ of a piecewise-constant density w (erlangs of email work) starting at x0: W(x) = ∫_x0^x w,
// WW(x) = ∫_x0^x W. Exact (W is piecewise linear, WW piecewise quadratic).
class DoubleIntegral {
 public:
  DoubleIntegral(std::vector<double> density, double x0, double width)
      : w_(std::move(density)), x0_(x0), width_(width) {
    W_.push_back(0.0);
    WW_.push_back(0.0);
    for (double d : w_) {
      WW_.push_back(WW_.back() + W_.back() * width_ + d * width_ * width_ / 2.0);
      W_.push_back(W_.back() + d * width_);
    }
  }
  double total() const { return W_.back(); }
  double W(double x) const {
    if (x <= x0_) return 0.0;
    const double u = (x - x0_) / width_;
    const auto k = static_cast<std::size_t>(std::floor(u));
    if (k >= w_.size()) return W_.back();
    return W_[k] + w_[k] * (x - x0_ - width_ * k);
  }
  double WW(double x) const {
    if (x <= x0_) return 0.0;
    const double u = (x - x0_) / width_;
    const auto k = static_cast<std::size_t>(std::floor(u));
    if (k >= w_.size()) return WW_.back() + W_.back() * (x - x0_ - width_ * w_.size());
    const double dx = x - x0_ - width_ * k;
    return WW_[k] + W_[k] * dx + w_[k] * dx * dx / 2.0;
  }

 private:
  std::vector<double> w_, W_, WW_;
  double x0_, width_;
};

// The offered load (erlangs) at which `metric` of the Erlang model with n agents equals
// `measured`, by bisection (every metric used is monotone in the load). `rising`: the metric
// grows with the load (abandonment, occupancy); otherwise it falls (service level).
template <class Metric>
double impliedLoad(double measured, bool rising, int n, Metric metric) {
  auto beyond = [&](double load) {  // the load is at least the implied one
    const double v = metric(load);
    return rising ? v >= measured : v <= measured;
  };
  double lo = 0.0, hi = std::max(1.0, static_cast<double>(n));
  while (!beyond(hi)) {
    lo = hi;
    hi *= 2.0;
    if (hi > 64.0 * n + 1e4) return hi;
  }
  while (hi - lo > 1e-4 * std::max(1.0, hi)) {
    const double mid = 0.5 * (lo + hi);
    (beyond(mid) ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Analytic building blocks

SeatedRequirement queueRequirement(double per_hour, double aht_s, std::optional<double> patience_s,
                                   const analytic::StaffingTarget& target) {
  require(std::isfinite(per_hour) && per_hour >= 0.0,
          fmt::format("arrivals per hour must be finite and >= 0, got {}", per_hour));
  SeatedRequirement r;
  r.offered_load = per_hour / 3600.0 * aht_s;
  if (per_hour == 0.0) {
    r.at_n.service_level = 1.0;
    return r;
  }
  const double lambda = per_hour / 3600.0;
  r.at_n = analytic::minimumAgents(lambda, aht_s, patience_s, target);
  r.agents = r.at_n.agents;
  r.seated = fractionalRequirement(lambda, aht_s, patience_s, target, r.at_n);
  return r;
}

double chatHandleTime(double aht_s, const ChatConcurrency& chat) {
  require(chat.concurrency >= 1,
          fmt::format("chat concurrency must be >= 1, got {}", chat.concurrency));
  require(std::isfinite(chat.growth) && chat.growth >= 0.0,
          fmt::format("chat handle-time growth must be finite and >= 0, got {}", chat.growth));
  return aht_s * (1.0 + chat.growth * (chat.concurrency - 1));
}

SeatedRequirement chatRequirement(double per_hour, double aht_s, std::optional<double> patience_s,
                                  const ChatConcurrency& chat,
                                  const analytic::StaffingTarget& target) {
  SeatedRequirement slots =
      queueRequirement(per_hour, chatHandleTime(aht_s, chat), patience_s, target);
  SeatedRequirement r = slots;
  r.seated = slots.seated / chat.concurrency;
  r.agents = (slots.agents + chat.concurrency - 1) / chat.concurrency;
  return r;
}

EmailRequirement emailRequirement(const std::vector<double>& arrivals, double interval_s,
                                  double aht_s, double response_target_s, bool cyclic,
                                  double max_occupancy) {
  require(!arrivals.empty(), "email arrivals: need at least one interval");
  require(std::isfinite(interval_s) && interval_s > 0.0,
          fmt::format("interval length must be > 0 s, got {}", interval_s));
  require(std::isfinite(aht_s) && aht_s > 0.0,
          fmt::format("email handle time must be > 0 s, got {}", aht_s));
  require(std::isfinite(response_target_s) && response_target_s > 0.0,
          fmt::format("email response-time target must be > 0 s, got {}", response_target_s));
  require(max_occupancy > 0.0 && max_occupancy <= 1.0,
          fmt::format("occupancy cap must be in (0, 1], got {}", max_occupancy));
  for (double a : arrivals)
    require(std::isfinite(a) && a >= 0.0,
            fmt::format("email arrivals per interval must be finite and >= 0, got {}", a));

  const std::size_t n = arrivals.size();
  const double period = interval_s * static_cast<double>(n);
  const double T = response_target_s;
  // Cyclic: unroll enough earlier copies of the cycle that every window starts inside them.
  const std::size_t copies = cyclic ? static_cast<std::size_t>(std::ceil(T / period)) + 1 : 0;
  std::vector<double> density;  // erlangs of work, per interval of the unrolled line
  for (std::size_t c = 0; c <= copies; ++c)
    for (double a : arrivals) density.push_back(a * aht_s / interval_s);
  const double x0 = -static_cast<double>(copies) * period;
  const DoubleIntegral I(std::move(density), x0, interval_s);

  // Mean over [a, b] of agents(t) = (W(t) − W(t − T)) / T: each email's work spread evenly
  // over its window.
  auto meanAgents = [&](double a, double b) {
    return ((I.WW(b) - I.WW(a)) - (I.WW(b - T) - I.WW(a - T))) / (T * (b - a));
  };
  // Holding that mean over an interval shifts a little capacity later than the even spread
  // would put it, which can miss deadlines inside the interval. So each interval gets at least
  // the least constant capacity that, after the capacity already given, finishes (FIFO) every
  // email whose deadline falls in it: c ≥ (W(d − T) − C(a)) / (d − a) for d in (a, a + L].
  // W is linear between interval boundaries, so only d at the end and where d − T is a
  // boundary matter (the ratio is monotone in between).
  const std::size_t total_intervals = (copies + 1) * n;
  std::vector<double> capacity(total_intervals);  // agents (erlangs of work done), unrolled
  double C = 0.0;                                 // capacity given up to the interval's start
  for (std::size_t j = 0; j < total_intervals; ++j) {
    const double a = x0 + interval_s * static_cast<double>(j), b = a + interval_s;
    double c = meanAgents(a, b);
    auto need = [&](double d) { return (I.W(d - T) - C) / (d - a); };
    c = std::max(c, need(b));
    const double first = std::ceil((a - T - x0) / interval_s);
    for (double m = first; x0 + m * interval_s + T < b; ++m) {
      const double d = x0 + m * interval_s + T;
      if (d > a + 1e-6 * interval_s) c = std::max(c, need(d));  // d = a: covered before
    }
    capacity[j] = c;
    C += c * interval_s;
  }
  EmailRequirement r;
  for (std::size_t k = 0; k < n; ++k) r.agents.push_back(capacity[copies * n + k] / max_occupancy);
  if (!cyclic) {
    // Work done by the end by a work-conserving FIFO server: min over s of W(s) + C(end) − C(s)
    // (both sides are linear between boundaries, so boundaries suffice).
    double done = C, given = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      given += capacity[j] * interval_s;
      done = std::min(done, I.W(interval_s * static_cast<double>(j + 1)) + C - given);
    }
    r.carryover_work_s = std::max(0.0, I.total() - done);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Requirements for a scenario

std::vector<std::vector<int>> StaffingPlan::onPhone() const {
  std::vector<std::vector<int>> out;
  for (const ChannelRequirement& c : staffed()) {
    out.emplace_back();
    for (const IntervalRequirement& r : c.intervals) out.back().push_back(r.on_phone);
  }
  return out;
}

namespace {

// The transferred streams of the scenario (see TransferStream), one per agent group some reason
// transfers to on a channel that has the reason, in the groups' order. `channels`: the
// channels' Erlang plan, for the abandonment before an agent answers.
std::vector<TransferStream> plannedTransfers(const Scenario& scenario,
                                             const StaffingOptions& options,
                                             const std::vector<ChannelRequirement>& channels) {
  std::vector<TransferStream> out;
  if (scenario.agent_groups.empty()) return out;
  const std::vector<std::vector<double>> a = groupShares(scenario);
  const std::vector<AgentGroupSpec> groups = scenario.effectiveAgentGroups();
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    TransferStream ts;
    ts.group = g;
    ts.per_hour.assign(intervals, 0.0);
    std::vector<double> work(intervals, 0.0);  // Σ rate × handle time
    double mix = 0.0, mix_work = 0.0;          // the same by share, for mean_handle_s
    const ChannelSpec* tightest = nullptr;
    for (std::size_t c = 0; c < scenario.channels.size(); ++c) {
      const ChannelSpec& ch = scenario.channels[c];
      double shares = 0.0;
      for (const IntentSpec& in : scenario.intents) shares += in.shareOf(ch.id);
      bool feeds = false;
      for (const IntentSpec& in : scenario.intents) {
        if (!in.transfer || in.transfer->to != groups[g].id || in.shareOf(ch.id) <= 0.0) continue;
        const double passed = in.shareOf(ch.id) * pastTheBot(scenario, ch, &in) / shares;
        const double moved = passed * transferredShare(groups, a, c, in);
        if (moved <= 0.0) continue;
        feeds = true;
        const double handle = ch.handle_time.mean_s * in.handle_factor *
                              botHandleFactor(scenario, ch.id) * groups[g].proficiency;
        mix += moved;
        mix_work += moved * handle;
        for (std::size_t k = 0; k < intervals; ++k) {
          const double abandon = channels[c].intervals[k].abandon_rate;
          const double rate = ch.arrivals.perHourAt(static_cast<int>(k)) * moved *
                              (1.0 - (std::isnan(abandon) ? 0.0 : abandon));
          ts.per_hour[k] += rate;
          work[k] += rate * handle;
        }
      }
      if (!feeds) continue;
      ts.from.push_back(ch.id);
      // The shortest threshold, a synchronous channel's before any asynchronous one.
      auto rank = [&](const ChannelSpec& x) {
        return std::pair{x.asynchronous(), targetFor(x, options).threshold_s};
      };
      if (!tightest || rank(ch) < rank(*tightest)) tightest = &ch;
    }
    if (!tightest) continue;
    ts.mean_handle_s = mix_work / mix;
    for (std::size_t k = 0; k < intervals; ++k)
      ts.handle_s.push_back(ts.per_hour[k] > 0.0 ? work[k] / ts.per_hour[k] : ts.mean_handle_s);
    ts.target_channel = tightest->id;
    ts.target = targetFor(*tightest, options);
    ts.target.max_abandon_rate.reset();  // on hold, nobody abandons
    out.push_back(std::move(ts));
  }
  return out;
}

// The Erlang requirement of a transferred stream (TransferStream), in the shape of a channel's.
ChannelRequirement transferRequirement(const Scenario& scenario, const TransferStream& ts,
                                       const StaffingOptions& options) {
  ChannelRequirement tr;
  tr.id = scenario.agent_groups[ts.group].id;
  tr.model = fmt::format("Erlang C, on hold, from {}; target of {}", fmt::join(ts.from, ", "),
                         ts.target_channel);
  tr.target = ts.target.service_level;
  tr.threshold_s = ts.target.threshold_s;
  for (std::size_t k = 0; k < ts.per_hour.size(); ++k) {
    IntervalRequirement r;
    r.per_hour = ts.per_hour[k];
    SeatedRequirement q;
    try {
      q = queueRequirement(r.per_hour, ts.handle_s[k], std::nullopt, ts.target);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("transfers to {}, interval {}: {}", tr.id,
                                              intervalLabel(scenario, static_cast<int>(k)),
                                              e.what()));
    }
    r.on_phone = q.agents;
    r.seated = q.seated;
    r.service_level = q.at_n.service_level;
    r.asa_s = r.per_hour > 0.0 ? q.at_n.asa_s : kNaN;
    r.abandon_rate = 0.0;
    r.effective_load = q.offered_load;
    setRostered(r, options.shrinkage);
    tr.intervals.push_back(r);
  }
  return tr;
}

}  // namespace

StaffingPlan erlangRequirements(const Scenario& scenario, const StaffingOptions& options) {
  checkOptions(options);
  StaffingPlan plan;
  plan.method = "erlang";
  plan.shrinkage = options.shrinkage;
  const int intervals = scenario.intervalsPerDay();
  const std::vector<PlannedStream> streams = plannedStreams(scenario);
  for (const ChannelSpec& ch : scenario.channels) {
    ChannelRequirement cr;
    cr.id = ch.id;
    cr.model = ch.patience ? "Erlang A" : "Erlang C";
    const analytic::StaffingTarget t = targetFor(ch, options);
    cr.target = t.service_level;
    cr.threshold_s = t.threshold_s;
    const PlannedStream& stream = streams[plan.channels.size()];
    const double aht = stream.handle_s;
    const double reach = stream.reach;
    const bool bot = scenario.bot && scenario.bot->serves(ch.id);
    // `per_hour` stays the forecast; what reaches agents is reach × it.
    auto bot_note = [&] {
      return bot ? fmt::format(", {:.0f}% past the bot", 100.0 * reach) : std::string();
    };
    // Email and messaging without patience: every reply within the threshold, the work spread
    // over its response window (a fluid model; emailRequirement). The day form's nights are
    // not in the cycle: work whose window runs past closing is left over.
    if (ch.asynchronous() && !ch.patience) {
      cr.model = "fluid backlog" + bot_note();
      std::vector<double> per_interval;
      for (int k = 0; k < intervals; ++k)
        per_interval.push_back(reach * ch.arrivals.perHourAt(k) * scenario.intervalSeconds() /
                               3600.0);
      const EmailRequirement e =
          emailRequirement(per_interval, scenario.intervalSeconds(), aht, t.threshold_s,
                           !scenario.dayStructured(), options.max_occupancy.value_or(1.0));
      cr.carryover_work_s = e.carryover_work_s;
      for (int k = 0; k < intervals; ++k) {
        IntervalRequirement r;
        r.per_hour = ch.arrivals.perHourAt(k);
        r.seated = e.agents[static_cast<std::size_t>(k)];
        r.on_phone = static_cast<int>(std::ceil(r.seated - 1e-9));
        r.effective_load = reach * r.per_hour * aht / 3600.0;
        r.service_level = 1.0;  // every reply within the threshold, by construction
        r.asa_s = std::numeric_limits<double>::quiet_NaN();
        r.abandon_rate = 0.0;
        setRostered(r, options.shrinkage);
        cr.intervals.push_back(r);
      }
      plan.channels.push_back(std::move(cr));
      continue;
    }
    // Chat with concurrency k: k·N slots in one queue at a full agent's handle time.
    const ChatConcurrency chat = chatOf(ch);
    if (chat.concurrency > 1) cr.model += fmt::format(", {} chats per agent", chat.concurrency);
    cr.model += bot_note();
    for (int k = 0; k < intervals; ++k) {
      IntervalRequirement r;
      r.per_hour = ch.arrivals.perHourAt(k);
      const double to_agents = reach * r.per_hour;
      SeatedRequirement q;
      try {
        q = chat.concurrency > 1 ? chatRequirement(to_agents, aht, patienceOf(ch), chat, t)
                                 : queueRequirement(to_agents, aht, patienceOf(ch), t);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("channel {}, interval {}: {}", ch.id,
                                                intervalLabel(scenario, k), e.what()));
      }
      r.on_phone = q.agents;
      r.seated = q.seated;
      r.service_level = q.at_n.service_level;
      r.asa_s = q.at_n.asa_s;
      r.abandon_rate = q.at_n.abandon_rate;
      r.effective_load = q.offered_load;
      setRostered(r, options.shrinkage);
      cr.intervals.push_back(r);
    }
    plan.channels.push_back(std::move(cr));
  }
  // Transfers: a stream of their own for each group receiving them, from the channels' plan.
  for (const TransferStream& ts : plannedTransfers(scenario, options, plan.channels))
    plan.transfers.push_back(transferRequirement(scenario, ts, options));
  if (!scenario.agent_groups.empty()) {
    plan.groups = groupRequirements(scenario, plan.channels, groupShares(scenario), plan.transfers);
    for (ChannelRequirement& gr : plan.groups)
      for (IntervalRequirement& r : gr.intervals) setRostered(r, options.shrinkage);
  }
  return plan;
}

Scenario withTargets(const Scenario& scenario, const StaffingOptions& options) {
  Scenario s = scenario;
  for (ChannelSpec& ch : s.channels) {
    if (options.target_sl) ch.service_level.target = *options.target_sl;
    if (options.threshold_s) ch.service_level.threshold_s = *options.threshold_s;
  }
  return s;
}

Scenario withStaffing(const Scenario& scenario, const std::vector<std::vector<int>>& on_phone) {
  const bool grouped = !scenario.agent_groups.empty();
  const std::vector<std::string> ids = scenario.staffedIds();
  require(on_phone.size() == ids.size(),
          fmt::format("staffing for {} {} given, the scenario has {}", on_phone.size(),
                      grouped ? "agent groups" : "channels", ids.size()));
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  Scenario s = scenario;
  for (std::size_t u = 0; u < ids.size(); ++u) {
    const std::vector<int>& levels = on_phone[u];
    require(levels.size() == intervals,
            fmt::format("{} {}: staffing for {} intervals given, the scenario has {}",
                        grouped ? "agent group" : "channel", ids[u], levels.size(), intervals));
    for (int n : levels)
      require(n >= 0, fmt::format("{}: staffing must be >= 0, got {}", ids[u], n));
    // The levels replace the scenario's staffing, shifts and breaks included.
    auto set = [&](auto& unit) {
      unit.agents = levels;
      unit.shifts.clear();
      unit.on_break.clear();
    };
    if (grouped)
      set(s.agent_groups[u]);
    else
      set(s.channels[u]);
  }
  return s;
}

namespace {

// What the simulation method measures of a transferred stream in one interval, summed over the
// replications: transfers that joined the group's queue, of which picked up within the
// threshold, picked up at all, and their time on hold.
struct TransferTally {
  double joined = 0.0, in_time = 0.0, picked = 0.0, hold_s = 0.0;
};

// One simulation of a staffing, for the simulation method. The run's metrics (as runExperiment
// gives them; only the per-interval, per-channel estimates are used) neither separate the
// transferred contacts' wait on hold for the group receiving them nor give a group's figures
// per interval, so an observer in front of the metrics collects those (TransferTap).
struct Measurement {
  std::vector<std::vector<MetricEstimates>> interval_channels;  // [interval][channel]
  std::vector<std::vector<TransferTally>> transfers;            // [interval][transferred stream]
  std::vector<std::vector<double>> group_busy_s;                // [interval][group], summed
  std::vector<std::vector<double>> group_staffed_s;             // [interval][group], summed
};

// What TransferTap needs: per intent, the transferred stream it feeds (−1: none) and its mean
// triage time; per stream, its threshold.
struct TransferProbe {
  std::vector<int> stream_of_intent;
  std::vector<double> triage_s;
  std::vector<double> threshold_s;
};

class TransferTap final : public SimObserver {
 public:
  TransferTap(SimObserver& metrics, const Scenario& scenario, const TransferProbe& probe,
              Measurement& into)
      : metrics_(metrics), scenario_(scenario), probe_(probe), into_(into) {
    const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
    const std::size_t groups = scenario.effectiveAgentGroups().size();
    into_.transfers.assign(intervals, std::vector<TransferTally>(probe.threshold_s.size()));
    into_.group_busy_s.assign(intervals, std::vector<double>(groups, 0.0));
    into_.group_staffed_s.assign(intervals, std::vector<double>(groups, 0.0));
  }

  void onContact(const ContactRecord& r) override {
    metrics_.onContact(r);
    if (!r.transferred || r.intent == ContactRecord::kNoIntent) return;
    const int t = probe_.stream_of_intent[r.intent];
    if (t < 0) return;
    const bool picked = r.outcome == Outcome::Answered;
    // Counted in the interval it joined the group's queue: when the first agent answered plus
    // the mean triage (the record does not split the first agent's time from the group's). One
    // never picked up (reported at the end of the run) counts in its arrival interval.
    const std::size_t k =
        picked ? intervalAt(r.arrival_s + r.bot_s + r.wait_s + probe_.triage_s[r.intent])
               : r.interval;
    TransferTally& x = into_.transfers[k][static_cast<std::size_t>(t)];
    x.joined += 1.0;
    if (!picked) return;
    x.picked += 1.0;
    x.hold_s += r.transfer_wait_s;
    if (r.transfer_wait_s <= probe_.threshold_s[static_cast<std::size_t>(t)]) x.in_time += 1.0;
  }
  void onInterval(const IntervalSample& sample) override { metrics_.onInterval(sample); }
  void onGroupInterval(const GroupSample& sample) override {
    metrics_.onGroupInterval(sample);
    if (sample.after_close) return;
    into_.group_busy_s[sample.interval][sample.group] += sample.busy_agent_s;
    into_.group_staffed_s[sample.interval][sample.group] += sample.staffed_agent_s;
  }

 private:
  // The report interval of time t, as the engine stamps arrivals (day form: clamped to the
  // opening hours of the day).
  std::size_t intervalAt(double t) const {
    constexpr double kDay = 86400.0;
    const double length = scenario_.intervalSeconds();
    const auto intervals = static_cast<std::size_t>(scenario_.intervalsPerDay());
    if (scenario_.dayStructured()) {
      const double open = std::floor((t - scenario_.open_s) / kDay) * kDay + scenario_.open_s;
      const double k = std::floor((t - open) / length);
      return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(intervals - 1)));
    }
    return static_cast<std::size_t>(static_cast<std::uint64_t>(std::max(0.0, t) / length) %
                                    intervals);
  }

  SimObserver& metrics_;
  const Scenario& scenario_;
  const TransferProbe& probe_;
  Measurement& into_;
};

// The replications of runExperiment (same seeds, same metrics, in parallel), each through a
// TransferTap. As there, an exception in a replication stops the other workers after their
// current one and is rethrown here (the lowest-numbered replication's).
Measurement measure(const Scenario& scenario, const ExperimentOptions& eo,
                    const TransferProbe& probe) {
  const int total = std::max(eo.replications, 0);
  int threads = eo.threads > 0
                    ? eo.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, total));
  std::vector<ReplicationMetrics> reps(static_cast<std::size_t>(total));
  std::vector<Measurement> parts(static_cast<std::size_t>(total));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(total));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (int r = next.fetch_add(1); r < total && !failed; r = next.fetch_add(1)) {
      const auto i = static_cast<std::size_t>(r);
      try {
        Monitor monitor(scenario);
        TransferTap tap(monitor, scenario, probe, parts[i]);
        Simulation sim(scenario, eo.seed, eo.first_replication + static_cast<std::uint32_t>(r));
        sim.run(tap);
        reps[i] = monitor.metrics();
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
  Measurement m;
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  std::vector<const MetricValues*> column;
  m.interval_channels.resize(intervals);
  for (std::size_t k = 0; k < intervals; ++k)
    for (std::size_t c = 0; c < scenario.channels.size(); ++c) {
      column.clear();
      for (const ReplicationMetrics& rep : reps) column.push_back(&rep.interval_channels[k][c]);
      m.interval_channels[k].push_back(summarise(column));
    }
  m.transfers.assign(intervals, std::vector<TransferTally>(probe.threshold_s.size()));
  m.group_busy_s.assign(intervals, std::vector<double>(scenario.effectiveAgentGroups().size()));
  m.group_staffed_s = m.group_busy_s;
  for (const Measurement& part : parts)
    for (std::size_t k = 0; k < intervals; ++k) {
      for (std::size_t t = 0; t < m.transfers[k].size(); ++t) {
        TransferTally& x = m.transfers[k][t];
        const TransferTally& y = part.transfers[k][t];
        x.joined += y.joined;
        x.in_time += y.in_time;
        x.picked += y.picked;
        x.hold_s += y.hold_s;
      }
      for (std::size_t g = 0; g < m.group_busy_s[k].size(); ++g) {
        m.group_busy_s[k][g] += part.group_busy_s[k][g];
        m.group_staffed_s[k][g] += part.group_staffed_s[k][g];
      }
    }
  return m;
}

// The queue model a stream is re-staffed with: Erlang C (no patience) or A at a handle time,
// `chat.concurrency` contacts per agent.
struct QueueModel {
  double aht_s = 0.0;
  std::optional<double> patience_s;
  ChatConcurrency chat;
  analytic::StaffingTarget target;
};

// Re-staffs one interval of a stream from one simulation's measurements, with n agents on it:
// the Erlang minimum at the load the measurements imply. r.service_level and r.abandon_rate
// hold the measurements; `occupancy` is NaN when not measured. Sets r.seated and
// r.effective_load and returns the next staffing.
int restaffFromMeasurement(IntervalRequirement& r, const QueueModel& m, double occupancy, int n) {
  if (std::isnan(r.service_level)) {  // nobody came in any replication: keep what is there
    r.seated = n;
    return n;
  }
  const analytic::StaffingTarget& t = m.target;
  // With k chats per agent the queue has k·n slots at a full agent's handle time: the load
  // the measurements imply is in those slots' erlangs.
  const double slot_aht = chatHandleTime(m.aht_s, m.chat);
  auto at = [&](double load) {
    return analytic::evaluate(
        {load / slot_aht, slot_aht, n * m.chat.concurrency, m.patience_s, t.threshold_s});
  };
  if (r.service_level >= 1.0 - 1e-12) {  // nothing late at all: try one agent fewer
    r.seated = n - 1;
    r.effective_load = 0.0;
    return std::max(1, n - 1);
  }
  if (r.service_level <= 1e-12) {  // nothing in time: the load is beyond what n can carry
    r.seated = n + 1;
    r.effective_load = kNaN;
    return std::max(n + 1, static_cast<int>(std::ceil(1.25 * n)));
  }
  const int slots = n * m.chat.concurrency;
  double load =
      impliedLoad(r.service_level, false, slots, [&](double R) { return at(R).service_level; });
  if (t.max_abandon_rate && !std::isnan(r.abandon_rate) && r.abandon_rate > 0.0)
    load = std::max(load, impliedLoad(r.abandon_rate, true, slots,
                                      [&](double R) { return at(R).abandon_rate; }));
  if (t.max_occupancy && !std::isnan(occupancy) && occupancy > 0.0)
    load = std::max(load, impliedLoad(std::min(occupancy, 1.0 - 1e-9), true, slots,
                                      [&](double R) { return at(R).occupancy; }));
  r.effective_load = load;
  const SeatedRequirement q =
      m.chat.concurrency > 1
          ? chatRequirement(load / slot_aht * 3600.0, m.aht_s, m.patience_s, m.chat, t)
          : queueRequirement(load / m.aht_s * 3600.0, m.aht_s, m.patience_s, t);
  r.seated = q.seated;
  return std::max(1, q.agents);
}

}  // namespace

StaffingPlan simulationRequirements(const Scenario& scenario, const StaffingOptions& options,
                                    const std::function<void(int, int)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  require(options.replications >= 2, "the simulation method needs at least 2 replications");
  require(options.max_iterations >= 1, "the simulation method needs at least 1 iteration");
  StaffingPlan plan = erlangRequirements(scenario, options);
  plan.method = "simulation";
  plan.seed = options.seed;
  plan.replications = options.replications;

  // What is re-staffed from measurements: streams s, the channels (s < C) and then the
  // transferred streams (plan.transfers). What is staffed: units u (the channels, or the agent
  // groups). a[u][s]: the part of stream s's requirement unit u carries (groupShares; a
  // transferred stream is its group's). b[u][s][k]: the part of unit u's agents that works
  // stream s in interval k, from the Erlang start (the stream's share of the unit's fractional
  // requirement), fixed over the iterations (but for intervals without a forecast: `resplit`).
  // With dedicated agents both are the identity and what follows is the algorithm of FMMW for
  // each channel.
  const std::size_t channels = scenario.channels.size();
  const std::size_t transfers = plan.transfers.size();
  const std::size_t streams_n = channels + transfers;
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  const std::vector<TransferStream> planned =
      plannedTransfers(scenario, options, plan.channels);  // from the Erlang plan, as its own
  std::vector<std::vector<double>> a = groupShares(scenario);
  const std::size_t units = a.size();
  for (std::vector<double>& row : a) row.resize(streams_n, 0.0);
  for (std::size_t t = 0; t < transfers; ++t) a[planned[t].group][channels + t] = 1.0;
  auto req = [&](std::size_t s) -> ChannelRequirement& {
    return s < channels ? plan.channels[s] : plan.transfers[s - channels];
  };
  std::vector<std::vector<double>> erlang_seated(streams_n);  // [stream][interval], the start
  for (std::size_t s = 0; s < streams_n; ++s)
    for (const IntervalRequirement& r : req(s).intervals) erlang_seated[s].push_back(r.seated);
  std::vector<std::vector<std::vector<double>>> b(
      units, std::vector<std::vector<double>>(streams_n, std::vector<double>(intervals, 0.0)));
  // The split of unit u's agents in interval k in proportion to `weight(s)`, for its streams.
  auto split = [&](std::size_t u, std::size_t k, const auto& weight) {
    double total = 0.0;
    for (std::size_t s = 0; s < streams_n; ++s) total += a[u][s] * weight(s);
    for (std::size_t s = 0; s < streams_n; ++s)
      b[u][s][k] = total > 0.0 ? a[u][s] * weight(s) / total : 0.0;
  };
  for (std::size_t u = 0; u < units; ++u)
    for (std::size_t k = 0; k < intervals; ++k)
      split(u, k, [&](std::size_t s) { return erlang_seated[s][k]; });
  std::vector<std::vector<int>> level = plan.onPhone();
  if (options.start_from_offered_load)
    for (std::size_t u = 0; u < units; ++u)
      for (std::size_t k = 0; k < intervals; ++k) {
        double start = 0.0;
        for (std::size_t s = 0; s < streams_n; ++s) {
          const IntervalRequirement& r = req(s).intervals[k];
          if (r.per_hour > 0.0) start += a[u][s] * (std::floor(r.effective_load) + 1.0);
        }
        level[u][k] = static_cast<int>(std::ceil(start - 1e-9));
      }

  ExperimentOptions eo;
  eo.seed = options.seed;  // the same seed every iteration: common random numbers
  eo.replications = options.replications;
  eo.threads = options.threads;
  // Hours of simulated time behind each interval's measurements, per replication: contacts
  // measured there ÷ this = contacts per hour.
  const double cell_hours = scenario.dayStructured()
                                ? scenario.days * scenario.interval_minutes / 60.0
                                : scenario.horizon_hours / static_cast<double>(intervals);
  TransferProbe probe;
  probe.stream_of_intent.assign(scenario.intents.size(), -1);
  probe.triage_s.assign(scenario.intents.size(), 0.0);
  for (std::size_t i = 0; i < scenario.intents.size(); ++i) {
    const IntentSpec& in = scenario.intents[i];
    if (!in.transfer) continue;
    probe.triage_s[i] = in.transfer->after.mean_s;
    for (std::size_t t = 0; t < transfers; ++t)
      if (plan.transfers[t].id == in.transfer->to) probe.stream_of_intent[i] = static_cast<int>(t);
  }
  for (const ChannelRequirement& tr : plan.transfers) probe.threshold_s.push_back(tr.threshold_s);

  // Re-staffs interval k of stream s from one simulation's measurements, with n agents on it:
  // the Erlang minimum at the load the measurements imply. Also fills the interval's reported
  // figures. An interval without a forecast is re-staffed like the others when contacts
  // arrived in it (returning customers, transfers from a backlog).
  const std::vector<PlannedStream> channel_streams = plannedStreams(scenario);
  struct Previous {  // a stream's agents and measured service level at the last iteration
    int n = 0;
    double service_level = 0.0;
  };
  std::vector<std::vector<Previous>> previous(streams_n, std::vector<Previous>(intervals));
  auto restaff = [&](std::size_t s, std::size_t k, const Measurement& m, int n) -> int {
    IntervalRequirement& r = req(s).intervals[k];
    r.on_phone = n;
    QueueModel model;
    double occupancy = kNaN;
    std::string what;
    if (s < channels) {
      const ChannelSpec& ch = scenario.channels[s];
      const MetricEstimates& e = m.interval_channels[k][s];
      const QueueFigures qf = queueFigures(e);
      r.service_level = qf.service_level;
      r.asa_s = meanOf(e, Metric::AsaS);
      r.abandon_rate = qf.abandon_rate;
      model = {channel_streams[s].handle_s, patienceOf(ch), chatOf(ch), targetFor(ch, options)};
      occupancy = meanOf(e, Metric::Occupancy);
      what = "channel " + ch.id;
    } else {
      const std::size_t t = s - channels;
      const TransferTally& x = m.transfers[k][t];
      r.service_level = x.joined > 0.0 ? x.in_time / x.joined : kNaN;
      r.asa_s = x.picked > 0.0 ? x.hold_s / x.picked : kNaN;
      r.abandon_rate = x.joined > 0.0 ? (x.joined - x.picked) / x.joined : kNaN;
      model.aht_s = planned[t].handle_s[k];
      model.target = planned[t].target;
      // A group taking only transfers: its occupancy is the stream's.
      const std::size_t g = planned[t].group;
      if (scenario.agent_groups[g].channels.empty() && m.group_staffed_s[k][g] > 0.0)
        occupancy = m.group_busy_s[k][g] / m.group_staffed_s[k][g];
      what = "transfers to " + plan.transfers[t].id;
    }
    if (!hasWork(r)) {
      r.seated = 0.0;
      r.effective_load = 0.0;
      return 0;
    }
    int next_n = 0;
    try {
      next_n = restaffFromMeasurement(r, model, occupancy, n);
    } catch (const std::invalid_argument& err) {
      throw std::invalid_argument(fmt::format(
          "{}, interval {}: {}", what, intervalLabel(scenario, static_cast<int>(k)), err.what()));
    }
    // Email and messaging: at a reply threshold of hours the Erlang C curve is a cliff just
    // below n agents, so whatever the shortfall measured the inversion asks for one agent more,
    // and an interval whose backlog runs into closing time (the day form leaves the rest for
    // the morning, late) crawls up by an agent an iteration. When it was short at the last
    // iteration too, with fewer agents and a lower service level, the line through the two
    // measurements says how many more it needs. Rounded down and at most kCrawlStep: the
    // line is rough (an email interval's service also depends on its neighbours' agents, which
    // move too) and an email interval, on the same cliff, never gives agents back, so an
    // overshoot would stay.
    constexpr int kCrawlStep = 3;
    Previous& before = previous[s][k];
    const double goal = model.target.service_level;
    if (s < channels && scenario.channels[s].asynchronous() && r.service_level < goal &&
        before.n > 0 && before.n < n && before.service_level < r.service_level) {
      const double per_agent = (r.service_level - before.service_level) / (n - before.n);
      const double more = std::floor((goal - r.service_level) / per_agent);
      next_n = std::max(next_n, n + static_cast<int>(std::min(more, double{kCrawlStep})));
    }
    if (!std::isnan(r.service_level)) before = {n, r.service_level};
    return next_n;
  };
  // What arrived in each stream and interval in the last simulation, per hour.
  auto recordOffered = [&](const Measurement& m) {
    for (std::size_t k = 0; k < intervals; ++k)
      for (std::size_t s = 0; s < streams_n; ++s)
        req(s).intervals[k].offered_per_hour =
            (s < channels ? meanOf(m.interval_channels[k][s], Metric::Offered)
                          : m.transfers[k][s - channels].joined / options.replications) /
            cell_hours;
  };
  // A stream that has work in an interval where it had no forecast has no part of its units'
  // agents from the Erlang start: those units' agents in the interval are split again, the
  // other streams by their Erlang requirement as before, this one by the load that arrived
  // (agents' worth of work: contacts per hour that reach the agents × handle time, per chat
  // slot). Once, when the work first shows.
  auto resplit = [&]() {
    for (std::size_t k = 0; k < intervals; ++k)
      for (std::size_t u = 0; u < units; ++u) {
        bool missing = false;
        for (std::size_t s = 0; s < streams_n; ++s)
          missing = missing || (a[u][s] > 0.0 && b[u][s][k] <= 0.0 && hasWork(req(s).intervals[k]));
        if (!missing) continue;
        split(u, k, [&](std::size_t s) {
          const IntervalRequirement& r = req(s).intervals[k];
          if (erlang_seated[s][k] > 0.0) return erlang_seated[s][k];
          if (!hasWork(r)) return 0.0;
          if (s >= channels)
            return r.offered_per_hour * planned[s - channels].mean_handle_s / 3600.0;
          const ChannelSpec& ch = scenario.channels[s];
          return r.offered_per_hour * channel_streams[s].reach * channel_streams[s].handle_s /
                 3600.0 / chatOf(ch).concurrency;
        });
      }
  };

  // Stream s's agents in interval k: its part of its units' agents, at least one if it has
  // work (the Erlang inversion needs a whole number of servers).
  auto attributed = [&](const std::vector<std::vector<int>>& lv, std::size_t s, std::size_t k) {
    double n = 0.0;
    for (std::size_t u = 0; u < units; ++u) n += b[u][s][k] * lv[u][k];
    const int whole = static_cast<int>(std::lround(n));
    return hasWork(req(s).intervals[k]) ? std::max(1, whole) : whole;
  };
  // Unit u's slack below its level in interval k, from its streams' fractional requirements
  // (how far the tightest stream's requirement is below the agents it has).
  std::vector<std::vector<double>> slack(units, std::vector<double>(intervals, 0.0));

  // Re-staffs unit u in interval k from its streams' proposals: a stream proposing d_s more
  // agents (restaff − attributed, times a[u][s]) asks that much of u. Shortfalls add up (an
  // agent is needed for each, since surpluses elsewhere are already idle and would have been
  // taken by the short stream); with no shortfall the unit gives up what its tightest stream
  // can spare (the largest, i.e. least negative, proposal), rounded towards zero. A unit none
  // of whose streams has work in the interval gets nobody.
  auto restaffUnit = [&](std::size_t u, std::size_t k, const std::vector<int>& proposed,
                         const std::vector<int>& current) {
    bool opinion = false, short_somewhere = false;
    double more = 0.0, spare = -std::numeric_limits<double>::infinity();
    double tightest = std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < streams_n; ++s) {
      const IntervalRequirement& r = req(s).intervals[k];
      if (a[u][s] <= 0.0 || !hasWork(r)) continue;
      opinion = true;
      const double d = a[u][s] * (proposed[s] - current[s]);
      if (d > 0.0) {
        short_somewhere = true;
        more += d;
      }
      spare = std::max(spare, d);
      tightest = std::min(tightest, a[u][s] * (current[s] - r.seated));
    }
    slack[u][k] = opinion ? tightest : 0.0;
    if (!opinion) return 0;
    const int step = short_somewhere ? static_cast<int>(std::ceil(more - 1e-9))
                                     : -static_cast<int>(std::floor(-spare + 1e-9));
    return std::max(1, level[u][k] + step);
  };

  std::vector<bool> receives(units, false);  // [unit]: a group receiving transfers
  for (const TransferStream& ts : planned) receives[ts.group] = true;

  // The simulation measures service level against the channel's own threshold: apply overrides.
  const Scenario measured = withTargets(scenario, options);
  std::vector<std::vector<std::vector<int>>> history;  // staffing simulated at each iteration
  plan.converged = false;
  for (int it = 1;; ++it) {
    const Measurement res = measure(withStaffing(measured, level), eo, probe);
    plan.iterations = it;
    history.push_back(level);
    recordOffered(res);
    resplit();
    std::vector<std::vector<int>> next = level;
    int changed = 0;
    const std::vector<std::vector<int>>* before =
        history.size() >= 2 ? &history.end()[-2] : nullptr;
    for (std::size_t k = 0; k < intervals; ++k) {
      std::vector<int> current(streams_n), proposed(streams_n);
      for (std::size_t s = 0; s < streams_n; ++s) {
        current[s] = attributed(level, s, k);
        proposed[s] = restaff(s, k, res, current[s]);
      }
      for (std::size_t u = 0; u < units; ++u) {
        int n = restaffUnit(u, k, proposed, current);
        // An interval sent back to the level it had two iterations ago alternates between two
        // levels (integer staffing, noisy neighbours): keep the larger, which met the target.
        // A group receiving transfers is re-staffed from a stream that other groups' agents
        // feed (when transfers come depends on the first agents' pace, and a hold at one
        // interval on the group's agents at the one before), and wanders by an agent between
        // more than two levels as they move: there, any level it had before counts.
        const bool revisited = receives[u]
                                   ? std::any_of(history.begin(), history.end() - 1,
                                                 [&](const auto& h) { return h[u][k] == n; })
                                   : before && n == (*before)[u][k];
        if (revisited && n != level[u][k]) {
          n = std::max(n, level[u][k]);
          ++plan.alternations;
        }
        next[u][k] = n;
        if (n != level[u][k]) ++changed;
      }
    }
    plan.changes.push_back(changed);
    if (progress) progress(it, changed);
    if (changed == 0) {
      plan.converged = true;
      plan.note = fmt::format("converged after {} iteration(s): no interval changed", it);
      break;
    }
    if (!plan.note.empty()) break;  // this was the run of a cycle's maximum: report it as is
    if (it >= options.max_iterations) {
      plan.note = fmt::format("stopped after {} iterations with {} interval(s) still changing", it,
                              changed);
      break;
    }
    const auto seen = std::find(history.begin(), history.end(), next);
    if (seen != history.end()) {
      // A cycle (a level and the next one each re-staff to the other): take the larger of each.
      for (auto h = seen; h != history.end(); ++h)
        for (std::size_t u = 0; u < units; ++u)
          for (std::size_t k = 0; k < intervals; ++k) next[u][k] = std::max(next[u][k], (*h)[u][k]);
      plan.note = fmt::format(
          "after {} iterations the staffing cycled through {} levels; the element-wise maximum of "
          "the cycle was simulated once more and is reported",
          it, history.end() - seen);
    }
    level = std::move(next);
  }
  for (std::size_t s = 0; s < streams_n; ++s)
    for (IntervalRequirement& r : req(s).intervals) setRostered(r, options.shrinkage);
  if (!plan.groups.empty()) {
    // The groups' figures from their streams' last measurements, at the levels simulated.
    plan.groups = groupRequirements(scenario, plan.channels, a, plan.transfers);
    for (std::size_t u = 0; u < units; ++u)
      for (std::size_t k = 0; k < intervals; ++k) {
        IntervalRequirement& r = plan.groups[u].intervals[k];
        r.on_phone = level[u][k];
        r.seated = std::clamp(level[u][k] - slack[u][k], std::max(0.0, level[u][k] - 1.0),
                              static_cast<double>(level[u][k]));
        setRostered(r, options.shrinkage);
      }
  }
  plan.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return plan;
}

}  // namespace cx
