// The dense INT8 reference a LUT-NN layer is compared with: what the MAC array computes today.
//
//   activations  per tensor, the encoder's rule (int8_encoding.hpp): q(x) at s_x;
//   weights      per output column: s_w[m] = float32(max_j |W[j][m]| / 127) (1 for an all-zero column),
//                q(w) = clamp(rha(double(w) / double(s_w[m])), -127, 127);
//   output       acc = sum_j q(x_j) q(w_jm), exact; y = float32(acc * double(s_x) * double(s_w[m])).
#pragma once

#include <vector>

#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

// s_w[m] of every output column of W [D, M].
std::vector<float> weight_column_scales(const Matrix& weights);

Matrix int8_matmul(const Matrix& x, const Matrix& weights, float input_scale);

}  // namespace npusim::lutnn
