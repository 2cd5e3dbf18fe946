// Small statistics helpers: Student-t quantiles and mean ± 95% CI over replications.
#pragma once

#include <cstddef>
#include <vector>

namespace cx {

// Regularised incomplete beta I_x(a, b) (continued fraction, Lentz's method).
double incompleteBeta(double a, double b, double x);
// CDF and quantile of Student's t with `df` degrees of freedom.
double studentTCdf(double t, double df);
double studentTQuantile(double p, double df);

// Mean and half-width of the 95% confidence interval (t-based) of independent values.
struct Estimate {
  double mean = 0.0;
  double ci95 = 0.0;  // half-width; NaN with fewer than two values
  int n = 0;          // values used (NaN values are skipped: e.g. ASA with no answers)
};
Estimate estimate(const std::vector<double>& values);

}  // namespace cx
