// Staffing requirements: analytic per interval (voice, chat, email) and the iterative
// simulation-based search. See staffing.hpp and docs/STAFFING.md.
#include "sim/staffing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/experiment.hpp"
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

// What reaches the agents of each channel, for the formulas: the share of its arrivals that
// the AI assistant passes on (`reach`), and their mean handle time. A channel behind the bot
// passes on, for each contact reason i with share p_i, e_i = (1 − containment_i) × (1 −
// loop_abandon)^loop_turns (those who neither were contained nor gave up in the bot loop);
// reach = Σ p_i e_i / Σ p_i. Handle time: the channel's mean × the reasons' handle-time
// factors weighted by p_i e_i (the harder mix the bot leaves), × escalated_handle_factor
// and, for cold escalations, cold_handle_factor; then × the proficiency of the groups
// carrying the channel, weighted by their parts a[g][c] (docs/STAFFING.md). Without intents
// the reason factors are 1; dedicated agents have proficiency 1. Not seen: customers coming
// back (falsely contained, unresolved, abandoned), transfers, the bot's conversation time
// shifting arrivals later — the simulation method measures those.
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
    const bool bot = scenario.bot && scenario.bot->serves(ch.id);
    const double stays =
        bot ? std::pow(1.0 - scenario.bot->loop_abandon, scenario.bot->loop_turns) : 1.0;
    auto escalated = [&](std::optional<double> own) {
      return bot ? (1.0 - own.value_or(scenario.bot->containment)) * stays : 1.0;
    };
    double shares = 0.0, passed = 0.0, weighted = 0.0;
    for (const IntentSpec& in : scenario.intents) {
      const double share = in.shareOf(ch.id);
      const double e = share * escalated(in.bot_containment);
      shares += share;
      passed += e;
      weighted += e * in.handle_factor;
    }
    PlannedStream st;
    double factor = 1.0;
    if (shares > 0.0) {
      st.reach = passed / shares;
      factor = passed > 0.0 ? weighted / passed : 1.0;
    } else {
      st.reach = escalated(std::nullopt);
    }
    if (bot)
      factor *= scenario.bot->escalated_handle_factor *
                (scenario.bot->cold ? scenario.bot->cold_handle_factor : 1.0);
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

