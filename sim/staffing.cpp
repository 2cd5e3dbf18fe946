// Staffing requirements: analytic per interval (voice, chat, email) and the iterative
// simulation-based search. See staffing.hpp and docs/STAFFING.md.
#include "sim/staffing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

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

// The mean handle time agents see on a channel: its own mean times the intents' handle-time
// factors weighted by their shares of the channel (docs/STAFFING.md). Without intents, or
// with none on this channel, the channel's mean.
double plannedHandleS(const Scenario& scenario, const ChannelSpec& ch) {
  double shares = 0.0, weighted = 0.0;
  for (const IntentSpec& in : scenario.intents) {
    const double share = in.shareOf(ch.id);
    shares += share;
    weighted += share * in.handle_factor;
  }
  return ch.handle_time.mean_s * (shares > 0.0 ? weighted / shares : 1.0);
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
  for (const ChannelRequirement& c : channels) {
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
  for (const ChannelSpec& ch : scenario.channels) {
    ChannelRequirement cr;
    cr.id = ch.id;
    cr.model = ch.patience ? "Erlang A" : "Erlang C";
    const analytic::StaffingTarget t = targetFor(ch, options);
    cr.target = t.service_level;
    cr.threshold_s = t.threshold_s;
    const double aht = plannedHandleS(scenario, ch);
    // Email and messaging without patience: every reply within the threshold, the work spread
    // over its response window (a fluid model; emailRequirement). The day form's nights are
    // not in the cycle: work whose window runs past closing is left over.
    if (ch.asynchronous() && !ch.patience) {
      cr.model = "fluid backlog";
      std::vector<double> per_interval;
      for (int k = 0; k < intervals; ++k)
        per_interval.push_back(ch.arrivals.perHourAt(k) * scenario.intervalSeconds() / 3600.0);
      const EmailRequirement e =
          emailRequirement(per_interval, scenario.intervalSeconds(), aht, t.threshold_s,
                           !scenario.dayStructured(), options.max_occupancy.value_or(1.0));
      for (int k = 0; k < intervals; ++k) {
        IntervalRequirement r;
        r.per_hour = ch.arrivals.perHourAt(k);
        r.seated = e.agents[static_cast<std::size_t>(k)];
        r.on_phone = static_cast<int>(std::ceil(r.seated - 1e-9));
        r.effective_load = r.per_hour * aht / 3600.0;
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
    for (int k = 0; k < intervals; ++k) {
      IntervalRequirement r;
      r.per_hour = ch.arrivals.perHourAt(k);
      SeatedRequirement q;
      try {
        q = chat.concurrency > 1 ? chatRequirement(r.per_hour, aht, patienceOf(ch), chat, t)
                                 : queueRequirement(r.per_hour, aht, patienceOf(ch), t);
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
  require(scenario.agent_groups.empty(),
          "staffing a scenario whose channels share agent groups is not supported yet: give each "
          "channel its own agents");
  require(on_phone.size() == scenario.channels.size(),
          fmt::format("staffing for {} channels given, the scenario has {}", on_phone.size(),
                      scenario.channels.size()));
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  Scenario s = scenario;
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    const std::vector<int>& levels = on_phone[c];
    require(levels.size() == intervals,
            fmt::format("channel {}: staffing for {} intervals given, the scenario has {}",
                        s.channels[c].id, levels.size(), intervals));
    s.channels[c].agents = levels;
  }
  return s;
}

StaffingPlan simulationRequirements(const Scenario& scenario, const StaffingOptions& options,
                                    const std::function<void(int, int)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  require(options.replications >= 2, "the simulation method needs at least 2 replications");
  require(options.max_iterations >= 1, "the simulation method needs at least 1 iteration");
  require(scenario.agent_groups.empty(),
          "the simulation method needs channels with their own agents (shared agent groups are "
          "not supported yet)");
  StaffingPlan plan = erlangRequirements(scenario, options);
  plan.method = "simulation";
  plan.seed = options.seed;
  plan.replications = options.replications;

  const std::size_t channels = scenario.channels.size();
  const auto intervals = static_cast<std::size_t>(scenario.intervalsPerDay());
  std::vector<std::vector<int>> level = plan.onPhone();
  if (options.start_from_offered_load)
    for (std::size_t c = 0; c < channels; ++c)
      for (std::size_t k = 0; k < intervals; ++k) {
        const IntervalRequirement& r = plan.channels[c].intervals[k];
        level[c][k] = r.per_hour > 0.0 ? static_cast<int>(std::floor(r.effective_load)) + 1 : 0;
      }

  ExperimentOptions eo;
  eo.seed = options.seed;  // the same seed every iteration: common random numbers
  eo.replications = options.replications;
  eo.threads = options.threads;

  // Re-staffs interval k of channel c from one simulation's measurements: the Erlang minimum at
  // the load the measurements imply. Also fills the interval's reported figures.
  auto restaff = [&](std::size_t c, std::size_t k, const MetricEstimates& e, int n) -> int {
    const ChannelSpec& ch = scenario.channels[c];
    IntervalRequirement& r = plan.channels[c].intervals[k];
    r.on_phone = n;
    r.service_level = meanOf(e, Metric::ServiceLevel);
    r.asa_s = meanOf(e, Metric::AsaS);
    r.abandon_rate = meanOf(e, Metric::AbandonRate);
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
    const double aht = plannedHandleS(scenario, ch);
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
    for (std::size_t c = 0; c < channels; ++c)
      for (std::size_t k = 0; k < intervals; ++k) {
        int n = restaff(c, k, res.interval_channels[k][c], level[c][k]);
        // An interval sent back to the level it had two iterations ago alternates between two
        // levels (integer staffing, noisy neighbours): keep the larger, which met the target.
        if (before && n == (*before)[c][k] && n != level[c][k]) {
          n = std::max(n, level[c][k]);
          ++plan.alternations;
        }
        next[c][k] = n;
        if (n != level[c][k]) ++changed;
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
        for (std::size_t c = 0; c < channels; ++c)
          for (std::size_t k = 0; k < intervals; ++k) next[c][k] = std::max(next[c][k], (*h)[c][k]);
      plan.note = fmt::format(
          "after {} iterations the staffing cycled through {} levels; the element-wise maximum of "
          "the cycle was simulated once more and is reported",
          it, history.end() - seen);
    }
    level = std::move(next);
  }
  for (ChannelRequirement& cr : plan.channels)
    for (IntervalRequirement& r : cr.intervals) setRostered(r, options.shrinkage);
  plan.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return plan;
}

}  // namespace cx
