// What the timed model records: one entry per piece of work a unit did, with its latency category.
// Plain data (no SystemC), so reports and tests can use it without a simulation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace npusim::hw {

// The latency categories of every report (DESIGN.md).
enum class Category {
  mau_compute,          // systolic matrix multiplies and element-wise/pooling work of the MAU
  nonlinear_compute,    // lookups on the LUT / NN-LUT unit, DSP kernels, I-BERT / I-ViT sequences
  decomposition,        // vector-path steps around the lookups of softmax and the norms
  weight_dma,
  activation_dma,       // spills and reloads of activations
  mau_dsp_communication,
  table_load,
};
constexpr int kCategoryCount = 7;
std::string_view category_name(Category category);

// What a DRAM transfer carries (the summary splits DRAM bytes by kind).
enum class TrafficKind {
  weights,       // weight tiles, re-streams included
  activations,   // the workload's inputs and final outputs
  spills,        // intermediate tensors that did not stay on chip: written out and read back
  tables,        // per-layer LUT / NN-LUT tables
  dsp_exchange,  // tensors moved between the MAU and the DSP through DRAM
};
constexpr int kTrafficKindCount = 5;
std::string_view traffic_kind_name(TrafficKind kind);

struct Activity {
  int op_index = -1;     // into the plan's op list
  std::string unit;      // "mau", "mau.vector", "lut_unit", "nnlut_unit", "dsp", "dma.0", ...
  Category category = Category::mau_compute;
  double start_ns = 0.0;
  double end_ns = 0.0;
  int64_t bytes = 0;
  bool dram_write = false;           // a DMA activity: direction of its DRAM bytes
  TrafficKind traffic = TrafficKind::weights;  // a DMA activity: what it carried
  int64_t macs = 0;
  int64_t elements = 0;
  double duration_ns() const { return end_ns - start_ns; }
};

// Everything one simulation recorded.
struct ActivityLog {
  std::vector<Activity> activities;
  // Intervals where DRAM was transferring (merged), for bandwidth counters.
  std::vector<std::pair<double, double>> dram_busy_ns;
  int64_t dram_bytes_read = 0;
  int64_t dram_bytes_written = 0;
};

}  // namespace npusim::hw
