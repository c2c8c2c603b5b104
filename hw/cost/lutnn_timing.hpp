// Cost model of a linear layer run as LUT-NN on this NPU (issue 12; plain class, no SystemC):
//
//   distances   on the MAC array: codebook c's sub-vectors [N, v] times its centroids [v, K], N x D x K
//               MACs, as one GEMM through MauTiming (its dataflow, fold timing, INT16 input passes,
//               preload and im2col of k x k convolutions): p = min(floor(R / v), floor(C_cols / K), C)
//               codebooks share a fold block-diagonally, so the GEMM is [N, p v] x [p v, p K] batched
//               ceil(C / p) times (p = 1 when v > R or K > C_cols: the GEMM folds them itself).
//   argmin      on the vector path: per token, codebook and centroid one bias add (|c|^2, since the
//               array gives -2 x.c) and one compare: 2 N C K element operations over its lanes.
//   lookups     on the table-lookup lanes: N C M reads-and-adds into INT16 block accumulators plus one
//               INT16 -> INT32 add per output and 128-codebook block, over `lanes` lanes, plus the
//               pipeline latency once.
//   requant     on the vector path: every output scaled back to INT8, as after a dense GEMM.
//   DRAM        tables C K M bytes, centroids C K v bytes (INT8) and column scales 4 M bytes in place of
//               the D M weight bytes. The codes of all rows (N C bytes) are computed first and stay in
//               half the activation SRAM, so the tables stream once, in column tiles that fit the table
//               buffer (half of it when double-buffered) and whose INT32 sums fit the accumulator SRAM;
//               codes that do not fit split the rows into passes, each streaming the tables again.
//
// A conv is its implicit GEMM per group (tokens = output pixels). C = ceil(D / v): a D that v does not
// divide gets a zero-padded last sub-vector.
#pragma once

#include <cstdint>

#include "hw/config/hw_config.hpp"
#include "hw/config/lutnn_config.hpp"
#include "models/lutnn/layer_costs.hpp"

namespace npusim::hw {

// One matmul or conv, as a GEMM per group: [tokens, in_features] x [in_features, out_features].
struct LutnnLayerShape {
  int64_t tokens = 0;
  int64_t in_features = 0;   // per group
  int64_t out_features = 0;  // per group
  int64_t subvector = 0;     // v
  int64_t groups = 1;
  bool input_int16 = false;  // INT16 activations: the distance GEMM takes two passes per input
  int64_t im2col_elements = 0;  // expanded input elements of a k x k convolution (0 otherwise)
};

struct LutnnCost {
  lutnn::LayerCosts counts;     // operations and bytes of all groups (FLOPs, table, centroid, weight bytes)
  int64_t distance_folds = 0;
  int64_t distance_cycles = 0;  // MAC array (im2col included, as MauTiming counts it)
  int64_t argmin_cycles = 0;    // vector path
  int64_t lookup_cycles = 0;    // table-lookup lanes
  int64_t requant_cycles = 0;   // vector path
  int64_t table_tiles = 0;      // per pass
  int64_t table_passes = 0;     // how often the tables stream (1 unless the codes do not fit)
  int64_t table_dram_bytes = 0; // tables x passes + centroids + scales

  // One unit after another.
  int64_t serial_cycles() const { return distance_cycles + argmin_cycles + lookup_cycles + requant_cycles; }
  // The units working on different row and column tiles at once: the busiest bounds the layer.
  int64_t overlapped_cycles() const;
};

class LutnnTiming {
 public:
  // Reads the MAU, the SRAM sizes, double buffering and the clock from `config`. Throws npusim::Error
  // for a unit config out of range.
  LutnnTiming(const LutnnUnitConfig& unit, const HwConfig& config);

  // The shape of a `matmul` [rows, k] x [k, n] and of a `conv` (weights [c_out, c_in / groups, kh, kw],
  // output_pixels = h' w'), with v from the unit config.
  LutnnLayerShape matmul_shape(int64_t rows, int64_t k, int64_t n, bool input_int16 = false) const;
  LutnnLayerShape conv_shape(int64_t output_pixels, int64_t c_in_per_group, int64_t kh, int64_t kw, int64_t c_out, int64_t groups,
                             bool input_int16 = false) const;

  // Throws npusim::Error for non-positive dimensions.
  LutnnCost cost(const LutnnLayerShape& shape) const;

  // The layer's time with its table traffic plus `activation_dram_bytes` at `dram_bandwidth_gbps`, read
  // as the timed model reads a GEMM's buffers: single-buffered SRAM, the units and then the transfers
  // one after another (serial cycles + bytes / bandwidth); double-buffered, the busier of the two
  // (overlapped cycles against bytes / bandwidth). An estimate; the timed model refines it.
  double latency_ns(const LutnnCost& cost, double dram_bandwidth_gbps, int64_t activation_dram_bytes = 0) const;

 private:
  LutnnUnitConfig unit_;
  HwConfig config_;
};

}  // namespace npusim::hw
