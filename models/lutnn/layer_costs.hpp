// Operations and bytes of one linear layer x [N, D] W [D, M], dense and as LUT-NN, by SPEC 2.7's
// counts (a multiply-add is two operations):
//
//   dense         2 N D M
//   distances     2 N C v K   (SPEC: nc * n * v * 16 * 2)      on the MAC array
//   argmin        N C K       (SPEC: nc * n * 16)              on the vector path
//   lookups       N C M       (SPEC: nc * n * out), one table read and add each
//   table bytes   C K M (INT8 entries)   table scale bytes 4 M (float32 per output column)
//   centroid bytes C K v (INT8)          weight bytes D M (the INT8 weights a dense layer streams)
//
// C = ceil(D / v): where v does not divide D (only the timed model allows that) the last sub-vector is
// zero-padded and costs as a full one.
#pragma once

#include <cstdint>

namespace npusim::lutnn {

struct LayerCosts {
  int64_t codebooks = 0;
  int64_t dense_ops = 0;
  int64_t distance_ops = 0;
  int64_t argmin_ops = 0;
  int64_t lookup_ops = 0;
  int64_t table_bytes = 0;
  int64_t table_scale_bytes = 0;
  int64_t centroid_bytes = 0;
  int64_t weight_bytes = 0;

  int64_t lutnn_ops() const { return distance_ops + argmin_ops + lookup_ops; }
  double ops_reduction() const { return lutnn_ops() > 0 ? static_cast<double>(dense_ops) / static_cast<double>(lutnn_ops()) : 0.0; }
};

// Throws npusim::Error for a non-positive dimension or counts beyond int64.
LayerCosts layer_costs(int64_t tokens, int64_t in_features, int64_t out_features, int64_t subvector, int64_t centroids);

}  // namespace npusim::lutnn
