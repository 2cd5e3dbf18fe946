#include "sim/optimize.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace cx {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

nlohmann::ordered_json jsonNumber(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

const Estimate& estimateOf(const SweepPoint& p, Metric m) {
  return p.overall[static_cast<std::size_t>(m)];
}

// Confidences near 1 are not rounded up to a certainty they are not.
std::string percent(double x) {
  if (!std::isfinite(x)) return "-";
  if (x > 0.999 && x < 1.0) return ">99.9%";
  return fmt::format("{:.1f}%", 100.0 * x);
}

// A mean's half-width, with the rounding noise of a constant (agents on duty) shown as 0.
double halfWidth(const Estimate& e) {
  if (!std::isfinite(e.ci95) || e.ci95 <= 1e-9 * std::fabs(e.mean)) return 0.0;
  return e.ci95;
}

nlohmann::ordered_json valuesJson(const SweepResult& sweep, const SweepPoint& p) {
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < sweep.keys.size(); ++k) {
    const std::string& text = p.values[k];
    long long i = 0;
    double d = 0.0;
    const char* end = text.data() + text.size();
    if (auto [q, e] = std::from_chars(text.data(), end, i); e == std::errc() && q == end)
      values[sweep.keys[k]] = i;
    else if (auto [q2, e2] = std::from_chars(text.data(), end, d); e2 == std::errc() && q2 == end)
      values[sweep.keys[k]] = d;
    else
      values[sweep.keys[k]] = text;
  }
  return values;
}

}  // namespace

Constraint parseConstraint(const std::string& text) {
  Constraint c;
  c.text = text;
  std::size_t op = text.find(">=");
  c.at_least = true;
  if (op == std::string::npos) {
    op = text.find("<=");
    c.at_least = false;
  }
  if (op == std::string::npos)
    throw std::invalid_argument(fmt::format(
        "--subject-to {}: expected METRIC>=VALUE or METRIC<=VALUE, e.g. service_level>=0.8", text));
  const std::string name = trimmed(std::string_view(text).substr(0, op));
  const std::string value = trimmed(std::string_view(text).substr(op + 2));
  if (!metricByName(name, c.metric)) {
    std::string names;
    for (const MetricInfo& m : allMetrics())
      names += (names.empty() ? "" : ", ") + std::string(m.name);
    throw std::invalid_argument(
        fmt::format("--subject-to {}: no metric '{}' (metrics: {})", text, name, names));
  }
  const char* end = value.data() + value.size();
  const auto [ptr, err] = std::from_chars(value.data(), end, c.bound);
  if (value.empty() || err != std::errc() || ptr != end || !std::isfinite(c.bound))
    throw std::invalid_argument(fmt::format(
        "--subject-to {}: expected a number after the operator, got \"{}\"", text, value));
  return c;
}

std::string metricNeeds(const Scenario& s, Metric metric) {
  switch (metric) {
    case Metric::Deflected:
    case Metric::BotContainment:
    case Metric::BotGaveUp:
      if (!s.bot || s.bot->channels.empty()) return "a [bot] table (the AI assistant)";
      return {};
    case Metric::Fcr:
      if (s.intents.empty()) return "[[intents]] (contact reasons, each with its fcr)";
      return {};
    case Metric::ContactsPerCase:
    case Metric::CaseResolution:
    case Metric::ResolutionTimeS:
      if (!s.journeys) return "a [journeys] table (customers who come back)";
      return {};
    case Metric::CostTotal:
    case Metric::CostPerContact:
    case Metric::CostPerResolved:
      if (!s.costs) return "a [costs] table";
      return {};
    case Metric::Csat:
    case Metric::CsatService:
    case Metric::CsatCare:
    case Metric::Nps:
    case Metric::Ces:
    case Metric::SurveyResponses:
    case Metric::CsatMargin:
    case Metric::Churned:
    case Metric::ChurnRate:
    case Metric::RevenueAtRisk:
    case Metric::WomNegative:
      if (!s.outcomes) return "an [outcomes] table";
      return {};
    case Metric::FrtS:
    case Metric::OpenAtEnd:
      for (const ChannelSpec& c : s.channels)
        if (c.asynchronous()) return {};
      return "an email or messaging channel";
    case Metric::SilentAbandoned:
      for (const ChannelSpec& c : s.channels)
        if (c.silent_abandon > 0.0) return {};
      return "a channel with silent_abandon";
    default:
      return {};
  }
}

