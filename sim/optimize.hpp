// Optimisation over a sweep: the point with the best objective (e.g. the fewest agents) among
// those that meet every constraint (e.g. service_level >= 0.8) with a required confidence.
// Each constraint's confidence is one-sided, from the point's replications (Student t); the
// confidence that a point meets all of them is the Bonferroni bound 1 − Σ(1 − cₖ), which holds
// whatever the correlation between the metrics.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "sim/stats.hpp"
#include "sim/sweep.hpp"

namespace cx {

struct Constraint {
  std::string text;  // as given: "service_level>=0.8"
  Metric metric;
  bool at_least = true;  // >= (else <=)
  double bound = 0.0;
};
// "METRIC>=X" or "METRIC<=X" (spaces allowed); throws std::invalid_argument naming the text.
Constraint parseConstraint(const std::string& text);

// What the scenario lacks for the metric to be defined, e.g. "an [outcomes] table" for csat
// (also nps, ces, churn ...), "a [costs] table" for cost_total; empty when the scenario models
// it. An objective or constraint on a metric the scenario does not model could only be NaN
// at every point, so optimize (and sweep's --frontier) refuse it up front.
std::string metricNeeds(const Scenario& scenario, Metric metric);

// One-sided confidence that the metric's true mean satisfies the constraint, from its
// estimate over replications: the Student-t CDF of (mean − bound) / standard error (sign
// flipped for <=). With no spread (a constant, e.g. agents on duty) it is 1 or 0; NaN when
// undefined (fewer than two values).
double constraintConfidence(const Estimate& estimate, const Constraint& constraint);

struct OptimizeResult {
  SweepResult sweep;
  Metric objective{};
  Better direction = Better::Lower;  // Lower: minimise
  std::vector<Constraint> constraints;
  double required = 0.95;
  std::vector<std::vector<double>> confidence;  // [point][constraint]
  std::vector<double> joint;                    // [point]: Bonferroni bound, NaN if undefined
  std::vector<bool> feasible;                   // [point]: joint >= required
  std::optional<std::size_t> best;              // among feasible, best objective mean
};

// Judges the points of a finished sweep. Ties on the objective go to the point with the
// higher joint confidence, then to the earlier point.
OptimizeResult optimizeSweep(SweepResult sweep, Metric objective, Better direction,
                             std::vector<Constraint> constraints, double required);

// {"objective": {metric, direction}, "constraints": [...], "confidence_required", "best":
//  {index, values, objective: {mean, ci95}, constraints: [{text, mean, ci95, confidence}],
//  joint_confidence} or null, "points": [{values, objective, confidence: [...], joint,
//  feasible}], "sweep": (as sweepJson)}.
nlohmann::ordered_json optimizeJson(const OptimizeResult& result);
std::string optimizeText(const OptimizeResult& result);

}  // namespace cx
