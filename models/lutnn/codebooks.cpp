#include "models/lutnn/codebooks.hpp"

#include <string>

#include "common/error.hpp"

namespace npusim::lutnn {

void CodebookShape::validate() const {
  if (in_features < 1 || in_features > kMaxFeatures) {
    throw Error("in_features must be in 1.." + std::to_string(kMaxFeatures) + ", got " + std::to_string(in_features));
  }
  if (out_features < 1 || out_features > kMaxFeatures) {
    throw Error("out_features must be in 1.." + std::to_string(kMaxFeatures) + ", got " + std::to_string(out_features));
  }
  if (subvector < 1 || in_features % subvector != 0) {
    throw Error("sub-vector length " + std::to_string(subvector) + " does not divide in_features " + std::to_string(in_features));
  }
  if (centroids < kMinCentroids || centroids > kMaxCentroids) {
    throw Error("centroids per codebook must be in " + std::to_string(kMinCentroids) + ".." + std::to_string(kMaxCentroids) +
                ", got " + std::to_string(centroids));
  }
}

}  // namespace npusim::lutnn
