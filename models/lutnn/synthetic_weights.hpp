// Synthetic weights for one LUT-NN layer, W [D, M]. Trained layers do not weigh all input directions
// alike: their singular values fall off (a heavy-tailed spectrum), which is what makes the output error
// of a quantized input differ from its input error. The synthetic layer has that shape:
//
//   W = G1 diag(s) G2 / norm,  G1 [D, R] and G2 [R, M] with N(0, 1) entries, R = min(D, M),
//   s_i = (i + 1)^-1/2,  norm such that ||W||_F^2 = M (unit output columns on average).
//
// Drawn from the seed's weight stream; use `--weights W.npy` for a real layer.
#pragma once

#include <cstdint>

#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

Matrix synthetic_weights(int64_t in_features, int64_t out_features, uint64_t seed);

}  // namespace npusim::lutnn
