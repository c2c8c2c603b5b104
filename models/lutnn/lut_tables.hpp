// LUT-NN tables (SPEC 2.7): T[c][k] = centroid_k(c) . W(c), the partial output of codebook c when its
// sub-vector is replaced by centroid k, where W(c) are the v rows of W that sub-vector c multiplies.
// Stored as INT8 with one scale per output column:
//
//   T[c][k][m] = sum_{j=0..v-1} double(c_kj) * double(W[c v + j][m]), summed in that order in double;
//   s_m        = float32(max_{c,k} |T[c][k][m]| / 127), or 1 when the column is all zero;
//   entry      = clamp(rha(T[c][k][m] / double(s_m)), -127, 127).
//
// The grid is symmetric ([-127, 127]; -128 is never produced), which is what bounds the INT16 block sums
// (lookup_accumulate.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

struct LutTables {
  int64_t codebooks = 0;     // C
  int64_t centroids = 0;     // K
  int64_t out_features = 0;  // M
  std::vector<int8_t> entries;       // [C][K][M]
  std::vector<float> column_scale;   // [M]

  int8_t entry(int64_t c, int64_t k, int64_t m) const {
    return entries[static_cast<size_t>((c * centroids + k) * out_features + m)];
  }
  const int8_t* row(int64_t c, int64_t k) const { return entries.data() + (c * centroids + k) * out_features; }
};

// The float tables T, [C][K][M] in double, by the summation rule above. `weights` is [D, M].
std::vector<double> float_tables(const Codebooks& codebooks, const Matrix& weights);

LutTables build_int8_tables(const Codebooks& codebooks, const Matrix& weights);

}  // namespace npusim::lutnn
