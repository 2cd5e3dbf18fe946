// Erlang B / C / A and staffing against CALIBRATION.md's reference results and brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/analytic.hpp"

namespace an = cx::analytic;

namespace {

// References are rounded: |x − ref| must be within half a unit of the last digit given.
#define CHECK_NEAR(x, ref, tol)                                                  \
  do {                                                                           \
    const double cx_v = (x);                                                     \
    CHECK_MESSAGE(std::abs(cx_v - (ref)) <= (tol),                               \
                  #x " = " << cx_v << ", expected " << (ref) << " ± " << (tol)); \
  } while (0)

// Brute force for Erlang A: stationary distribution by direct (long double) products over a
// generously truncated chain, and the tagged customer's fate by uniformisation of the full
// chain {j ahead, answered, abandoned}. Shares no code with the library.
struct Brute {
  double p_wait, queue_mean, p_abandon, service_level, asa_answered;
};

Brute bruteErlangA(double lambda, double aht, int n_agents, double patience, double t,
                   int extra_states) {
  const double mu = 1.0 / aht, theta = 1.0 / patience, nmu = n_agents * mu;
  const int max_n = n_agents + extra_states;
  std::vector<long double> pi(max_n + 1);
  pi[0] = 1.0L;
  for (int n = 1; n <= max_n; ++n) {
    const long double death = n <= n_agents ? n * mu : nmu + (n - n_agents) * theta;
    pi[n] = pi[n - 1] * lambda / death;
  }
  // Rescale to avoid overflow in the sum when the mode is far out.
  const long double mx = *std::max_element(pi.begin(), pi.end());
  long double z = 0;
  for (auto& p : pi) z += (p /= mx);
  for (auto& p : pi) p /= z;

  Brute b{};
  const int jmax = extra_states;
  for (int j = 0; j <= jmax; ++j) {
    const double p = static_cast<double>(pi[n_agents + j]);
    b.p_wait += p;
    b.queue_mean += j * p;
  }
  b.p_abandon = theta * b.queue_mean / lambda;
  // Answered-wait: time spent at position i (i ahead) counts if the customer is later answered.
  // E[W 1{answered} | start j] = Σ_{i<=j} P(reach i | j) · (1/q_i) · P(answered | at i).
  double wait_answered = 0.0;
  {
    std::vector<double> ans(jmax + 1);  // P(answered | at i)
    for (int i = 0; i <= jmax; ++i) {
      const double q = nmu + i * theta + theta;
      ans[i] = (i == 0 ? nmu : (nmu + i * theta) * ans[i - 1]) / q;
    }
    for (int j = 0; j <= jmax; ++j) {
      double reach = 1.0, e = 0.0;
      for (int i = j; i >= 0; --i) {
        const double q = nmu + i * theta + theta;
        e += reach / q * ans[i];
        reach *= (nmu + i * theta) / q;
        if (reach < 1e-300) break;
      }
      wait_answered += static_cast<double>(pi[n_agents + j]) * e;
    }
  }
  double p_answered_now = 0.0;
  for (int n = 0; n < n_agents; ++n) p_answered_now += static_cast<double>(pi[n]);
  b.asa_answered = wait_answered / (1.0 - b.p_abandon);

  // Uniformisation: vector v over j = 0..jmax (positions), plus the answered mass.
  const double big_lambda = nmu + (jmax + 1) * theta;
  std::vector<double> v(jmax + 1), next(jmax + 1);
  for (int j = 0; j <= jmax; ++j) v[j] = static_cast<double>(pi[n_agents + j]);
  const double lt = big_lambda * t;
  const int kmax = static_cast<int>(lt + 12.0 * std::sqrt(lt) + 50.0);
  // answered(t) = Σ_k Pois(k; Λt) · A_k, A_k = answered mass after k jumps of the DTMC.
  double answered_mass = 0.0, answered_by_t = 0.0;
  for (int k = 0; k <= kmax; ++k) {
    const double w =
        lt > 0.0 ? std::exp(-lt + k * std::log(lt) - std::lgamma(k + 1.0)) : (k == 0 ? 1.0 : 0.0);
    answered_by_t += w * answered_mass;
    std::fill(next.begin(), next.end(), 0.0);
    for (int j = 0; j <= jmax; ++j) {
      const double fwd = nmu + j * theta;
      next[j] += v[j] * (1.0 - (fwd + theta) / big_lambda);
      if (j == 0)
        answered_mass += v[0] * fwd / big_lambda;
      else
        next[j - 1] += v[j] * fwd / big_lambda;
    }
    v.swap(next);
  }
  b.service_level = p_answered_now + answered_by_t;
  return b;
}

}  // namespace

TEST_CASE("analytic: Erlang B known values") {
  CHECK(an::erlangB(0.0, 3) == 0.0);
  CHECK(an::erlangB(3.0, 0) == 1.0);
  CHECK(an::erlangB(4.0, 1) == doctest::Approx(0.8).epsilon(1e-14));
  CHECK(an::erlangB(2.0, 5) == doctest::Approx(0.036697247706422).epsilon(1e-12));
  CHECK(an::erlangB(5.0, 10) == doctest::Approx(0.018384570336648).epsilon(1e-12));
  CHECK(an::erlangB(20.0, 30) == doctest::Approx(0.008457498340195).epsilon(1e-12));
  CHECK(an::erlangB(100.0, 100) == doctest::Approx(0.075700452710861).epsilon(1e-12));
  CHECK(an::erlangB(1000.0, 1000) == doctest::Approx(0.024811917646160).epsilon(1e-11));
  CHECK_THROWS_AS(an::erlangB(-1.0, 3), std::invalid_argument);
}

TEST_CASE("analytic: Erlang C reference lambda 0.2/s AHT 240 N 55") {
  const auto r15 = an::erlangC(0.2, 240.0, 55, 15.0);
  const auto r20 = an::erlangC(0.2, 240.0, 55, 20.0);
  CHECK(r20.stable);
  CHECK(r20.offered_load == doctest::Approx(48.0));
  CHECK_NEAR(r20.p_wait, 0.2387, 5e-5);
  CHECK_NEAR(r20.asa_s, 8.18, 5e-3);
  CHECK_NEAR(r15.service_level, 0.846, 5e-4);
  CHECK_NEAR(r20.service_level, 0.867, 5e-4);
  CHECK(r20.abandon_rate == 0.0);
  CHECK(r20.wait_all_s == doctest::Approx(r20.asa_s));
  CHECK(r20.queue_mean == doctest::Approx(0.2 * r20.asa_s));  // Little
  CHECK(an::erlangCWaitProbability(48.0, 55) == doctest::Approx(r20.p_wait));

  const auto m = an::minimumAgents(0.2, 240.0, std::nullopt, an::StaffingTarget{});
  CHECK(m.agents == 54);
  CHECK(m.service_level >= 0.8);
  CHECK(an::erlangC(0.2, 240.0, 53, 20.0).service_level < 0.8);
}

TEST_CASE("analytic: Erlang C reference 100 calls/30 min AHT 180 N 14") {
  const auto r = an::erlangC(100.0 / 1800.0, 180.0, 14, 20.0);
  CHECK_NEAR(r.p_wait, 0.174, 5e-4);
  CHECK_NEAR(r.service_level, 0.888, 5e-4);
  CHECK_NEAR(r.occupancy, 0.714, 5e-4);
  CHECK_NEAR(r.asa_s, 7.84, 5e-3);
}

TEST_CASE("analytic: Erlang C P(wait) at R = 100") {
  const double lambda = 100.0 / 60.0, aht = 60.0;
  CHECK_NEAR(an::erlangC(lambda, aht, 105, 20).p_wait, 0.516, 5e-4);
  CHECK_NEAR(an::erlangC(lambda, aht, 110, 20).p_wait, 0.237, 5e-4);
  CHECK_NEAR(an::erlangC(lambda, aht, 115, 20).p_wait, 0.095, 5e-4);
  CHECK_NEAR(an::erlangC(lambda, aht, 120, 20).p_wait, 0.033, 5e-4);
}

TEST_CASE("analytic: Erlang A reference patience 300 s") {
  const double lambda = 100.0 / 1800.0;
  const auto r = an::erlangA(lambda, 180.0, 14, 300.0, 20.0);
  CHECK(r.stable);
  CHECK_NEAR(r.p_wait, 0.14526, 5e-6);
  CHECK_NEAR(r.abandon_rate, 0.013984, 5e-7);
  CHECK_NEAR(r.occupancy, 0.704297, 5e-7);
  CHECK_NEAR(r.wait_all_s, 4.195, 5e-4);
  CHECK_NEAR(r.service_level, 0.916792, 5e-7);
  // Identities: P(abandon) = θ E[Q] / λ; Little's law for the queue.
  CHECK(r.abandon_rate == doctest::Approx(r.queue_mean / 300.0 / lambda).epsilon(1e-12));
  CHECK(r.wait_all_s == doctest::Approx(r.queue_mean / lambda).epsilon(1e-12));
  // Answered contacts wait less than the all-arrivals mean would suggest for C, more than 0.
  CHECK(r.asa_s > 0.0);
  CHECK(r.asa_s < an::erlangC(lambda, 180.0, 14, 20.0).asa_s);

  an::QueueInput in{lambda, 180.0, 14, 300.0, 20.0};
  CHECK(an::evaluate(in).service_level == doctest::Approx(r.service_level));
  in.patience_s.reset();
  CHECK(an::evaluate(in).p_wait == doctest::Approx(0.174).epsilon(3e-3));
}

TEST_CASE("analytic: Erlang A with patience = AHT is M/M/inf") {
  // θ = μ: the chain is M/M/∞, so P(wait) = P(Poisson(R) >= N).
  const auto r = an::erlangA(100.0 / 240.0, 240.0, 110, 240.0, 20.0);
  CHECK_NEAR(r.p_wait, 0.17056, 5e-6);
  CHECK(r.p_wait == doctest::Approx(0.17055989790811196).epsilon(1e-10));
}

TEST_CASE("analytic: Erlang A matches a brute-force chain") {
  struct Case {
    double lambda, aht;
    int n;
    double patience, t;
    int extra;
  };
  const Case cases[] = {
      {100.0 / 1800.0, 180.0, 14, 300.0, 20.0, 400},  // the reference case
      {1.0, 100.0, 90, 120.0, 30.0, 600},             // QED regime
      {1.0, 100.0, 80, 30.0, 10.0, 300},              // overloaded, impatient
      {1.0, 100.0, 50, 3600.0, 2400.0, 4000},         // heavy overload: mode far above N
      {0.05, 300.0, 20, 60.0, 0.0, 200},              // threshold 0
  };
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CAPTURE(c.patience);
    const auto r = an::erlangA(c.lambda, c.aht, c.n, c.patience, c.t);
    const auto b = bruteErlangA(c.lambda, c.aht, c.n, c.patience, c.t, c.extra);
    CHECK(r.p_wait == doctest::Approx(b.p_wait).epsilon(1e-9));
    CHECK(r.queue_mean == doctest::Approx(b.queue_mean).epsilon(1e-9));
    CHECK(r.abandon_rate == doctest::Approx(b.p_abandon).epsilon(1e-9));
    CHECK(r.asa_s == doctest::Approx(b.asa_answered).epsilon(1e-8));
    CHECK(r.service_level == doctest::Approx(b.service_level).epsilon(1e-8));
    CHECK(r.occupancy == doctest::Approx(c.lambda * (1 - b.p_abandon) * c.aht / c.n));
  }
}

