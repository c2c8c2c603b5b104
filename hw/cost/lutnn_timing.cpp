#include "hw/cost/lutnn_timing.hpp"
#include "common/checked_size.hpp"
#include "hw/cost/transfer_time.hpp"

#include <algorithm>
#include <string>

#include "hw/cost/mau_timing.hpp"
#include "common/error.hpp"
#include "models/lutnn/lookup_accumulate.hpp"

namespace npusim::hw {

namespace {

using checked::ceil_div;

}  // namespace

int64_t LutnnCost::overlapped_cycles() const {
  return std::max({distance_cycles, argmin_cycles + requant_cycles, lookup_cycles});
}

LutnnTiming::LutnnTiming(const LutnnUnitConfig& unit, const HwConfig& config) : unit_(unit), config_(config) {
  if (unit.lanes < 1 || unit.cycles_per_lookup < 1 || unit.table_sram_kib < 1 || unit.centroids < 2 || unit.centroids > 256 ||
      unit.subvector_fc < 1 || unit.subvector_conv1x1 < 1) {
    throw Error("lutnn_unit: lanes, cycles_per_lookup, table_sram_kib and sub-vector lengths must be >= 1, centroids in 2..256");
  }
}

LutnnLayerShape LutnnTiming::matmul_shape(int64_t rows, int64_t k, int64_t n, bool input_int16) const {
  return {rows, k, n, unit_.subvector_fc, 1, input_int16, 0};
}

LutnnLayerShape LutnnTiming::conv_shape(int64_t output_pixels, int64_t c_in_per_group, int64_t kh, int64_t kw, int64_t c_out,
                                        int64_t groups, bool input_int16) const {
  const int64_t window = kh * kw;
  const int64_t d = c_in_per_group * window;
  return {output_pixels, d, groups > 0 ? c_out / groups : c_out, window > 1 ? window : unit_.subvector_conv1x1, groups, input_int16,
          window > 1 ? output_pixels * d * std::max<int64_t>(groups, 1) : 0};
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
  const int64_t rows = config_.mau.rows, cols = config_.mau.cols;

  // Distances: codebooks packed block-diagonally into the array's folds.
  const int64_t packed = v <= rows && k <= cols ? std::max<int64_t>(1, std::min({rows / v, cols / k, codebooks})) : 1;
  const GemmShape distances{s.tokens, packed * v, packed * k, ceil_div(codebooks, packed) * s.groups, s.input_int16, false};
  const GemmCost gemm = MauTiming(config_.mau).gemm(distances, {distances.m, distances.k, distances.n}, s.im2col_elements);
  cost.distance_folds = gemm.folds;
  cost.distance_cycles = gemm.array_busy_cycles;

  const int64_t vector_lanes = config_.mau.vector_lanes;
  cost.argmin_cycles = ceil_div(2 * one.argmin_ops * s.groups, vector_lanes);  // bias add and compare
  const int64_t outputs = s.tokens * s.out_features * s.groups;
  cost.requant_cycles = ceil_div(outputs, vector_lanes);

  // Lookups and the INT16 -> INT32 block flushes.
  const int64_t blocks = ceil_div(codebooks, lutnn::kCodebooksPerInt16Block);
  cost.lookup_cycles = ceil_div(one.lookup_ops * s.groups + outputs * blocks, unit_.lanes) + unit_.cycles_per_lookup - 1;

  // DRAM: the tables once per pass of rows whose codes fit in half the activation SRAM, in column tiles
  // that fit the table buffer and whose INT32 sums fit the accumulator SRAM.
  const int64_t buffers = config_.sram.double_buffered ? 2 : 1;
  const int64_t code_capacity = std::max<int64_t>(1, int64_t{config_.sram.activation_kib} * 1024 / 2);
  cost.table_passes = ceil_div(s.tokens * codebooks * s.groups, code_capacity);
  const int64_t pass_rows = ceil_div(s.tokens, cost.table_passes);
  const int64_t table_buffer = int64_t{unit_.table_sram_kib} * 1024 / buffers;
  const int64_t accumulator = int64_t{config_.sram.accumulator_kib} * 1024;
  const int64_t tile_columns = std::max<int64_t>(1, std::min(table_buffer / (codebooks * k), accumulator / (4 * pass_rows)));
  cost.table_tiles = ceil_div(s.out_features, tile_columns) * s.groups;
  cost.table_dram_bytes = cost.counts.table_bytes * cost.table_passes + cost.counts.centroid_bytes + cost.counts.table_scale_bytes;
  return cost;
}

double LutnnTiming::latency_ns(const LutnnCost& cost, double dram_bandwidth_gbps, int64_t activation_dram_bytes) const {
  if (!(dram_bandwidth_gbps > 0)) throw Error("LUT-NN latency needs a positive DRAM bandwidth");
  const double dram_ns = transfer_ns(cost.table_dram_bytes + activation_dram_bytes, dram_bandwidth_gbps);
  if (config_.sram.double_buffered) return std::max(static_cast<double>(cost.overlapped_cycles()) * config_.cycle_ns(), dram_ns);
  return static_cast<double>(cost.serial_cycles()) * config_.cycle_ns() + dram_ns;
}

}  // namespace npusim::hw
