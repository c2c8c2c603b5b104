#include "hw/lutnn_timing.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/error.hpp"
#include "models/lutnn/lookup_accumulate.hpp"

namespace npusim::hw {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

int64_t LutnnCost::overlapped_cycles() const { return std::max({distance_cycles, argmin_cycles, lookup_cycles}); }

LutnnTiming::LutnnTiming(const LutnnUnitConfig& unit, const LutnnHostArray& host) : unit_(unit), host_(host) {
  if (unit.lanes < 1 || unit.cycles_per_lookup < 1 || unit.table_sram_kib < 1 || unit.centroids < 2 || unit.centroids > 256 ||
      unit.subvector_fc < 1 || unit.subvector_conv1x1 < 1) {
    throw Error("lutnn_unit: lanes, cycles_per_lookup, table_sram_kib and sub-vector lengths must be >= 1, centroids in 2..256");
  }
  if (host.mac_rows < 1 || host.mac_cols < 1 || host.vector_lanes < 1 || !(host.compute_efficiency > 0) ||
      host.compute_efficiency > 1 || host.activation_sram_kib < 1) {
    throw Error("LUT-NN cost model: the MAC array, vector lanes, efficiency (0, 1] and activation SRAM must be positive");
  }
}

LutnnLayerShape LutnnTiming::matmul_shape(int64_t rows, int64_t k, int64_t n) const {
  return {rows, k, n, unit_.subvector_fc, 1};
}

LutnnLayerShape LutnnTiming::conv_shape(int64_t output_pixels, int64_t c_in_per_group, int64_t kh, int64_t kw, int64_t c_out,
                                        int64_t groups) const {
  const int64_t window = kh * kw;
  return {output_pixels, c_in_per_group * window, groups > 0 ? c_out / groups : c_out, window > 1 ? window : unit_.subvector_conv1x1,
          groups};
}

LutnnCost LutnnTiming::cost(const LutnnLayerShape& s) const {
  if (s.groups < 1) throw Error("LUT-NN cost model: groups must be >= 1");
  const lutnn::LayerCosts one = lutnn::layer_costs(s.tokens, s.in_features, s.out_features, s.subvector, unit_.centroids);
  LutnnCost cost;
  cost.counts = one;
  for (int64_t* field : {&cost.counts.dense_ops, &cost.counts.distance_ops, &cost.counts.argmin_ops, &cost.counts.lookup_ops,
                         &cost.counts.table_bytes, &cost.counts.table_scale_bytes, &cost.counts.centroid_bytes,
                         &cost.counts.weight_bytes}) {
    *field *= s.groups;
  }
  const int64_t codebooks = one.codebooks, k = unit_.centroids, v = s.subvector;
  const int64_t rows = host_.mac_rows, cols = host_.mac_cols;

  // Distances: block-diagonal folds of the array.
  const int64_t packed = v <= rows && k <= cols ? std::min(rows / v, cols / k) : 1;
  cost.distance_folds = ceil_div(codebooks, packed) * ceil_div(v, rows) * ceil_div(k, cols) * s.groups;
  const int64_t fold_cycles = 2 * rows + cols + s.tokens - 2;
  cost.distance_cycles =
      static_cast<int64_t>(std::ceil(static_cast<double>(cost.distance_folds * fold_cycles) / host_.compute_efficiency));

  // Argmin: bias add and compare per (token, codebook, centroid).
  cost.argmin_cycles = ceil_div(2 * one.argmin_ops * s.groups, host_.vector_lanes);

  // Lookups and the INT16 -> INT32 block flushes.
  const int64_t blocks = ceil_div(codebooks, lutnn::kCodebooksPerInt16Block);
  const int64_t lane_ops = (one.lookup_ops + s.tokens * s.out_features * blocks) * s.groups;
  cost.lookup_cycles = ceil_div(lane_ops, unit_.lanes) + unit_.cycles_per_lookup - 1;

  // DRAM: tables once per pass of rows whose codes fit in half the activation SRAM.
  const int64_t code_bytes = s.tokens * codebooks * s.groups;
  const int64_t half_activation = int64_t{host_.activation_sram_kib} * 1024 / 2;
  const int64_t half_table = int64_t{unit_.table_sram_kib} * 1024 / 2;
  cost.table_passes = ceil_div(code_bytes, half_activation);
  cost.table_tiles = ceil_div(cost.counts.table_bytes, half_table);
  cost.dram_bytes = cost.counts.table_bytes * cost.table_passes + cost.counts.centroid_bytes + cost.counts.table_scale_bytes;
  return cost;
}

double LutnnTiming::overlapped_latency_ns(const LutnnCost& cost, double clock_ghz, double dram_bandwidth_gbps) {
  if (!(clock_ghz > 0) || !(dram_bandwidth_gbps > 0)) throw Error("LUT-NN latency needs a positive clock and DRAM bandwidth");
  const double compute_ns = static_cast<double>(cost.overlapped_cycles()) / clock_ghz;
  const double transfer_ns = static_cast<double>(cost.dram_bytes) / dram_bandwidth_gbps;  // bytes / (GB/s) = ns
  return std::max(compute_ns, transfer_ns);
}

}  // namespace npusim::hw
