// Samplers for the random durations a scenario describes (handle time, patience, ...).
#pragma once

#include <memory>
#include <vector>

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace cx {

// A ready-to-draw form of a DistSpec: parameters converted once, so drawing is cheap.
class Sampler {
 public:
  Sampler() = default;
  explicit Sampler(const DistSpec& spec);

  double sample(Rng& rng) const {
    switch (kind_) {
      case DistSpec::Kind::Exponential:
        return rng.exponential(a_);
      case DistSpec::Kind::Lognormal:
        return std::exp(a_ + b_ * rng.normal());
      case DistSpec::Kind::Gamma:
        return rng.gamma(a_, b_);
      case DistSpec::Kind::Deterministic:
        return a_;
      case DistSpec::Kind::Empirical: {
        const auto& v = *values_;
        auto i = static_cast<std::size_t>(rng.uniform() * static_cast<double>(v.size()));
        return v[i < v.size() ? i : v.size() - 1];
      }
    }
    return a_;
  }
  double mean() const { return mean_; }

 private:
  DistSpec::Kind kind_ = DistSpec::Kind::Deterministic;
  double a_ = 0.0;  // exponential: mean; lognormal: mu; gamma: shape; deterministic: value
  double b_ = 0.0;  // lognormal: sigma; gamma: scale
  double mean_ = 0.0;
  std::shared_ptr<const std::vector<double>> values_;  // empirical
};

}  // namespace cx
