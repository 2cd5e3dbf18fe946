// Random streams (DESIGN.md §4): every stream is derived from (seed, replication, purpose),
// never from a global generator, so results do not depend on thread count or on which other
// streams exist (adding a channel leaves the other channels' numbers unchanged — the basis of
// common random numbers).
//
// Generator: xoshiro256++ (Blackman & Vigna 2019), seeded through SplitMix64. All variates
// are produced by our own code (not <random> distributions, whose algorithms differ between
// standard libraries) so a seed gives the same numbers bit for bit everywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace cx {

constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// FNV-1a, 64 bit: a stable hash of a purpose name such as "arrivals/phone".
constexpr std::uint64_t hashName(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

class Rng {
 public:
  // The stream for one purpose (e.g. "handle/phone") of one replication of one seed.
  Rng(std::uint64_t seed, std::uint64_t replication, std::string_view purpose) {
    std::uint64_t mix = seed;
    std::uint64_t key = splitmix64(mix);
    mix = key ^ replication;
    key = splitmix64(mix);
    mix = key ^ hashName(purpose);
    for (auto& word : s_) word = splitmix64(mix);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1): never 0, so log() is always finite.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log(uniform()); }

  // Standard normal (Marsaglia polar method; the spare value is kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  // Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 through the boost
  // Gamma(shape + 1) * U^(1/shape).
  double gamma(double shape, double scale) {
    if (shape < 1.0) return gamma(shape + 1.0, scale) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v * scale;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v * scale;
    }
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace cx
