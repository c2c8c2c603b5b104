// What a trace asks of the hardware: MACs, non-linear elements per op kind, weight and activation
// bytes, per op, per layer (block) and for the whole model.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/trace.hpp"

namespace npusim::workloads {

// Non-linear op kinds counted apart: gelu, silu, softmax, layernorm, rmsnorm.
constexpr int kNonlinearKinds = 5;
const std::array<OpType, kNonlinearKinds>& nonlinear_kinds();

struct WorkStats {
  int64_t macs = 0;
  std::array<int64_t, kNonlinearKinds> nonlinear_elements{};
  int64_t weight_bytes = 0;
  int64_t activation_in_bytes = 0;
  int64_t activation_out_bytes = 0;
  int64_t ops = 0;

  WorkStats& operator+=(const WorkStats& other);
};

// Every product and sum is overflow-checked: throws checked::SizeOverflow naming the quantity.
WorkStats op_stats(const TraceOp& op);

struct LayerStats {
  std::string layer;  // the layer path up to its block index ("blocks.3"), or the op's layer
  WorkStats stats;
};

struct TraceStats {
  std::vector<WorkStats> ops;      // in trace order
  std::vector<LayerStats> layers;  // in order of first appearance
  WorkStats total;
};

TraceStats trace_stats(const Trace& trace);

// "blocks.3.attn.softmax" -> "blocks.3"; a path without a numeric component stays whole.
std::string layer_group(const std::string& layer);

}  // namespace npusim::workloads