TEST_CASE("analytic: Erlang A limits") {
  const double lambda = 0.2, aht = 240.0;
  SUBCASE("huge patience gives Erlang C") {
    const auto a = an::erlangA(lambda, aht, 55, 1e12, 20.0);
    const auto c = an::erlangC(lambda, aht, 55, 20.0);
    CHECK(a.p_wait == doctest::Approx(c.p_wait).epsilon(1e-8));
    CHECK(a.asa_s == doctest::Approx(c.asa_s).epsilon(1e-8));
    CHECK(a.service_level == doctest::Approx(c.service_level).epsilon(1e-8));
    CHECK(a.occupancy == doctest::Approx(c.occupancy).epsilon(1e-8));
    CHECK(a.abandon_rate < 1e-9);
    const auto inf = an::erlangA(lambda, aht, 55, std::numeric_limits<double>::infinity(), 20);
    CHECK(inf.p_wait == doctest::Approx(c.p_wait));
  }
  SUBCASE("vanishing patience gives Erlang B loss") {
    const double b = an::erlangB(lambda * aht, 50);
    const auto a = an::erlangA(lambda, aht, 50, 1e-7, 20.0);
    CHECK(a.p_wait == doctest::Approx(b).epsilon(1e-6));
    CHECK(a.abandon_rate == doctest::Approx(b).epsilon(1e-6));
    CHECK(a.service_level == doctest::Approx(1.0 - b).epsilon(1e-6));
    CHECK(a.occupancy == doctest::Approx(lambda * aht * (1 - b) / 50).epsilon(1e-6));
    CHECK(a.asa_s < 1e-6);
  }
  SUBCASE("overloaded Erlang A stays finite") {
    const auto a = an::erlangA(lambda, aht, 40, 180.0, 20.0);  // R = 48 > 40
    CHECK(a.stable);
    CHECK(std::isfinite(a.asa_s));
    CHECK(a.abandon_rate >= 1.0 - 40.0 / 48.0);
    CHECK(a.occupancy <= 1.0);
    CHECK(a.occupancy > 0.95);
  }
}

