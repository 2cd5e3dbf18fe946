// Exact Erlang B / C / A formulas and staffing searches. See docs/ANALYTIC.md for the equations.
#include "sim/analytic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace cx::analytic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Relative size (to the largest term) below which the remaining tail of a log-concave sum is
// dropped.
constexpr double kTailEps = 1e-30;
// Guard against pathological Erlang A inputs (patience far longer than an overload can drain):
// the exact sum would need more states than this.
constexpr double kMaxStates = 5e7;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("cx::analytic: " + what);
}

void checkCommon(double lambda, double aht_s, int agents, double threshold_s) {
  require(std::isfinite(lambda) && lambda >= 0.0,
          "arrival rate must be finite and >= 0 (got " + std::to_string(lambda) + ")");
  require(std::isfinite(aht_s) && aht_s > 0.0,
          "handle time must be finite and > 0 (got " + std::to_string(aht_s) + ")");
  require(agents >= 1, "agents must be >= 1 (got " + std::to_string(agents) + ")");
  require(
      std::isfinite(threshold_s) && threshold_s >= 0.0,
      "service-level threshold must be finite and >= 0 (got " + std::to_string(threshold_s) + ")");
}

void checkPatience(double patience_s) {
  require(!std::isnan(patience_s) && patience_s > 0.0,
          "mean patience must be > 0 (got " + std::to_string(patience_s) + ")");
}

QueueResult emptyResult(int agents) {
  QueueResult r;
  r.agents = agents;
  r.service_level = 1.0;  // nobody arrives: nothing is late (0/0 taken as met)
  return r;
}

// Erlang C from a known Erlang B value (lets the staffing search step B incrementally).
QueueResult erlangCFromB(double lambda, double aht_s, int n, double threshold_s, double b) {
  const double load = lambda * aht_s;
  QueueResult r;
  r.agents = n;
  r.offered_load = load;
  if (lambda == 0.0) return emptyResult(n);
  if (load >= n) {
    r.stable = false;
    r.p_wait = 1.0;
    r.asa_s = r.wait_all_s = r.queue_mean = kInf;
    r.service_level = 0.0;
    r.occupancy = 1.0;
    return r;
  }
  const double c = n * b / (n - load * (1.0 - b));
  r.p_wait = c;
  r.asa_s = c * aht_s / (n - load);  // C / (Nμ − λ)
  r.wait_all_s = r.asa_s;
  r.queue_mean = lambda * r.asa_s;
  r.service_level = 1.0 - c * std::exp(-(n - load) * threshold_s / aht_s);
  r.occupancy = load / n;
  return r;
}

// K ~ negative binomial with pmf p_k = Γ(k+b)/(k! Γ(b)) x^k (1−x)^b. Then
// P(K >= m) = I_x(m, b), the CDF at t of a sum of m exponentials with rates θ(c+1), …, θ(c+m)
// when b = c + 1 and x = 1 − e^{−θt}. Walked upward in k, in log space.
class NegBinTail {
 public:
  NegBinTail(double b, double x, double log_p0) : b_(b), x_(x), log_p_(log_p0) {
    zero_ = !(x > 0.0);
  }
  // P(K >= j + 1); calls must have non-decreasing j.
  double above(std::int64_t j) {
    if (zero_) return 0.0;
    while (k_ <= j && !saturated_) {
      const double p = std::exp(log_p_);
      cdf_ += p;
      const double ratio = (static_cast<double>(k_) + b_) * x_ / static_cast<double>(k_ + 1);
      if (ratio < 1.0 && p * ratio / (1.0 - ratio) < kTailEps) {
        saturated_ = true;
        cdf_ = 1.0;
      }
      log_p_ += std::log(ratio);
      ++k_;
    }
    return std::max(0.0, 1.0 - cdf_);
  }

 private:
  double b_, x_, log_p_;
  double cdf_ = 0.0;
  std::int64_t k_ = 0;
  bool zero_ = false;
  bool saturated_ = false;
};

}  // namespace

double erlangB(double offered_load_erlangs, int servers) {
  require(std::isfinite(offered_load_erlangs) && offered_load_erlangs >= 0.0,
          "offered load must be finite and >= 0");
  require(servers >= 0, "servers must be >= 0");
  double b = 1.0;
  for (int n = 1; n <= servers; ++n) b = offered_load_erlangs * b / (n + offered_load_erlangs * b);
  return b;
}

double erlangCWaitProbability(double offered_load_erlangs, int servers) {
  require(servers >= 1, "servers must be >= 1");
  const double load = offered_load_erlangs;
  if (load >= servers) return 1.0;
  const double b = erlangB(load, servers);
  return servers * b / (servers - load * (1.0 - b));
}

QueueResult erlangC(double lambda, double aht_s, int agents, double threshold_s) {
  checkCommon(lambda, aht_s, agents, threshold_s);
  const double load = lambda * aht_s;
  const double b = load >= agents ? 1.0 : erlangB(load, agents);
  return erlangCFromB(lambda, aht_s, agents, threshold_s, b);
}

