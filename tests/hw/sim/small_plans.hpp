// Small hand-written workloads and roomy configs for whole timed runs in tests.
#pragma once

#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "workloads/trace.hpp"

namespace npusim::hw {

// x -> fc1 (weights) -> softmax -> fc2 -> gelu, through the plan builder.
inline workloads::Trace small_trace() {
  using workloads::OpType;
  workloads::Trace trace;
  trace.model = "small";
  const auto op = [&](const std::string& id, OpType type, std::vector<std::string> deps) {
    workloads::TraceOp o;
    o.id = o.layer = id;
    o.type = type;
    o.inputs = {{197, 768}};
    o.output = {197, 768};
    o.deps = std::move(deps);
    if (type == OpType::matmul) o.weights = {768, 768};
    return o;
  };
  trace.ops.push_back(op("x", OpType::reshape, {}));
  trace.ops.push_back(op("blocks.0.fc1", OpType::matmul, {"x"}));
  auto softmax = op("blocks.0.attn.softmax", OpType::softmax, {"blocks.0.fc1"});
  softmax.ranges[Function::exp] = {-12.0, 0.0, {}, {}};
  softmax.ranges[Function::reciprocal] = {1.0, 197.0, {}, {}};
  trace.ops.push_back(softmax);
  trace.ops.push_back(op("blocks.0.fc2", OpType::matmul, {"blocks.0.attn.softmax"}));
  auto gelu = op("blocks.0.mlp.gelu", OpType::gelu, {"blocks.0.fc2"});
  gelu.ranges[Function::gelu] = {-8.0, 8.0, {}, {}};
  trace.ops.push_back(gelu);
  return trace;
}

// Buffers large enough for every tensor: the traffic is the hand count below.
inline HwConfig roomy_config(NonlinearEngine engine) {
  HwConfig config;
  config.sram.weight_kib = 1024;
  config.sram.activation_kib = 1024;
  config.sram.double_buffered = true;
  config.nonlinear.default_engine = engine;
  return config;
}

inline constexpr int64_t kTensor = 197 * 768;  // every activation, INT8
inline constexpr int64_t kWeights = 768 * 768;

}  // namespace npusim::hw
