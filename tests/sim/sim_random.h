// Rng: the simulator's source of randomness — a seeded, portable generator (splitmix64 to derive
// streams, mt19937_64 to draw), with the few draws the simulator needs written out here rather
// than taken from <random>'s distributions, whose results the standard leaves to each library.
// The same seed therefore gives the same run on every platform.
//
// Ownership: a plain value. Thread safety: one thread at a time. Failure: never fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace wq::sim {

// A well-mixed 64-bit value of `x` (splitmix64's finaliser): derives independent stream seeds.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  // One stream of the run `seed`; different `stream` values give unrelated sequences.
  Rng(std::uint64_t seed, std::uint64_t stream) : engine_(mix(mix(seed) ^ stream)) {}

  std::uint64_t next() { return engine_(); }

  // True with probability `p`.
  bool chance(double p) { return static_cast<double>(engine_() >> 11) * 0x1.0p-53 < p; }

  // Uniform in [low, high] (high >= low).
  std::int64_t between(std::int64_t low, std::int64_t high) {
    const auto span = static_cast<std::uint64_t>(high - low) + 1;
    return low + static_cast<std::int64_t>(engine_() % span);
  }

  // Uniform in [low, high).
  double real(double low, double high) {
    return low + (high - low) * (static_cast<double>(engine_() >> 11) * 0x1.0p-53);
  }

  // Uniform index into a container of `size` elements (size > 0).
  std::size_t index(std::size_t size) { return static_cast<std::size_t>(engine_() % size); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace wq::sim
