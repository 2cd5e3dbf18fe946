#include "sim/journey_chain.hpp"

#include <limits>
#include <stdexcept>

namespace cx {

namespace {

Eigen::Index channelIndex(const Scenario& s, const std::string& id) {
  for (std::size_t c = 0; c < s.channels.size(); ++c)
    if (s.channels[c].id == id) return static_cast<Eigen::Index>(c);
  throw std::invalid_argument("journeys.switch: no channel with id \"" + id + "\"");
}

// Fresh contacts of a channel over one day (or cycle) of its rates, × its mean day factor over
// the simulated days (over the factors' cycle for the continuous form).
double freshVolume(const Scenario& s, const ChannelSpec& ch) {
  double per_day = 0.0;
  for (int t = 0; t < s.intervalsPerDay(); ++t) per_day += ch.arrivals.perHourAt(t);
  const auto& f = ch.arrivals.day_factors;
  double factor = 1.0;
  if (!f.empty()) {
    const std::size_t days = s.days > 0 ? static_cast<std::size_t>(s.days) : f.size();
    double sum = 0.0;
    for (std::size_t d = 0; d < days; ++d) sum += f[d % f.size()];
    factor = sum / static_cast<double>(days);
  }
  return per_day * s.interval_minutes / 60.0 * factor;
}

}  // namespace

Eigen::MatrixXd switchMatrix(const Scenario& scenario) {
  const auto n = static_cast<Eigen::Index>(scenario.channels.size());
  Eigen::MatrixXd p = Eigen::MatrixXd::Identity(n, n);
  if (!scenario.journeys) return p;
  for (const auto& [from, row] : scenario.journeys->switch_rows) {
    const Eigen::Index c = channelIndex(scenario, from);
    p.row(c).setZero();
    for (const auto& [to, q] : row) p(c, channelIndex(scenario, to)) += q;
    // As the engine draws: in proportion to the row (validation keeps its sum at 1 ± 1e-6).
    const double sum = p.row(c).sum();
    if (sum > 0.0)
      p.row(c) /= sum;
    else
      p(c, c) = 1.0;
  }
  return p;
}

JourneyChain journeyChain(const Scenario& scenario) {
  if (!scenario.journeys)
    throw std::invalid_argument("journeyChain: the scenario has no [journeys]");
  const JourneySpec& j = *scenario.journeys;
  const Eigen::MatrixXd p = switchMatrix(scenario);
  const auto n = p.rows();
  JourneyChain out;
  out.contacts = Eigen::MatrixXd::Zero(n, n);
  out.resolved = Eigen::VectorXd::Zero(n);
  out.fresh = Eigen::VectorXd::Zero(n);
  out.returns = Eigen::VectorXd::Zero(n);
  const double repeat = j.shared_context ? 1.0 : j.repeat_fcr_factor;
  for (Eigen::Index i = 0; i < n; ++i) {
    const ChannelSpec& ch = scenario.channels[static_cast<std::size_t>(i)];
    out.channels.push_back(ch.id);
    double total = 0.0;
    for (const IntentSpec& in : scenario.intents) total += in.shareOf(ch.id);
    if (total <= 0.0) {  // no reasons: an answered contact solves the problem
      out.contacts(i, i) = 1.0;
      out.resolved(i) = 1.0;
      continue;
    }
    for (const IntentSpec& in : scenario.intents) {
      const double weight = in.shareOf(ch.id) / total;
      if (weight <= 0.0) continue;
      // P(the case's m-th contact is on each channel), split by whether the agent knows the
      // story (`known`: the first contact, and kept promises — the agent who promised calls
      // back on the same channel) or hears it again (`retold`: returns and chases, which go
      // through the switch matrix and, without the shared history, resolve at fcr × repeat).
      Eigen::RowVectorXd known = Eigen::RowVectorXd::Zero(n), retold = known;
      known(i) = 1.0;
      const double f_known = in.fcr, f_retold = in.fcr * repeat;
      for (int m = 1; m <= j.max_contacts; ++m) {
        out.contacts.row(i) += weight * (known + retold);
        out.resolved(i) += weight * (known.sum() * f_known + retold.sum() * f_retold);
        const Eigen::RowVectorXd unsolved = known * (1.0 - f_known) + retold * (1.0 - f_retold);
        known = unsolved * (j.promise_follow_up * (1.0 - j.broken_promise));
        retold = (unsolved * p) * (j.promise_follow_up * j.broken_promise +
                                   (1.0 - j.promise_follow_up) * j.retry_unresolved);
      }
    }
  }
  Eigen::VectorXd volume(n);
  for (Eigen::Index i = 0; i < n; ++i)
    volume(i) = freshVolume(scenario, scenario.channels[static_cast<std::size_t>(i)]);
  const double all = volume.sum();
  if (all > 0.0) out.fresh = volume / all;
  const Eigen::RowVectorXd on = volume.transpose() * out.contacts;  // contacts on each channel
  for (Eigen::Index c = 0; c < n; ++c)
    out.returns(c) = volume(c) > 0.0 ? (on(c) - volume(c)) / volume(c)
                                     : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace cx