// The requirement of each group from its channels' (Erlang method, and the simulation's start):
// Σ_c a[g][c] × the channel's figure; the integer agents are the fractional ones rounded up.
// The service figures are those of the group's worst channel.
std::vector<ChannelRequirement> groupRequirements(const Scenario& scenario,
                                                  const std::vector<ChannelRequirement>& channels,
                                                  const std::vector<std::vector<double>>& a) {
  std::vector<ChannelRequirement> out;
  const std::size_t intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  for (std::size_t g = 0; g < scenario.agent_groups.size(); ++g) {
    const AgentGroupSpec& spec = scenario.agent_groups[g];
    ChannelRequirement gr;
    gr.id = spec.id;
    gr.model = fmt::format("agent group serving {}", fmt::join(spec.channels, ", "));
    gr.target = kNaN;
    gr.threshold_s = kNaN;
    for (std::size_t k = 0; k < intervals; ++k) {
      IntervalRequirement r;
      r.service_level = kNaN;
      r.asa_s = kNaN;
      r.abandon_rate = kNaN;
      for (std::size_t c = 0; c < channels.size(); ++c) {
        if (a[g][c] <= 0.0) continue;
        const IntervalRequirement& ch = channels[c].intervals[k];
        r.per_hour += a[g][c] * ch.per_hour;
        r.seated += a[g][c] * ch.seated;
        r.effective_load += a[g][c] * ch.effective_load;
        if (ch.per_hour <= 0.0) continue;
        // The worst channel (NaN: not measured, ignored).
        auto worst = [](double& into, double x, bool lower_is_worse) {
          if (std::isnan(x)) return;
          if (std::isnan(into) || (lower_is_worse ? x < into : x > into)) into = x;
        };
        worst(r.service_level, ch.service_level, true);
        worst(r.asa_s, ch.asa_s, false);
        worst(r.abandon_rate, ch.abandon_rate, false);
      }
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
  if (!scenario.agent_groups.empty()) {
    plan.groups = groupRequirements(scenario, plan.channels, groupShares(scenario));
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

StaffingPlan simulationRequirements(const Scenario& scenario, const StaffingOptions& options,
                                    const std::function<void(int, int)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  require(options.replications >= 2, "the simulation method needs at least 2 replications");
  require(options.max_iterations >= 1, "the simulation method needs at least 1 iteration");
  StaffingPlan plan = erlangRequirements(scenario, options);
  plan.method = "simulation";
  plan.seed = options.seed;
  plan.replications = options.replications;

  // What is staffed: units u (the channels, or the agent groups). a[u][c]: the part of channel
  // c's requirement unit u carries (groupShares). b[u][c][k]: the part of unit u's agents that
  // works channel c in interval k, from the Erlang start (the channel's share of the unit's
  // fractional requirement), fixed over the iterations. With dedicated agents both are the
  // identity and what follows is the algorithm of FMMW for each channel.
  const std::size_t channels = scenario.channels.size();
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  const std::vector<std::vector<double>> a = groupShares(scenario);
  const std::size_t units = a.size();
  std::vector<std::vector<std::vector<double>>> b(
      units, std::vector<std::vector<double>>(channels, std::vector<double>(intervals, 0.0)));
  for (std::size_t u = 0; u < units; ++u)
    for (std::size_t k = 0; k < intervals; ++k) {
      double total = 0.0;
      for (std::size_t c = 0; c < channels; ++c)
        total += a[u][c] * plan.channels[c].intervals[k].seated;
      for (std::size_t c = 0; c < channels; ++c)
        if (total > 0.0) b[u][c][k] = a[u][c] * plan.channels[c].intervals[k].seated / total;
    }
  std::vector<std::vector<int>> level = plan.onPhone();
  if (options.start_from_offered_load)
    for (std::size_t u = 0; u < units; ++u)
      for (std::size_t k = 0; k < intervals; ++k) {
        double start = 0.0;
        for (std::size_t c = 0; c < channels; ++c) {
          const IntervalRequirement& r = plan.channels[c].intervals[k];
          if (r.per_hour > 0.0) start += a[u][c] * (std::floor(r.effective_load) + 1.0);
        }
        level[u][k] = static_cast<int>(std::ceil(start - 1e-9));
      }

  ExperimentOptions eo;
  eo.seed = options.seed;  // the same seed every iteration: common random numbers
  eo.replications = options.replications;
  eo.threads = options.threads;

  // Re-staffs interval k of channel c from one simulation's measurements: the Erlang minimum at
  // the load the measurements imply. Also fills the interval's reported figures.
  const std::vector<PlannedStream> streams = plannedStreams(scenario);
  auto restaff = [&](std::size_t c, std::size_t k, const MetricEstimates& e, int n) -> int {
    const ChannelSpec& ch = scenario.channels[c];
    IntervalRequirement& r = plan.channels[c].intervals[k];
    r.on_phone = n;
    const QueueFigures qf = queueFigures(e);
    r.service_level = qf.service_level;
    r.asa_s = meanOf(e, Metric::AsaS);
    r.abandon_rate = qf.abandon_rate;
    if (r.per_hour <= 0.0) {
      r.seated = 0.0;
      r.effective_load = 0.0;
      return 0;
    }
    if (std::isnan(r.service_level)) {  // nobody came in any replication: keep what is there
      r.seated = n;
      return n;
    }
    const analytic::StaffingTarget t = targetFor(ch, options);
    const double aht = streams[c].handle_s;
    // With k chats per agent the queue has k·n slots at a full agent's handle time: the load
    // the measurements imply is in those slots' erlangs.
    const ChatConcurrency chat = chatOf(ch);
    const double slot_aht = chatHandleTime(aht, chat);
    const std::optional<double> patience = patienceOf(ch);
    auto at = [&](double load) {
      return analytic::evaluate(
          {load / slot_aht, slot_aht, n * chat.concurrency, patience, t.threshold_s});
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
    const int slots = n * chat.concurrency;
    double load =
        impliedLoad(r.service_level, false, slots, [&](double R) { return at(R).service_level; });
    if (t.max_abandon_rate && !std::isnan(r.abandon_rate) && r.abandon_rate > 0.0)
      load = std::max(load, impliedLoad(r.abandon_rate, true, slots,
                                        [&](double R) { return at(R).abandon_rate; }));
    const double occ = meanOf(e, Metric::Occupancy);
    if (t.max_occupancy && !std::isnan(occ) && occ > 0.0)
      load = std::max(load, impliedLoad(std::min(occ, 1.0 - 1e-9), true, slots,
                                        [&](double R) { return at(R).occupancy; }));
    r.effective_load = load;
    SeatedRequirement q;
    try {
      q = chat.concurrency > 1 ? chatRequirement(load / slot_aht * 3600.0, aht, patience, chat, t)
                               : queueRequirement(load / aht * 3600.0, aht, patience, t);
    } catch (const std::invalid_argument& err) {
      throw std::invalid_argument(fmt::format("channel {}, interval {}: {}", ch.id,
                                              intervalLabel(scenario, static_cast<int>(k)),
                                              err.what()));
    }
    r.seated = q.seated;
    return std::max(1, q.agents);
  };

  // Channel c's agents in interval k: its part of its units' agents, at least one if it has
  // work (the Erlang inversion needs a whole number of servers).
  auto attributed = [&](const std::vector<std::vector<int>>& lv, std::size_t c, std::size_t k) {
    double n = 0.0;
    for (std::size_t u = 0; u < units; ++u) n += b[u][c][k] * lv[u][k];
    const int whole = static_cast<int>(std::lround(n));
    return plan.channels[c].intervals[k].per_hour > 0.0 ? std::max(1, whole) : whole;
  };
  // Unit u's slack below its level in interval k, from its channels' fractional requirements
  // (how far the tightest channel's requirement is below the agents it has).
  std::vector<std::vector<double>> slack(units, std::vector<double>(intervals, 0.0));

  // Re-staffs unit u in interval k from its channels' proposals: a channel proposing d_c more
  // agents (restaff − attributed, times a[u][c]) asks that much of u. Shortfalls add up (an
  // agent is needed for each, since surpluses elsewhere are already idle and would have been
  // taken by the short channel); with no shortfall the unit gives up what its tightest channel
  // can spare (the largest, i.e. least negative, proposal), rounded towards zero. A unit none
  // of whose channels has work in the interval gets nobody.
  auto restaffUnit = [&](std::size_t u, std::size_t k, const std::vector<int>& proposed,
                         const std::vector<int>& current) {
    bool opinion = false, short_somewhere = false;
    double more = 0.0, spare = -std::numeric_limits<double>::infinity();
    double tightest = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < channels; ++c) {
      const IntervalRequirement& r = plan.channels[c].intervals[k];
      if (a[u][c] <= 0.0 || r.per_hour <= 0.0) continue;
      opinion = true;
      const double d = a[u][c] * (proposed[c] - current[c]);
      if (d > 0.0) {
        short_somewhere = true;
        more += d;
      }
      spare = std::max(spare, d);
      tightest = std::min(tightest, a[u][c] * (current[c] - r.seated));
    }
    slack[u][k] = opinion ? tightest : 0.0;
    if (!opinion) return 0;
    const int step = short_somewhere ? static_cast<int>(std::ceil(more - 1e-9))
                                     : -static_cast<int>(std::floor(-spare + 1e-9));
    return std::max(1, level[u][k] + step);
  };

  // The simulation measures service level against the channel's own threshold: apply overrides.
  const Scenario measured = withTargets(scenario, options);
  std::vector<std::vector<std::vector<int>>> history;  // staffing simulated at each iteration
  plan.converged = false;
  for (int it = 1;; ++it) {
    const ExperimentResult res = runExperiment(withStaffing(measured, level), eo);
    plan.iterations = it;
    history.push_back(level);
    std::vector<std::vector<int>> next = level;
    int changed = 0;
    const std::vector<std::vector<int>>* before =
        history.size() >= 2 ? &history.end()[-2] : nullptr;
    for (std::size_t k = 0; k < intervals; ++k) {
      std::vector<int> current(channels), proposed(channels);
      for (std::size_t c = 0; c < channels; ++c) {
        current[c] = attributed(level, c, k);
        proposed[c] = restaff(c, k, res.interval_channels[k][c], current[c]);
      }
      for (std::size_t u = 0; u < units; ++u) {
        int n = restaffUnit(u, k, proposed, current);
        // An interval sent back to the level it had two iterations ago alternates between two
        // levels (integer staffing, noisy neighbours): keep the larger, which met the target.
        if (before && n == (*before)[u][k] && n != level[u][k]) {
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
  for (ChannelRequirement& cr : plan.channels)
    for (IntervalRequirement& r : cr.intervals) setRostered(r, options.shrinkage);
  if (!plan.groups.empty()) {
    // The groups' figures from their channels' last measurements, at the levels simulated.
    plan.groups = groupRequirements(scenario, plan.channels, a);
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