TEST_CASE("analytic: staffing caps move the minimum in the expected direction") {
  const double lambda = 100.0 / 1800.0, aht = 180.0;
  an::StaffingTarget base;  // 80/20
  const auto c = an::minimumAgents(lambda, aht, std::nullopt, base);
  const auto a = an::minimumAgents(lambda, aht, 300.0, base);
  CHECK(c.agents == 14);
  CHECK(an::erlangC(lambda, aht, 13, 20.0).service_level < 0.8);
  CHECK(a.agents <= c.agents);  // abandonment relieves the queue
  // Minimality: one agent fewer misses the target.
  CHECK(an::erlangA(lambda, aht, a.agents - 1, 300.0, 20.0).service_level < 0.8);
  CHECK(a.service_level >= 0.8);

  an::StaffingTarget strict_ab = base;
  strict_ab.max_abandon_rate = 0.005;
  const auto a2 = an::minimumAgents(lambda, aht, 300.0, strict_ab);
  CHECK(a2.agents > a.agents);
  CHECK(a2.abandon_rate <= 0.005);
  CHECK(an::erlangA(lambda, aht, a2.agents - 1, 300.0, 20.0).abandon_rate > 0.005);
  // The abandonment cap does not bind without patience.
  CHECK(an::minimumAgents(lambda, aht, std::nullopt, strict_ab).agents == c.agents);

  an::StaffingTarget occ = base;
  occ.max_occupancy = 0.6;
  const auto c3 = an::minimumAgents(lambda, aht, std::nullopt, occ);
  const auto a3 = an::minimumAgents(lambda, aht, 300.0, occ);
  CHECK(c3.agents == 17);  // ceil(10 / 0.6)
  CHECK(c3.agents > c.agents);
  CHECK(a3.agents > a.agents);
  CHECK(a3.occupancy <= 0.6);
  CHECK(an::erlangA(lambda, aht, a3.agents - 1, 300.0, 20.0).occupancy > 0.6);

  an::StaffingTarget higher = base;
  higher.service_level = 0.95;
  CHECK(an::minimumAgents(lambda, aht, std::nullopt, higher).agents > c.agents);
}

