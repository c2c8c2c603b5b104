// Appends ops to a trace with shapes derived from their producers, so the generators state a model's
// structure once and the shapes follow.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "workloads/synthetic_ranges.hpp"
#include "workloads/trace.hpp"

namespace npusim::workloads {

class TraceBuilder {
 public:
  TraceBuilder(std::string model, std::string source, SyntheticRanges ranges);

  // A model input (or a tensor produced outside the selected blocks): a reshape with no producer.
  std::string input(const std::string& layer, const std::vector<int64_t>& shape, Precision precision = Precision::int8);

  std::string linear(const std::string& layer, const std::string& from, int64_t out_features);
  std::string conv(const std::string& layer, const std::string& from, int64_t out_channels, int64_t kernel,
                   int64_t stride, int64_t padding, int64_t groups = 1);
  std::string pooling(const std::string& layer, const std::string& from, int64_t kernel, int64_t stride, int64_t padding);
  std::string batchnorm(const std::string& layer, const std::string& from);
  std::string relu(const std::string& layer, const std::string& from);
  // Non-linear ops with calibrated ranges; `depth` (0..1, how deep in the model) shapes the synthetic ranges.
  std::string nonlinear(OpType type, const std::string& layer, const std::string& from, double depth);
  std::string batched_matmul(const std::string& layer, const std::string& a, const std::string& b);
  std::string add(const std::string& layer, const std::string& a, const std::string& b);
  std::string mul(const std::string& layer, const std::string& a, const std::string& b);
  // A transformer's MLP on `from` back to `hidden` features, layers named `prefix`.*: gated when
  // `activation` is silu (LLaMA: down_proj(silu(gate_proj(x)) * up_proj(x))), else fc2(act(fc1(x))) with
  // ReLU or a non-linear op (GELU).
  std::string mlp(const std::string& prefix, const std::string& from, OpType activation, int64_t width, int64_t hidden, double depth);
  // A decoder's additive causal mask on attention scores [b, tq, tk].
  std::string causal_mask(const std::string& layer, const std::string& scores);
  std::string reshape(const std::string& layer, const std::string& from, const std::vector<int64_t>& shape);
  // Generic element-wise work on the vector path (OpType::vector): priced by its output's elements.
  std::string vector(const std::string& layer, const std::string& from, const std::vector<int64_t>& output,
                     Precision output_precision);

  const std::vector<int64_t>& shape_of(const std::string& id) const;
  // Validates the whole trace (a generator bug throws here, not in a user's run).
  Trace finish(const std::string& calibration_label);

 private:
  std::string push(TraceOp op);

  Trace trace_;
  std::unordered_map<std::string, size_t> index_;  // op id -> position in trace_.ops
  SyntheticRanges ranges_;
};

}  // namespace npusim::workloads
