// I-BERT's integer-only kernels (Kim et al., ICML 2021), written from SPEC 2.6's description:
// a second-order polynomial exp on (-ln 2, 0] with shifts for the rest, a polynomial erf for GELU,
// softmax normalised by an integer reciprocal, and LayerNorm with an integer Newton square root.
// Inputs are integers q with a real scale S (x = q S); intermediate products use 64 bits.
#pragma once

#include <cstdint>
#include <vector>

#include "models/integer_arithmetic.hpp"

namespace npusim::ibert {

constexpr double kExpX0 = -0.6931;      // -ln 2
constexpr int kExpN = 30;
constexpr double kExpA = 0.35815147, kExpB = 0.96963238, kExpC = 1.0;  // a x^2 + b x + c
constexpr double kErfK = 1.4142, kErfA = -0.2888, kErfB = -1.769, kErfC = 1.0;
constexpr int kErfN = 14;

// exp(x) for x = q S <= 0.
ScaledInts exp(const std::vector<int64_t>& q, double scale);

// GELU(x) = x (1 + erf(x / sqrt 2)) / 2.
ScaledInts gelu(const std::vector<int64_t>& q, double scale);

// Softmax of one row; outputs with `output_bits` of fraction (scale 2^-output_bits).
ScaledInts softmax(const std::vector<int64_t>& row, double scale, int output_bits = 8);

// floor(sqrt(n)) by Newton: start 2^ceil(bits(n) / 2), x <- floor((x + floor(n / x)) / 2) while it decreases.
int64_t isqrt(int64_t n);

// (x - mean) / std of one row, before gamma and beta; with `subtract_mean` false it is RMSNorm's x / rms.
ScaledInts layernorm(const std::vector<int64_t>& row, bool subtract_mean = true);

}  // namespace npusim::ibert
