// Seeded random streams of the LUT-NN models: one seed gives independent, reproducible streams for the
// layer's structure, its calibration rows, its evaluation rows, its weights and each k-means codebook.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace npusim::lutnn {

// Stream ids: the structure of a synthetic distribution, its calibration and evaluation rows, the
// synthetic weights, and k-means (one stream per codebook from kPqStream on).
constexpr uint64_t kStructureStream = 1, kCalibrationStream = 2, kInputStream = 3, kWeightStream = 4;
constexpr uint64_t kPqStream = 1000;

inline std::mt19937_64 random_stream(uint64_t seed, uint64_t stream) {
  return std::mt19937_64(seed * 0x9E3779B97F4A7C15ULL + stream);  // golden-ratio spacing between seeds
}

// Uniform in [0, 1) from the top 53 bits: the same on every platform (std::uniform_real_distribution
// is not specified exactly).
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// N(0, 1) by Box-Muller, one value per two uniforms (no hidden state between calls).
inline double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]: the logarithm stays finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace npusim::lutnn
