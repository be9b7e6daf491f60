// SyntheticRng: the seeded random source of the demo-data generator, identical on every platform.
//
// Layer: residents domain. std::mt19937_64 is fully specified by the standard, but the
// std::*_distribution algorithms are not (libstdc++ and libc++ give different numbers), so the
// bounded draws are written here. Same seed -> same people, on any compiler.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string_view>

namespace gz::residents {

class SyntheticRng {
 public:
  explicit SyntheticRng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }

  // Uniform integer in [lo, hi] (rejection sampling, no modulo bias). REQUIRES: lo <= hi.
  int Uniform(int lo, int hi) {
    const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t x;
    do x = engine_(); while (x >= limit);
    return lo + static_cast<int>(x % range);
  }

  // True with probability p (53-bit resolution).
  bool Chance(double p) { return static_cast<double>(engine_() >> 11) * 0x1.0p-53 < p; }

  // An index drawn with probability proportional to weights[i]. REQUIRES: a positive sum.
  size_t Weighted(std::span<const int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = Uniform(0, total - 1);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<size_t>(Uniform(0, static_cast<int>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

// The seed of one village: FNV-1a of its code, mixed with `salt` (splitmix64 finalizer).
inline uint64_t VillageSeed(std::string_view village_code, uint64_t salt) {
  uint64_t h = 14695981039346656037ull;
  for (char c : village_code) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  uint64_t z = h + salt * 0x9e3779b97f4a7c15ull + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace gz::residents
