// Exact queueing formulas for staffing and for validating the simulator: Erlang B, Erlang C
// (M/M/N), Erlang A (M/M/N+M), square-root staffing and minimum-agent searches.
// Equations and references: docs/ANALYTIC.md.
//
// Metric semantics follow DESIGN.md §3 (all are long-run averages over arrivals):
//   p_wait        P(all agents busy on arrival) = share of arrivals that cannot be answered at
//                 once (PASTA).
//   abandon_rate  abandoned / (answered + abandoned) = P(abandon) (no balking). 0 for Erlang C.
//   asa_s         mean wait of ANSWERED contacts (Erlang C: equal to the mean wait of all).
//   wait_all_s    mean time in queue of ALL arrivals, answered or abandoned (Little: E[Q]/λ).
//   queue_mean    mean number waiting (not being served).
//   service_level answered within threshold_s / all arrivals (= / (answered + abandoned)).
//   occupancy     mean busy agents / agents = λ(1 − P(abandon)) · AHT / N.
// Unstable Erlang C (load >= agents): stable = false, p_wait = 1, asa_s = wait_all_s =
// queue_mean = +inf, service_level = 0, occupancy = 1. Erlang A is always stable.
// Invalid input (negative or non-finite rates, AHT <= 0, agents < 1, patience <= 0, negative
// threshold) throws std::invalid_argument.
#pragma once

#include <optional>

namespace cx::analytic {

struct QueueInput {
  double arrivals_per_s = 0.0;       // Poisson arrival rate λ (1/s)
  double aht_s = 0.0;                // mean handle time 1/μ (s), exponential
  int agents = 1;                    // N
  std::optional<double> patience_s;  // mean patience 1/θ (s), exponential; none: nobody leaves
  double threshold_s = 20.0;         // service-level threshold (s)
};

struct QueueResult {
  double p_wait = 0.0;
  double abandon_rate = 0.0;
  double asa_s = 0.0;
  double wait_all_s = 0.0;
  double queue_mean = 0.0;
  double service_level = 0.0;
  double occupancy = 0.0;
  int agents = 0;
  double offered_load = 0.0;  // R = λ · AHT (erlangs)
  bool stable = true;
};

// Erlang B blocking probability B(N, R) of M/M/N/N (stable recursion, O(N)).
double erlangB(double offered_load_erlangs, int servers);
// Erlang C delay probability C(N, R) of M/M/N; 1 when R >= N.
double erlangCWaitProbability(double offered_load_erlangs, int servers);

// M/M/N (no abandonment).
QueueResult erlangC(double arrivals_per_s, double aht_s, int agents, double threshold_s);
// M/M/N+M, exact from the birth–death chain (patience_s = +inf falls back to Erlang C).
QueueResult erlangA(double arrivals_per_s, double aht_s, int agents, double patience_s,
                    double threshold_s);
// Erlang A if patience_s is given, else Erlang C.
QueueResult evaluate(const QueueInput& in);

struct StaffingTarget {
  double service_level = 0.8;  // fraction of arrivals answered within threshold_s, in [0, 1)
  double threshold_s = 20.0;
  std::optional<double> max_abandon_rate;  // abandon_rate <= cap (only binds with patience)
  std::optional<double> max_occupancy;     // occupancy <= cap, in (0, 1]
};

// Smallest N (>= 1, and > load for Erlang C) meeting every target; returns the result at that
// N (its `agents` field). Throws std::invalid_argument on invalid or unreachable targets.
QueueResult minimumAgents(double arrivals_per_s, double aht_s, std::optional<double> patience_s,
                          const StaffingTarget& target);

// Square-root staffing N = ceil(R + beta·sqrt(R)) (Halfin–Whitt), at least 1.
int squareRootStaffing(double offered_load_erlangs, double beta);
// Halfin–Whitt limit of P(wait) for a given beta: [1 + beta·Φ(beta)/φ(beta)]^-1.
double halfinWhittPWait(double beta);
// The beta >= 0 with halfinWhittPWait(beta) = target_p_wait, target in (0, 1].
double halfinWhittBeta(double target_p_wait);

}  // namespace cx::analytic
