// Cost model of a linear layer run as LUT-NN on this NPU (issue 12; plain class, no SystemC):
//
//   distances   on the MAC array: codebook c's sub-vectors [N, v] times its centroids [v, K], N x D x K
//               MACs. Weight-stationary folds as the MAU's (SCALE-Sim: 2R + C + N - 2 cycles each),
//               with codebooks packed block-diagonally: min(floor(R / v), floor(C_cols / K)) codebooks
//               share a fold; v > R or K > C_cols split into several folds. The MAU's compute
//               efficiency divides the fold cycles, as for dense GEMMs, so the two compare fairly.
//   argmin      on the vector path: per token, codebook and centroid one bias add (|c|^2, since the
//               array gives -2 x.c) and one compare: 2 N C K element operations over its lanes.
//   lookups     on the table-lookup lanes: N C M reads-and-adds into INT16 block accumulators plus one
//               INT16 -> INT32 add per output and 128-codebook block, over `lanes` lanes, plus the
//               pipeline latency once.
//   DRAM        tables C K M bytes, centroids C K v bytes (INT8) and column scales 4 M bytes in place of
//               the D M weight bytes. Codes (N C bytes) are computed for all rows first and stay in the
//               activation SRAM, so the tables stream once, in tiles of half the table SRAM
//               (double-buffered); codes that do not fit in half the activation SRAM split the rows into
//               passes, each streaming the tables again.
//
// A conv is its implicit GEMM per group (tokens = output pixels). C = ceil(D / v): a D that v does not
// divide gets a zero-padded last sub-vector.
#pragma once

#include <cstdint>

#include "hw/lutnn_config.hpp"
#include "models/lutnn/layer_costs.hpp"

namespace npusim::hw {

// What the cost model needs of the rest of the NPU (from MauConfig and SramConfig).
struct LutnnHostArray {
  int mac_rows = 0;                 // R: reduction rows of the weight-stationary array
  int mac_cols = 0;                 // output columns
  int vector_lanes = 0;
  double compute_efficiency = 1.0;  // fraction of the fold timing sustained (the MAU's calibration)
  int activation_sram_kib = 0;
};

// One matmul or conv, as a GEMM per group: [tokens, in_features] x [in_features, out_features].
struct LutnnLayerShape {
  int64_t tokens = 0;
  int64_t in_features = 0;   // per group
  int64_t out_features = 0;  // per group
  int64_t subvector = 0;     // v
  int64_t groups = 1;
};

struct LutnnCost {
  lutnn::LayerCosts counts;   // operations and bytes of all groups (FLOPs, table, centroid, weight bytes)
  int64_t distance_folds = 0;
  int64_t distance_cycles = 0;  // MAC array
  int64_t argmin_cycles = 0;    // vector path
  int64_t lookup_cycles = 0;    // table-lookup lanes
  int64_t table_tiles = 0;      // per pass, each at most half the table SRAM
  int64_t table_passes = 0;     // how often the tables stream (1 unless the codes do not fit)
  int64_t dram_bytes = 0;       // tables x passes + centroids + scales

  int64_t serial_cycles() const { return distance_cycles + argmin_cycles + lookup_cycles; }
  // The three units work on different row tiles at once: the slowest bounds the layer.
  int64_t overlapped_cycles() const;
};

class LutnnTiming {
 public:
  LutnnTiming(const LutnnUnitConfig& unit, const LutnnHostArray& host);

  // The shape of a `matmul` [rows, k] x [k, n] and of a `conv` (weights [c_out, c_in / groups, kh, kw],
  // output_pixels = h' w'), with v from the unit config.
  LutnnLayerShape matmul_shape(int64_t rows, int64_t k, int64_t n) const;
  LutnnLayerShape conv_shape(int64_t output_pixels, int64_t c_in_per_group, int64_t kh, int64_t kw, int64_t c_out,
                             int64_t groups) const;

  // Throws npusim::Error for non-positive dimensions.
  LutnnCost cost(const LutnnLayerShape& shape) const;

  // The layer's time when compute and the table stream overlap fully (double buffering):
  // max(overlapped cycles / clock, DRAM bytes / bandwidth). An estimate; the timed model refines it.
  static double overlapped_latency_ns(const LutnnCost& cost, double clock_ghz, double dram_bandwidth_gbps);

 private:
  LutnnUnitConfig unit_;
  LutnnHostArray host_;
};

}  // namespace npusim::hw