double constraintConfidence(const Estimate& e, const Constraint& c) {
  if (e.n < 2 || !std::isfinite(e.mean) || !std::isfinite(e.ci95)) return kNaN;
  const double margin = c.at_least ? e.mean - c.bound : c.bound - e.mean;
  if (e.ci95 == 0.0) return margin >= 0.0 ? 1.0 : 0.0;
  const double df = e.n - 1;
  const double se = e.ci95 / studentTQuantile(0.975, df);
  return studentTCdf(margin / se, df);
}

OptimizeResult optimizeSweep(SweepResult sweep, Metric objective, Better direction,
                             std::vector<Constraint> constraints, double required) {
  OptimizeResult r;
  r.objective = objective;
  r.direction = direction;
  r.constraints = std::move(constraints);
  r.required = required;
  r.sweep = std::move(sweep);
  const std::size_t n = r.sweep.points.size();
  r.confidence.resize(n);
  r.joint.assign(n, kNaN);
  r.feasible.assign(n, false);
  auto better = [&](std::size_t p, std::size_t q) {  // is p strictly preferable to q?
    const double a = estimateOf(r.sweep.points[p], objective).mean;
    const double b = estimateOf(r.sweep.points[q], objective).mean;
    if (a != b) return direction == Better::Lower ? a < b : a > b;
    return r.joint[p] > r.joint[q];
  };
  for (std::size_t p = 0; p < n; ++p) {
    double missing = 0.0;  // Σ(1 − cₖ)
    bool defined = true;
    for (const Constraint& c : r.constraints) {
      const double conf = constraintConfidence(estimateOf(r.sweep.points[p], c.metric), c);
      r.confidence[p].push_back(conf);
      defined = defined && std::isfinite(conf);
      missing += 1.0 - conf;
    }
    if (!defined) continue;
    r.joint[p] = std::max(0.0, 1.0 - missing);
    r.feasible[p] =
        r.joint[p] >= required && std::isfinite(estimateOf(r.sweep.points[p], objective).mean);
    if (r.feasible[p] && (!r.best || better(p, *r.best))) r.best = p;
  }
  return r;
}

nlohmann::ordered_json optimizeJson(const OptimizeResult& r) {
  nlohmann::ordered_json j;
  j["objective"] = {{"metric", metricInfo(r.objective).name},
                    {"direction", r.direction == Better::Lower ? "minimize" : "maximize"}};
  nlohmann::ordered_json constraints = nlohmann::ordered_json::array();
  for (const Constraint& c : r.constraints) constraints.push_back(c.text);
  j["constraints"] = std::move(constraints);
  j["confidence_required"] = r.required;
  auto estimate = [](const Estimate& e) {
    return nlohmann::ordered_json{{"mean", jsonNumber(e.mean)}, {"ci95", jsonNumber(e.ci95)}};
  };
  if (r.best) {
    const SweepPoint& p = r.sweep.points[*r.best];
    nlohmann::ordered_json best;
    best["index"] = *r.best;
    best["values"] = valuesJson(r.sweep, p);
    best["objective"] = estimate(estimateOf(p, r.objective));
    nlohmann::ordered_json cs = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < r.constraints.size(); ++k) {
      const Estimate& e = estimateOf(p, r.constraints[k].metric);
      cs.push_back({{"text", r.constraints[k].text},
                    {"mean", jsonNumber(e.mean)},
                    {"ci95", jsonNumber(e.ci95)},
                    {"confidence", jsonNumber(r.confidence[*r.best][k])}});
    }
    best["constraints"] = std::move(cs);
    best["joint_confidence"] = jsonNumber(r.joint[*r.best]);
    j["best"] = std::move(best);
  } else {
    j["best"] = nullptr;
  }
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < r.sweep.points.size(); ++p) {
    nlohmann::ordered_json row;
    row["values"] = valuesJson(r.sweep, r.sweep.points[p]);
    row["objective"] = estimate(estimateOf(r.sweep.points[p], r.objective));
    nlohmann::ordered_json conf = nlohmann::ordered_json::array();
    for (double c : r.confidence[p]) conf.push_back(jsonNumber(c));
    row["confidence"] = std::move(conf);
    row["joint"] = jsonNumber(r.joint[p]);
    row["feasible"] = static_cast<bool>(r.feasible[p]);
    points.push_back(std::move(row));
  }
  j["points"] = std::move(points);
  j["sweep"] = sweepJson(r.sweep);
  return j;
}

