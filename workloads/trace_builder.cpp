#include "workloads/trace_builder.hpp"

#include "common/error.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::workloads {

TraceBuilder::TraceBuilder(std::string model, std::string source, SyntheticRanges ranges) : ranges_(ranges) {
  trace_.model = std::move(model);
  trace_.source = std::move(source);
}

const std::vector<int64_t>& TraceBuilder::shape_of(const std::string& id) const {
  const auto it = index_.find(id);
  if (it == index_.end()) throw Error("trace builder: no op '" + id + "'");
  return trace_.ops[it->second].output;
}

std::string TraceBuilder::push(TraceOp op) {
  if (op.id.empty()) op.id = op.layer;
  // An op reads its producers' outputs at the precision they were written in (SPEC 2.5: the LUT
  // outputs stay 16-bit, so the GEMM after a GELU or a softmax multiplies INT16 activations).
  for (const auto& dep : op.deps) {
    const auto producer = index_.find(dep);
    if (producer != index_.end() && trace_.ops[producer->second].output_precision == Precision::int16) {
      op.input_precision = Precision::int16;
    }
  }
  if (op.type == OpType::reshape && !op.deps.empty()) op.output_precision = op.input_precision;  // same buffer
  index_.emplace(op.id, trace_.ops.size());
  trace_.ops.push_back(std::move(op));
  return trace_.ops.back().id;
}

std::string TraceBuilder::input(const std::string& layer, const std::vector<int64_t>& shape, Precision precision) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::reshape;
  op.input_precision = op.output_precision = precision;
  op.inputs = {shape};
  op.output = shape;
  return push(op);
}

std::string TraceBuilder::linear(const std::string& layer, const std::string& from, int64_t out_features) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::matmul;
  op.inputs = {shape_of(from)};
  op.weights = {op.inputs[0].back(), out_features};
  op.output = op.inputs[0];
  op.output.back() = out_features;
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::conv(const std::string& layer, const std::string& from, int64_t out_channels, int64_t kernel,
                               int64_t stride, int64_t padding, int64_t groups) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::conv;
  op.inputs = {shape_of(from)};
  const auto& in = op.inputs[0];
  op.weights = {out_channels, in[0] / groups, kernel, kernel};
  op.stride = {stride, stride};
  op.padding = {padding, padding, padding, padding};
  op.groups = groups;
  op.output = {out_channels, window_output_size(in[1], kernel, stride, 2 * padding), window_output_size(in[2], kernel, stride, 2 * padding)};
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::pooling(const std::string& layer, const std::string& from, int64_t kernel, int64_t stride,
                                  int64_t padding) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::pooling;
  op.inputs = {shape_of(from)};
  const auto& in = op.inputs[0];
  op.kernel = {kernel, kernel};
  op.stride = {stride, stride};
  op.padding = {padding, padding, padding, padding};
  op.output = {in[0], window_output_size(in[1], kernel, stride, 2 * padding), window_output_size(in[2], kernel, stride, 2 * padding)};
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::batchnorm(const std::string& layer, const std::string& from) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::batchnorm;
  op.inputs = {shape_of(from)};
  op.output = op.inputs[0];
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::relu(const std::string& layer, const std::string& from) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::relu;
  op.inputs = {shape_of(from)};
  op.output = op.inputs[0];
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::nonlinear(OpType type, const std::string& layer, const std::string& from, double depth) {
  TraceOp op;
  op.layer = layer;
  op.type = type;
  op.inputs = {shape_of(from)};
  op.output = op.inputs[0];
  op.deps = {from};
  // SPEC 2.5: norms read the 16-bit residual stream and write 8-bit activations; GELU, SiLU and
  // softmax write their 16-bit LUT outputs.
  if (type == OpType::layernorm || type == OpType::rmsnorm) op.input_precision = Precision::int16;
  if (type == OpType::gelu || type == OpType::silu || type == OpType::softmax) op.output_precision = Precision::int16;
  for (const Function f : lut_functions(type)) op.ranges[f] = ranges_.range(f, layer, depth);
  return push(op);
}

std::string TraceBuilder::batched_matmul(const std::string& layer, const std::string& a, const std::string& b) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::batched_matmul;
  op.inputs = {shape_of(a), shape_of(b)};
  op.output = {op.inputs[0][0], op.inputs[0][1], op.inputs[1][2]};
  op.deps = {a, b};
  return push(op);
}

std::string TraceBuilder::add(const std::string& layer, const std::string& a, const std::string& b) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::add;
  op.inputs = {shape_of(a), shape_of(b)};
  op.output = op.inputs[0];
  // SPEC 2.5: residual additions in 16 bits.
  op.input_precision = op.output_precision = Precision::int16;
  op.deps = {a, b};
  return push(op);
}

std::string TraceBuilder::mul(const std::string& layer, const std::string& a, const std::string& b) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::mul;
  op.inputs = {shape_of(a), shape_of(b)};
  op.output = op.inputs[0];
  op.deps = {a, b};
  return push(op);
}

std::string TraceBuilder::mlp(const std::string& prefix, const std::string& from, OpType activation, int64_t width, int64_t hidden,
                              double depth) {
  if (activation == OpType::silu) {
    const std::string gate = linear(prefix + ".gate_proj", from, width);
    const std::string up = linear(prefix + ".up_proj", from, width);
    const std::string act = nonlinear(OpType::silu, prefix + ".silu", gate, depth);
    return linear(prefix + ".down_proj", mul(prefix + ".gate_mul", act, up), hidden);
  }
  const std::string fc1 = linear(prefix + ".fc1", from, width);
  const std::string act = activation == OpType::relu ? relu(prefix + ".relu", fc1)
                                                     : nonlinear(activation, prefix + "." + std::string(op_type_name(activation)), fc1, depth);
  return linear(prefix + ".fc2", act, hidden);
}

std::string TraceBuilder::causal_mask(const std::string& layer, const std::string& scores) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::causal_mask;
  op.inputs = {shape_of(scores)};
  op.output = op.inputs[0];
  op.deps = {scores};
  return push(op);
}

std::string TraceBuilder::reshape(const std::string& layer, const std::string& from, const std::vector<int64_t>& shape) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::reshape;
  op.inputs = {shape_of(from)};
  op.output = shape;
  op.deps = {from};
  return push(op);
}

std::string TraceBuilder::vector(const std::string& layer, const std::string& from, const std::vector<int64_t>& output,
                                 Precision output_precision) {
  TraceOp op;
  op.layer = layer;
  op.type = OpType::vector;
  op.inputs = {shape_of(from)};
  op.output = output;
  op.output_precision = output_precision;
  op.deps = {from};
  return push(op);
}

Trace TraceBuilder::finish(const std::string& calibration_label) {
  trace_.calibration = calibration_label;
  validate_trace(trace_);
  return trace_;
}

}  // namespace npusim::workloads
