#include "sim/distributions.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cx {

Sampler::Sampler(const DistSpec& spec) : kind_(spec.kind), mean_(spec.mean_s) {
  switch (spec.kind) {
    case DistSpec::Kind::Exponential:
      a_ = spec.mean_s;
      break;
    case DistSpec::Kind::Lognormal: {
      // mean m, cv c: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2.
      const double s2 = std::log1p(spec.cv * spec.cv);
      a_ = std::log(spec.mean_s) - 0.5 * s2;
      b_ = std::sqrt(s2);
      break;
    }
    case DistSpec::Kind::Gamma:
      // mean m, cv c: shape k = 1 / c^2, scale = m / k.
      a_ = 1.0 / (spec.cv * spec.cv);
      b_ = spec.mean_s / a_;
      break;
    case DistSpec::Kind::Deterministic:
      a_ = spec.mean_s;
      break;
    case DistSpec::Kind::Empirical:
      if (spec.values_s.empty())
        throw std::invalid_argument("empirical distribution with no values");
      values_ = std::make_shared<const std::vector<double>>(spec.values_s);
      mean_ = std::accumulate(spec.values_s.begin(), spec.values_s.end(), 0.0) /
              static_cast<double>(spec.values_s.size());
      break;
  }
}

}  // namespace cx
