#include "models/lutnn/layer_costs.hpp"

#include <string>

#include "common/error.hpp"

namespace npusim::lutnn {

namespace {

int64_t checked_product(std::initializer_list<int64_t> factors) {
  __int128 p = 1;
  for (const int64_t f : factors) {
    p *= f;
    if (p > INT64_MAX) throw Error("LUT-NN cost counts overflow 64 bits");
  }
  return static_cast<int64_t>(p);
}

}  // namespace

LayerCosts layer_costs(int64_t tokens, int64_t in_features, int64_t out_features, int64_t subvector, int64_t centroids) {
  if (tokens < 1 || in_features < 1 || out_features < 1 || subvector < 1 || centroids < 1) {
    throw Error("LUT-NN costs need positive tokens, features, sub-vector length and centroids");
  }
  LayerCosts c;
  c.codebooks = (in_features + subvector - 1) / subvector;
  c.dense_ops = checked_product({2, tokens, in_features, out_features});
  c.distance_ops = checked_product({2, tokens, c.codebooks, subvector, centroids});
  c.argmin_ops = checked_product({tokens, c.codebooks, centroids});
  c.lookup_ops = checked_product({tokens, c.codebooks, out_features});
  c.table_bytes = checked_product({c.codebooks, centroids, out_features});
  c.table_scale_bytes = checked_product({4, out_features});
  c.centroid_bytes = checked_product({c.codebooks, centroids, subvector});
  c.weight_bytes = checked_product({in_features, out_features});
  return c;
}

}  // namespace npusim::lutnn
