// Customers over time: what finished cases do to a customer base — churn, revenue at risk and
// word of mouth (docs/CX_MODEL.md, "Customers").
//
// Each finished case is unresolved, resolved with high effort or resolved with low effort. A
// share of cases puts the customer at a stay-or-go decision, where the stay probability
// depends on that outcome (Gartner 2020); survey-stated leaving is discounted to actual
// leaving; earlier bad experiences of the same customer multiply the leave probability.
// Two versions: expected values (deterministic, for reports and tests) and a sampled one
// driven by an explicit random stream (for replications with confidence intervals).
//
// Fed by the Monitor (sim/metrics.cpp), case by case as they end, when the scenario has
// [outcomes]; it uses the per-customer functions below incrementally.
#pragma once

#include <cstdint>
#include <span>

#include "sim/rng.hpp"

namespace cx {

enum class CaseOutcome { Unresolved, ResolvedHighEffort, ResolvedLowEffort };
const char* toString(CaseOutcome outcome);

// One finished case (a customer's problem, across all its contacts).
struct CaseSummary {
  std::uint64_t customer = 0;  // any id; cases of one customer share it
  bool resolved = false;
  int contacts = 1;  // contacts on the case, >= 1
  // Effort drivers (Dixon, Freeman & Toman 2010) besides the repeat contacts.
  int channel_switches = 0;
  int transfers = 0;
  int repeated_info = 0;        // contacts on which the customer had to tell the story again
  int bot_failures = 0;         // contacts where the bot failed before a person took over
  bool broken_promise = false;  // a promised follow-up was not kept: counts as a bad experience
  bool public_channel = false;  // some contact was on a public channel (messaging/social)
};

// Defaults equal data/calibration.toml (a test keeps them equal).
struct CustomerParams {
  // A resolved case is high effort when its effort drivers add up to at least this.
  int high_effort_drivers = 2;
  double decision_share = 0.3333;  // share of cases that reach a stay-or-go decision
  double stay_unresolved = 0.27;
  double stay_high_effort = 0.37;
  double stay_low_effort = 0.61;
  double stated_to_actual = 0.4;  // actual leaving = this × survey-stated leaving
  // Leave probability × memory_factor^k for k earlier bad cases (at most max_remembered).
  double memory_factor = 1.43;
  int max_remembered = 3;
  // Mean people told about a case, geometric distribution (CEB/Gartner shares).
  double wom_happy_mean = 4.53;
  double wom_unhappy_mean = 14.5;
  double wom_public_factor = 3.0;  // unhappy cases on a public channel reach this many times more
  double value_per_year = 500.0;   // revenue per customer per year, for revenue at risk

  double stayProbability(CaseOutcome outcome) const;
};

// Effort drivers of a case: repeat contacts + channel switches + transfers + repeated
// information + bot failures.
int effortDrivers(const CaseSummary& c);
CaseOutcome classifyCase(const CaseSummary& c, const CustomerParams& p);
// A bad experience is remembered: unresolved, high effort, or a broken promise.
bool isBadExperience(const CaseSummary& c, const CustomerParams& p);
// P(the customer leaves because of this case) given `earlier_bad` remembered bad experiences:
// min(1, decision_share × stated_to_actual × (1 − stay) × memory_factor^min(k, max)).
double leaveProbability(CaseOutcome outcome, int earlier_bad, const CustomerParams& p);

struct CustomerBase {
  long size = 0;  // customers, including those with no case in the horizon
};

struct ChurnProjection {
  long cases = 0;
  long unresolved = 0, high_effort = 0, low_effort = 0;
  double churned = 0.0;          // customers lost through their cases over the horizon
  double churn_rate = 0.0;       // churned / base size
  double revenue_at_risk = 0.0;  // churned × value per year
  // The same cases had every one been resolved with low effort: the churn the service could
  // not have avoided with these parameters. churned − this = churn caused by service failures.
  double churned_if_all_low_effort = 0.0;
  double wom_positive_reach = 0.0;  // people told about a good case
  double wom_negative_reach = 0.0;  // people told about a bad case (public channels weighted)
};

// Expected values. `cases` in the order they finished; every case's word of mouth counts. A
// customer's leave probabilities combine as 1 − Π(1 − p_i) over their cases; each case sees the bad
// experiences before it. Throws std::invalid_argument when the cases name more customers than the
// base holds or a case has fewer than one contact.
ChurnProjection projectChurn(const CustomerBase& base, std::span<const CaseSummary> cases,
                             const CustomerParams& params);

// One sampled outcome: a customer leaves at their first case whose uniform falls below the
// leave probability; later cases of a churned customer happened (the engine simulated them),
// so they still tell people, but cannot make the customer leave twice. Uses exactly 2 uniforms
// per case (leave, word of mouth) so streams stay aligned between compared scenarios.
ChurnProjection sampleChurn(const CustomerBase& base, std::span<const CaseSummary> cases,
                            const CustomerParams& params, Rng& rng);

}  // namespace cx
