// Encoding of activations into codes, in INT8 as the MAC array computes the distances (SPEC 2.7):
//
//   input scale   s_x = float32(max |x| over the calibration rows / 127), or 1 when all are zero
//                 (symmetric, per tensor: the scale the previous layer's INT8 output already has);
//   quantization  q(x) = clamp(rha(double(x) / double(s_x)), -127, 127), rha rounding half away from
//                 zero; centroids are quantized with the same s_x and rule (they live in x's space);
//   distance      d_k = sum_j (q(x_j) - q(c_kj))^2, exact in integers;
//   code          argmin_k d_k, the lowest k on a tie.
//
// The MAC array computes score_k = |q(c_k)|^2 - 2 q(x) . q(c_k) instead (N x D x K MACs plus a bias);
// d_k = |q(x)|^2 + score_k, so both give the same code.
#pragma once

#include <cstdint>
#include <vector>

#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

constexpr int kInt8Max = 127;  // symmetric grid [-127, 127]

// float32(max |x| / 127) over all values, or 1 when all are zero; NaN or infinity throws.
float symmetric_int8_scale(const float* values, size_t count);
float input_scale(const Matrix& calibration);

// clamp(rha(double(x) / double(scale)), -127, 127)
int8_t quantize_int8(float x, float scale);

// q(c) of every centroid, [C][K][v].
std::vector<int8_t> quantize_centroids(const Codebooks& codebooks, float scale);

// Codes of x's rows, [N][C] row-major, by the rule above.
std::vector<uint8_t> encode_int8(const Matrix& x, const Codebooks& codebooks, float scale);

}  // namespace npusim::lutnn