QueueResult erlangA(double lambda, double aht_s, int agents, double patience_s,
                    double threshold_s) {
  checkCommon(lambda, aht_s, agents, threshold_s);
  checkPatience(patience_s);
  if (std::isinf(patience_s)) return erlangC(lambda, aht_s, agents, threshold_s);
  const int N = agents;
  const double mu = 1.0 / aht_s, theta = 1.0 / patience_s;
  const double load = lambda * aht_s;
  if (lambda == 0.0) return emptyResult(N);
  const double nmu = N * mu;
  // Death rate of the birth–death chain in state n (customers in system).
  auto death = [&](std::int64_t n) {
    return n <= N ? static_cast<double>(n) * mu : nmu + static_cast<double>(n - N) * theta;
  };

  // Mode of the stationary distribution: largest n with death(n) <= λ.
  std::int64_t mode = 0;
  if (lambda < nmu) {
    mode = static_cast<std::int64_t>(std::floor(load));
  } else {
    const double excess = (lambda - nmu) / theta;
    if (excess > kMaxStates)
      throw std::domain_error("cx::analytic::erlangA: patience too long for this overload (about " +
                              std::to_string(excess) +
                              " customers would be waiting); use Erlang C or a simulation");
    mode = N + static_cast<std::int64_t>(std::floor(excess));
  }

  // Terms t_n ∝ π_n relative to t_mode = 1; the distribution is log-concave, so the ratio of
  // successive terms falls monotonically away from the mode and the geometric bound on the
  // remaining tail is valid once the ratio is below 1.
  std::int64_t lo = mode;
  double t = 1.0;
  while (lo > 0) {
    const double r = death(lo) / lambda;  // t_{lo-1} / t_lo
    if (r < 1.0 && t * r / (1.0 - r) < kTailEps) break;
    t *= r;
    --lo;
    if (static_cast<double>(mode - lo) > kMaxStates)
      throw std::domain_error("cx::analytic::erlangA: state space too large");
  }

  // Tagged customer arriving with j customers waiting ahead: each step forward happens at rate
  // Nμ + iθ (i ahead), own abandonment at rate θ. Total rate in position i is
  // q_i = Nμ + (i+1)θ; P(answered | j) = Nμ / q_j (telescoping product); conditional on being
  // answered the wait is Σ_{i=0..j} Exp(q_i), whose CDF is the negative-binomial tail below.
  const double c_plus_1 = nmu / theta + 1.0;
  const double x = -std::expm1(-theta * threshold_s);
  NegBinTail tail(c_plus_1, x, -(nmu + theta) * threshold_s);
  double harmonic = 0.0;  // H_j = Σ_{i=0..j} 1 / q_i

  double z = 0.0, s_wait = 0.0, s_queue = 0.0, s_abandon = 0.0, s_answered_wait = 0.0, s_sl = 0.0;
  bool queue_started = false;
  for (std::int64_t n = lo;; ++n) {
    z += t;
    if (n < N) {
      s_sl += t;
    } else {
      const std::int64_t j = n - N;
      if (!queue_started) {
        queue_started = true;
        for (std::int64_t i = 0; i < j; ++i)
          harmonic += 1.0 / (nmu + static_cast<double>(i + 1) * theta);
      }
      const double q = nmu + static_cast<double>(j + 1) * theta;
      harmonic += 1.0 / q;
      const double p_answer = nmu / q;
      s_wait += t;
      s_queue += static_cast<double>(j) * t;
      s_abandon += t * (1.0 - p_answer);
      s_answered_wait += t * p_answer * harmonic;
      s_sl += t * p_answer * tail.above(j);
    }
    const double r = lambda / death(n + 1);  // t_{n+1} / t_n
    if (r < 1.0 && t * r / (1.0 - r) < kTailEps) break;
    t *= r;
    if (static_cast<double>(n - lo) > 2.0 * kMaxStates)
      throw std::domain_error("cx::analytic::erlangA: state space too large");
  }

  QueueResult res;
  res.agents = N;
  res.offered_load = load;
  res.stable = true;
  res.p_wait = s_wait / z;
  res.queue_mean = s_queue / z;
  res.abandon_rate = s_abandon / z;
  const double p_answered = 1.0 - res.abandon_rate;
  res.asa_s = p_answered > 0.0 ? (s_answered_wait / z) / p_answered : 0.0;
  res.wait_all_s = res.queue_mean / lambda;
  res.service_level = std::clamp(s_sl / z, 0.0, 1.0);
  res.occupancy = lambda * p_answered / nmu;
  return res;
}

QueueResult evaluate(const QueueInput& in) {
  if (in.patience_s)
    return erlangA(in.arrivals_per_s, in.aht_s, in.agents, *in.patience_s, in.threshold_s);
  return erlangC(in.arrivals_per_s, in.aht_s, in.agents, in.threshold_s);
}

