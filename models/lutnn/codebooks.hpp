// LUT-NN codebooks (SPEC 2.7): each activation row of length D is cut into C = D / v sub-vectors of
// length v; codebook c holds K centroids of the sub-vector c, and a sub-vector is replaced by the index
// of its nearest centroid.
#pragma once

#include <cstdint>
#include <vector>

namespace npusim::lutnn {

constexpr int64_t kMinCentroids = 2;
constexpr int64_t kMaxCentroids = 256;  // a code is one byte
// Sub-vector lengths npusim's layers use by default (SPEC 2.7, the LUT-NN paper's choices).
constexpr int64_t kDefaultSubvectorFc = 32;
constexpr int64_t kDefaultSubvectorConv3x3 = 9;
constexpr int64_t kDefaultSubvectorConv1x1 = 4;
constexpr int64_t kDefaultCentroids = 16;
// Bounds on a layer the functional model accepts (a code per sub-vector and INT32 sums stay exact).
constexpr int64_t kMaxFeatures = int64_t{1} << 20;

// The shape of one LUT-NN layer: x [N, in_features] times W [in_features, out_features].
struct CodebookShape {
  int64_t in_features = 0;
  int64_t out_features = 0;
  int64_t subvector = kDefaultSubvectorFc;  // v
  int64_t centroids = kDefaultCentroids;    // K

  int64_t codebooks() const { return in_features / subvector; }  // C (validate() makes it exact)
  // Throws npusim::Error for v not dividing D, K outside 2..256, non-positive or oversized features.
  void validate() const;
};

struct Codebooks {
  CodebookShape shape;
  std::vector<float> centroids;  // [C][K][v]

  const float* centroid(int64_t codebook, int64_t k) const {
    return centroids.data() + (codebook * shape.centroids + k) * shape.subvector;
  }
  float* centroid(int64_t codebook, int64_t k) { return centroids.data() + (codebook * shape.centroids + k) * shape.subvector; }
};

}  // namespace npusim::lutnn
