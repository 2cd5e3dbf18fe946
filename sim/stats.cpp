#include "sim/stats.hpp"

#include <cmath>
#include <limits>

namespace cx {

namespace {
double betaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-15;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) break;
  }
  return h;
}
}  // namespace

double incompleteBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0))
    return std::exp(log_front) * betaContinuedFraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double studentTCdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * incompleteBeta(0.5 * df, 0.5, x);
  return t >= 0 ? 1.0 - tail : tail;
}

double studentTQuantile(double p, double df) {
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  if (p >= 1.0) return std::numeric_limits<double>::infinity();
  if (p < 0.5) return -studentTQuantile(1.0 - p, df);
  // Bisection on a bracket that doubles until it holds the quantile: slow but exact enough,
  // and only called once per summary.
  double lo = 0.0, hi = 1.0;
  while (studentTCdf(hi, df) < p) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (studentTCdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  double mean = 0.0, m2 = 0.0;
  for (double v : values) {  // Welford
    if (!std::isfinite(v)) continue;
    ++e.n;
    const double delta = v - mean;
    mean += delta / e.n;
    m2 += delta * (v - mean);
  }
  e.mean = e.n > 0 ? mean : std::numeric_limits<double>::quiet_NaN();
  if (e.n >= 2) {
    const double sd = std::sqrt(m2 / (e.n - 1));
    e.ci95 = studentTQuantile(0.975, e.n - 1) * sd / std::sqrt(static_cast<double>(e.n));
  } else {
    e.ci95 = std::numeric_limits<double>::quiet_NaN();
  }
  return e;
}

}  // namespace cx
