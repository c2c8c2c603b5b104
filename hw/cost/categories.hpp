// What a cost is charged to: the latency categories of every report, and what a DRAM transfer carries.
// The planner assigns them, the units record them, the reports add them up.
#pragma once

#include <string_view>

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

}  // namespace npusim::hw
