// Customers over time: equations in docs/CX_MODEL.md, parameters in data/calibration.toml.
#include "sim/customers.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace cx {

const char* toString(CaseOutcome outcome) {
  switch (outcome) {
    case CaseOutcome::Unresolved:
      return "unresolved";
    case CaseOutcome::ResolvedHighEffort:
      return "resolved_high_effort";
    case CaseOutcome::ResolvedLowEffort:
      return "resolved_low_effort";
  }
  return "?";
}

double CustomerParams::stayProbability(CaseOutcome outcome) const {
  switch (outcome) {
    case CaseOutcome::Unresolved:
      return stay_unresolved;
    case CaseOutcome::ResolvedHighEffort:
      return stay_high_effort;
    case CaseOutcome::ResolvedLowEffort:
      return stay_low_effort;
  }
  return 1.0;
}

int effortDrivers(const CaseSummary& c) {
  return (c.contacts - 1) + c.channel_switches + c.transfers + c.repeated_info + c.bot_failures;
}

CaseOutcome classifyCase(const CaseSummary& c, const CustomerParams& p) {
  if (!c.resolved) return CaseOutcome::Unresolved;
  return effortDrivers(c) >= p.high_effort_drivers ? CaseOutcome::ResolvedHighEffort
                                                   : CaseOutcome::ResolvedLowEffort;
}

bool isBadExperience(const CaseSummary& c, const CustomerParams& p) {
  return c.broken_promise || classifyCase(c, p) != CaseOutcome::ResolvedLowEffort;
}

double leaveProbability(CaseOutcome outcome, int earlier_bad, const CustomerParams& p) {
  const int remembered = std::clamp(earlier_bad, 0, p.max_remembered);
  const double stated_leave = 1.0 - p.stayProbability(outcome);
  const double leave =
      p.decision_share * p.stated_to_actual * stated_leave * std::pow(p.memory_factor, remembered);
  return std::min(1.0, leave);
}

namespace {

// What the projection remembers of one customer while walking through the cases.
struct CustomerState {
  int bad_so_far = 0;
  double stay = 1.0;         // expected version: P(still a customer)
  double stay_if_low = 1.0;  // the same had every case been resolved with low effort
  bool churned = false;      // sampled version
  bool churned_if_low = false;
};

void checkCase(const CaseSummary& c) {
  if (c.contacts < 1) {
    throw std::invalid_argument("case of customer " + std::to_string(c.customer) + " has " +
                                std::to_string(c.contacts) + " contacts (expected at least 1)");
  }
}

void checkBase(const CustomerBase& base, std::size_t customers_seen) {
  if (static_cast<long>(customers_seen) > base.size) {
    throw std::invalid_argument("the cases name " + std::to_string(customers_seen) +
                                " customers but the customer base holds " +
                                std::to_string(base.size));
  }
}

void countOutcome(CaseOutcome outcome, ChurnProjection& out) {
  ++out.cases;
  switch (outcome) {
    case CaseOutcome::Unresolved:
      ++out.unresolved;
      break;
    case CaseOutcome::ResolvedHighEffort:
      ++out.high_effort;
      break;
    case CaseOutcome::ResolvedLowEffort:
      ++out.low_effort;
      break;
  }
}

// Mean number of people told about this case.
double womMean(const CaseSummary& c, bool bad, const CustomerParams& p) {
  if (!bad) return p.wom_happy_mean;
  return p.wom_unhappy_mean * (c.public_channel ? p.wom_public_factor : 1.0);
}

// Geometric on {0, 1, ...} with the given mean, by inversion: P(N >= k) = q^k.
double sampleGeometric(double mean, double u) {
  if (mean <= 0.0) return 0.0;
  const double q = mean / (1.0 + mean);
  return std::floor(std::log(u) / std::log(q));
}

void finish(const CustomerBase& base, const CustomerParams& p, ChurnProjection& out) {
  out.churn_rate = base.size > 0 ? out.churned / static_cast<double>(base.size) : 0.0;
  out.revenue_at_risk = out.churned * p.value_per_year;
}

}  // namespace

ChurnProjection projectChurn(const CustomerBase& base, std::span<const CaseSummary> cases,
                             const CustomerParams& p) {
  ChurnProjection out;
  std::unordered_map<std::uint64_t, CustomerState> customers;
  const double leave_if_low = leaveProbability(CaseOutcome::ResolvedLowEffort, 0, p);
  for (const CaseSummary& c : cases) {
    checkCase(c);
    CustomerState& who = customers[c.customer];
    const CaseOutcome outcome = classifyCase(c, p);
    countOutcome(outcome, out);
    who.stay *= 1.0 - leaveProbability(outcome, who.bad_so_far, p);
    who.stay_if_low *= 1.0 - leave_if_low;
    const bool bad = isBadExperience(c, p);
    (bad ? out.wom_negative_reach : out.wom_positive_reach) += womMean(c, bad, p);
    if (bad) ++who.bad_so_far;
  }
  checkBase(base, customers.size());
  for (const auto& [id, who] : customers) {
    out.churned += 1.0 - who.stay;
    out.churned_if_all_low_effort += 1.0 - who.stay_if_low;
  }
  finish(base, p, out);
  return out;
}

ChurnProjection sampleChurn(const CustomerBase& base, std::span<const CaseSummary> cases,
                            const CustomerParams& p, Rng& rng) {
  ChurnProjection out;
  std::unordered_map<std::uint64_t, CustomerState> customers;
  const double leave_if_low = leaveProbability(CaseOutcome::ResolvedLowEffort, 0, p);
  for (const CaseSummary& c : cases) {
    checkCase(c);
    const double u_leave = rng.uniform();
    const double u_wom = rng.uniform();
    CustomerState& who = customers[c.customer];
    const CaseOutcome outcome = classifyCase(c, p);
    countOutcome(outcome, out);
    // The same uniform decides both worlds (common random numbers), so the difference
    // churned − churned_if_all_low_effort is estimated with little noise.
    if (!who.churned && u_leave < leaveProbability(outcome, who.bad_so_far, p)) {
      who.churned = true;
      out.churned += 1.0;
    }
    if (!who.churned_if_low && u_leave < leave_if_low) {
      who.churned_if_low = true;
      out.churned_if_all_low_effort += 1.0;
    }
    const bool bad = isBadExperience(c, p);
    (bad ? out.wom_negative_reach : out.wom_positive_reach) +=
        sampleGeometric(womMean(c, bad, p), u_wom);
    if (bad) ++who.bad_so_far;
  }
  checkBase(base, customers.size());
  finish(base, p, out);
  return out;
}

}  // namespace cx