std::string optimizeText(const OptimizeResult& r) {
  const MetricInfo& objective = metricInfo(r.objective);
  std::string out =
      fmt::format("{}: {} {} subject to", r.sweep.file.string(),
                  r.direction == Better::Lower ? "minimize" : "maximize", objective.name);
  for (std::size_t k = 0; k < r.constraints.size(); ++k)
    out += (k ? ", " : " ") + r.constraints[k].text;
  out += fmt::format(
      "\n{} points · {} replications each · seed {} · feasible = all constraints met with "
      "confidence ≥ {}\n\n",
      r.sweep.points.size(), r.sweep.replications, r.sweep.seed, percent(r.required));
  if (r.sweep.cancelled)
    out.insert(out.size() - 1, "stopped early: only the completed points are judged\n");
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < r.sweep.keys.size(); ++k) {
    std::size_t w = r.sweep.keys[k].size();
    for (const SweepPoint& p : r.sweep.points) w = std::max(w, p.values[k].size());
    widths.push_back(w + 2);
    out += fmt::format("{:<{}}", r.sweep.keys[k], w + 2);
  }
  out += fmt::format("{:>20}", objective.name);
  for (const Constraint& c : r.constraints)
    out += fmt::format("{:>{}}", c.text, std::max<std::size_t>(c.text.size() + 2, 24));
  out += fmt::format("{:>10}\n", "joint");
  for (std::size_t p = 0; p < r.sweep.points.size(); ++p) {
    const SweepPoint& pt = r.sweep.points[p];
    for (std::size_t k = 0; k < pt.values.size(); ++k)
      out += fmt::format("{:<{}}", pt.values[k], widths[k]);
    const Estimate& o = estimateOf(pt, r.objective);
    out += fmt::format("{:>20}", fmt::format("{:.4g} ±{:.2g}", o.mean, halfWidth(o)));
    for (std::size_t k = 0; k < r.constraints.size(); ++k) {
      const Estimate& e = estimateOf(pt, r.constraints[k].metric);
      out += fmt::format("{:>{}}", fmt::format("{:.4g} ({})", e.mean, percent(r.confidence[p][k])),
                         std::max<std::size_t>(r.constraints[k].text.size() + 2, 24));
    }
    out += fmt::format("{:>10}", percent(r.joint[p]));
    out += r.best && *r.best == p ? "  <- best" : (r.feasible[p] ? "  feasible" : "");
    out += "\n";
  }
  out += "\n";
  if (!r.best) {
    out +=
        fmt::format("No point meets every constraint with confidence ≥ {}.\n", percent(r.required));
    return out;
  }
  const SweepPoint& b = r.sweep.points[*r.best];
  std::string at;
  for (std::size_t k = 0; k < r.sweep.keys.size(); ++k)
    at += fmt::format("{}{}={}", k ? " " : "", r.sweep.keys[k], b.values[k]);
  const Estimate& o = estimateOf(b, r.objective);
  out += fmt::format("Best: {}\n  {} {:.6g} ± {:.3g}\n", at, objective.name, o.mean, halfWidth(o));
  for (std::size_t k = 0; k < r.constraints.size(); ++k) {
    const Estimate& e = estimateOf(b, r.constraints[k].metric);
    out += fmt::format("  {} {:.6g} ± {:.3g}: {} met with confidence {}\n",
                       metricInfo(r.constraints[k].metric).name, e.mean, halfWidth(e),
                       r.constraints[k].text, percent(r.confidence[*r.best][k]));
  }
  out += fmt::format("  all constraints together: confidence {} (Bonferroni bound)\n",
                     percent(r.joint[*r.best]));
  return out;
}

}  // namespace cx