QueueResult minimumAgents(double lambda, double aht_s, std::optional<double> patience_s,
                          const StaffingTarget& target) {
  checkCommon(lambda, aht_s, 1, target.threshold_s);
  if (patience_s) checkPatience(*patience_s);
  require(std::isfinite(target.service_level) && target.service_level >= 0.0 &&
              target.service_level < 1.0,
          "service-level target must be in [0, 1) (got " + std::to_string(target.service_level) +
              "; 1 is unreachable with finite agents)");
  if (target.max_occupancy)
    require(*target.max_occupancy > 0.0 && *target.max_occupancy <= 1.0,
            "occupancy cap must be in (0, 1] (got " + std::to_string(*target.max_occupancy) + ")");
  const bool with_patience = patience_s && std::isfinite(*patience_s);
  if (target.max_abandon_rate) {
    require(!std::isnan(*target.max_abandon_rate), "abandonment cap must be a number");
    if (with_patience)
      require(*target.max_abandon_rate > 0.0,
              "abandonment cap must be > 0 when customers abandon (every queue loses some)");
  }
  const double load = lambda * aht_s;
  const double n_max_d =
      2.0 * load / target.max_occupancy.value_or(1.0) + 50.0 * std::sqrt(load) + 1000.0;
  require(n_max_d < 1e9, "offered load too large (" + std::to_string(load) + " erlangs)");
  const int n_max = static_cast<int>(n_max_d);

  auto meets = [&](const QueueResult& r) {
    if (!r.stable) return false;
    if (r.service_level < target.service_level) return false;
    if (target.max_abandon_rate && r.abandon_rate > *target.max_abandon_rate) return false;
    if (target.max_occupancy && r.occupancy > *target.max_occupancy) return false;
    return true;
  };
  const std::string unreachable =
      "staffing target unreachable within " + std::to_string(n_max) + " agents";

  if (!with_patience) {
    // Erlang C: step upward from the first stable N, advancing Erlang B by its recursion.
    int n = std::max(1, static_cast<int>(std::floor(load)) + 1);
    double b = erlangB(load, n);
    for (;; ++n) {
      if (n > n_max) throw std::invalid_argument("cx::analytic: " + unreachable);
      const QueueResult r = erlangCFromB(lambda, aht_s, n, target.threshold_s, b);
      if (meets(r)) return r;
      b = load * b / (n + 1 + load * b);
    }
  }

  // Erlang A: every metric improves with N, so gallop upward from a lower bound and bisect.
  // Answered rate <= Nμ gives SL <= N/R and P(abandon) >= 1 − N/R.
  double lower = target.service_level * load;
  if (target.max_abandon_rate) lower = std::max(lower, load * (1.0 - *target.max_abandon_rate));
  int bad = std::max(0, static_cast<int>(std::floor(lower)) - 1);  // N known (or taken) to fail
  auto at = [&](int n) { return erlangA(lambda, aht_s, n, *patience_s, target.threshold_s); };
  int step = 1;
  int good = bad + 1;
  QueueResult best = at(good);
  while (!meets(best)) {
    bad = good;
    if (good >= n_max) throw std::invalid_argument("cx::analytic: " + unreachable);
    good = std::min(n_max, good + step);
    step *= 2;
    best = at(good);
  }
  while (good - bad > 1) {
    const int mid = bad + (good - bad) / 2;
    QueueResult r = at(mid);
    if (meets(r)) {
      good = mid;
      best = r;
    } else {
      bad = mid;
    }
  }
  return best;
}

int squareRootStaffing(double offered_load_erlangs, double beta) {
  require(std::isfinite(offered_load_erlangs) && offered_load_erlangs >= 0.0,
          "offered load must be finite and >= 0");
  require(std::isfinite(beta), "beta must be finite");
  const double n = std::ceil(offered_load_erlangs + beta * std::sqrt(offered_load_erlangs));
  require(n < 2e9, "staffing level too large");
  return std::max(1, static_cast<int>(n));
}

double halfinWhittPWait(double beta) {
  require(!std::isnan(beta), "beta must be a number");
  if (beta <= 0.0) return 1.0;
  const double big_phi = 0.5 * std::erfc(-beta / std::numbers::sqrt2);
  const double small_phi = std::exp(-0.5 * beta * beta) / std::sqrt(2.0 * std::numbers::pi);
  if (small_phi == 0.0) return 0.0;
  return 1.0 / (1.0 + beta * big_phi / small_phi);
}

double halfinWhittBeta(double target_p_wait) {
  require(target_p_wait > 0.0 && target_p_wait <= 1.0,
          "target P(wait) must be in (0, 1] (got " + std::to_string(target_p_wait) + ")");
  if (target_p_wait == 1.0) return 0.0;
  double lo = 0.0, hi = 40.0;  // halfinWhittPWait decreases from 1 to ~0 on [0, 40]
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (halfinWhittPWait(mid) > target_p_wait ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace cx::analytic