TEST_CASE("analytic: unstable and invalid input") {
  const auto u = an::erlangC(0.2, 240.0, 48, 20.0);  // load == agents
  CHECK_FALSE(u.stable);
  CHECK(u.p_wait == 1.0);
  CHECK(std::isinf(u.asa_s));
  CHECK(u.service_level == 0.0);
  CHECK(u.occupancy == 1.0);
  CHECK_FALSE(std::isnan(u.queue_mean));
  CHECK(an::erlangCWaitProbability(60.0, 50) == 1.0);

  const auto z = an::erlangC(0.0, 240.0, 3, 20.0);
  CHECK(z.p_wait == 0.0);
  CHECK(z.service_level == 1.0);
  CHECK(an::erlangA(0.0, 240.0, 3, 60.0, 20.0).service_level == 1.0);

  CHECK_THROWS_AS(an::erlangC(-1.0, 240.0, 3, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangC(1.0, 0.0, 3, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangC(1.0, 240.0, 0, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangC(1.0, 240.0, 3, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangC(std::nan(""), 240.0, 3, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangA(1.0, 240.0, 3, 0.0, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(an::erlangA(1.0, 240.0, 3, -5.0, 20.0), std::invalid_argument);

  an::StaffingTarget bad;
  bad.service_level = 1.0;
  CHECK_THROWS_AS(an::minimumAgents(0.2, 240.0, std::nullopt, bad), std::invalid_argument);
  bad = {};
  bad.max_occupancy = 0.0;
  CHECK_THROWS_AS(an::minimumAgents(0.2, 240.0, std::nullopt, bad), std::invalid_argument);
  bad = {};
  bad.max_abandon_rate = 0.0;
  CHECK_THROWS_AS(an::minimumAgents(0.2, 240.0, 300.0, bad), std::invalid_argument);
  CHECK_THROWS_AS(an::halfinWhittBeta(0.0), std::invalid_argument);
}

TEST_CASE("analytic: square-root staffing and Halfin-Whitt") {
  CHECK(an::squareRootStaffing(100.0, 1.0) == 110);
  CHECK(an::squareRootStaffing(0.0, 1.0) == 1);
  CHECK(an::halfinWhittPWait(0.0) == 1.0);
  for (double p : {0.9, 0.5, 0.2, 0.05, 0.001}) {
    const double beta = an::halfinWhittBeta(p);
    CHECK(an::halfinWhittPWait(beta) == doctest::Approx(p).epsilon(1e-9));
  }
  // The QED limit is close to exact Erlang C at large loads.
  const double load = 10000.0;
  const double beta = an::halfinWhittBeta(0.2);
  const int n = an::squareRootStaffing(load, beta);
  CHECK(an::erlangCWaitProbability(load, n) == doctest::Approx(0.2).epsilon(0.05));
  // And the HW formula itself: R = 100, N = 110 (beta = 1) gives about 0.22 vs exact 0.237.
  CHECK(an::halfinWhittPWait(1.0) == doctest::Approx(0.2185).epsilon(0.01));
}

TEST_CASE("analytic: staffing is fast at thousands of erlangs") {
  const auto start = std::chrono::steady_clock::now();
  const double lambda = 5000.0 / 300.0, aht = 300.0;  // 5000 erlangs
  const auto c = an::minimumAgents(lambda, aht, std::nullopt, an::StaffingTarget{});
  const auto a = an::minimumAgents(lambda, aht, 120.0, an::StaffingTarget{});
  an::StaffingTarget strict;
  strict.service_level = 0.95;
  strict.max_abandon_rate = 0.01;
  strict.max_occupancy = 0.97;
  const auto a2 = an::minimumAgents(lambda, aht, 120.0, strict);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("5000-erlang staffing searches took " << secs << " s: C " << c.agents << ", A "
                                                << a.agents << ", A strict " << a2.agents);
  CHECK(c.agents > 5000);
  CHECK(c.agents < 5000 + 3 * 71);
  CHECK(an::erlangC(lambda, aht, c.agents - 1, 20.0).service_level < 0.8);
  CHECK(a.agents <= c.agents);
  CHECK(an::erlangA(lambda, aht, a.agents, 120.0, 20.0).service_level >= 0.8);
  CHECK(an::erlangA(lambda, aht, a.agents - 1, 120.0, 20.0).service_level < 0.8);
  CHECK(a2.agents >= a.agents);
  CHECK(a2.service_level >= 0.95);
  CHECK(a2.abandon_rate <= 0.01);
  CHECK(a2.occupancy <= 0.97);
  CHECK(secs < 5.0);
}
