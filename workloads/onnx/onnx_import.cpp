#include "workloads/onnx/onnx_import.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/checked_size.hpp"
#include "common/error.hpp"
#include "workloads/onnx/window.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::onnx_import {

namespace {

using workloads::OpType;
using workloads::TraceOp;

// Placeholder ranges for non-linear ops without a QDQ range (labelled in the trace).
constexpr double kPlaceholderExpMin = -16.0;
constexpr double kPlaceholderActivation = 8.0;
constexpr double kPlaceholderVarianceMax = 64.0;

struct Produced {
  std::string op;              // the trace op
  std::vector<int64_t> shape;  // its output shape in the trace
};

struct QdqRange {
  double min = 0.0, max = 0.0;
};

std::string joined_ops(const Model& model, const std::vector<size_t>& nodes) {
  std::string text;
  for (const size_t i : nodes) text += (text.empty() ? "" : "-") + model.nodes[i].op_type;
  return text;
}

bool default_domain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

class Importer {
 public:
  Importer(const Model& model, const std::string& name) : model_(model) {
    trace_.model = name;
    trace_.source = "ONNX model " + model.source + " (opset " + std::to_string(model.opset) +
                    (model.producer.empty() ? "" : ", from " + model.producer) + ")";
    for (const auto& inst : find_nonlinear_instances(model)) {
      instances_.push_back(inst);
      for (const size_t n : inst.nodes) instance_of_[n] = instances_.size() - 1;
    }
  }

  ImportResult run() {
    for (const auto& input : model_.inputs) {
      TraceOp op;
      op.type = OpType::reshape;
      op.inputs = {onnx_shape(input, "model input '" + input + "'")};
      op.output = op.inputs[0];
      emit(std::move(op), input, "model input", "reshape (model input)", false, 0);
    }
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
      const auto it = instance_of_.find(i);
      if (it == instance_of_.end()) {
        map_node(i);
      } else if (instances_[it->second].nodes.back() == i) {
        map_instance(instances_[it->second]);
      }
    }
    for (const auto& output : model_.outputs) {
      if (produced_.count(output) == 0 && model_.constant(output) == nullptr) {
        throw Error(model_.source + ": output '" + output + "' is produced by no mapped op");
      }
    }
    const int64_t qdq = qdq_used_;
    const int64_t placeholders = placeholder_used_;
    trace_.calibration = placeholders == 0 && qdq == 0 ? "none needed (no non-linear op)"
                         : placeholders == 0          ? "QDQ scales and zero points of the model"
                         : qdq == 0 ? "placeholder ranges (not calibrated: run npusim calibrate)"
                                    : "QDQ scales where the model has them, placeholder ranges elsewhere (run npusim calibrate)";
    workloads::validate_trace(trace_);
    ImportResult result;
    result.trace = std::move(trace_);
    for (const auto& [key, row] : rows_) result.mapping.push_back(row);
    std::sort(result.mapping.begin(), result.mapping.end(),
              [](const MappingRow& a, const MappingRow& b) { return std::tie(a.target, a.source) < std::tie(b.target, b.source); });
    result.instances = instances_;
    result.unmatched = find_unmatched_nonlinear(model_, instances_);
    result.constant_nodes = model_.constant_nodes;
    result.qdq_ranges = qdq;
    return result;
  }

 private:
  std::vector<int64_t> onnx_shape(const std::string& tensor, const std::string& what) const {
    const ValueInfo* v = model_.value(tensor);
    if (v == nullptr || !v->shape_known) throw Error(model_.source + ": the shape of " + what + " is not known after shape inference");
    for (const int64_t d : v->shape) {
      if (d <= 0) throw Error(model_.source + ": " + what + " has an empty dimension " + shape_string(v->shape));
    }
    return v->shape;
  }

  const Produced& produced(const std::string& tensor) const {
    const auto it = produced_.find(tensor);
    if (it == produced_.end()) throw Error(model_.source + ": tensor '" + tensor + "' is read before any mapped op produces it");
    return it->second;
  }

  bool is_constant(const std::string& tensor) const { return model_.constant(tensor) != nullptr || derived_constants_.count(tensor) != 0; }

  // The trace op giving `tensor` in `shape` (a reshape is inserted when the producer's shape differs).
  std::string source_of(const std::string& tensor, const std::vector<int64_t>& shape) {
    const auto it = produced_.find(tensor);
    if (it == produced_.end()) throw Error(model_.source + ": tensor '" + tensor + "' is read before any mapped op produces it");
    if (it->second.shape == shape) return it->second.op;
    const auto key = std::make_pair(tensor, shape);
    const auto memo = reshapes_.find(key);
    if (memo != reshapes_.end()) return memo->second;
    TraceOp op;
    op.id = unique_id(tensor + "#" + std::to_string(shape.size()) + "d");
    op.type = OpType::reshape;
    op.inputs = {it->second.shape};
    op.output = shape;
    op.deps = {it->second.op};
    trace_.ops.push_back(op);
    count("layout change between ops", "reshape", 0, 1, false);
    return reshapes_[key] = op.id;
  }

  std::string unique_id(const std::string& wanted) {
    std::string id = wanted;
    for (int k = 2; !ids_.insert(id).second; ++k) id = wanted + "#" + std::to_string(k);
    return id;
  }

  void count(const std::string& source, const std::string& target, int64_t nodes, int64_t ops, bool generic) {
    MappingRow& row = rows_[{source, target}];
    row.source = source;
    row.target = target;
    row.nodes += nodes;
    row.ops += ops;
    row.generic = generic;
  }

  // Appends `op` producing `tensor` (its trace shape is op.output).
  void emit(TraceOp op, const std::string& tensor, const std::string& source, const std::string& target, bool generic, int64_t nodes) {
    op.id = unique_id(tensor);
    op.layer = op.id;
    produced_[tensor] = {op.id, op.output};
    trace_.ops.push_back(std::move(op));
    count(source, target, nodes, 1, generic);
  }

  void alias(const Node& node, const std::string& from, const std::string& why) {
    if (!node.outputs.empty() && !node.outputs[0].empty()) {
      if (produced_.count(from) != 0) produced_[node.outputs[0]] = produced_.at(from);
      else derived_constants_.insert(node.outputs[0]);
    }
    count(node.op_type, "no op (" + why + ")", 1, 0, false);
  }

  std::vector<std::string> activations(const Node& node) const {
    std::vector<std::string> acts;
    for (const auto& in : node.inputs) {
      if (!in.empty() && !is_constant(in)) acts.push_back(in);
    }
    return acts;
  }

  // A generic vector op over the node's output elements, one per output.
  void generic(const Node& node, const std::string& source) {
    const std::vector<std::string> acts = activations(node);
    bool first = true;
    for (const auto& output : node.outputs) {
      if (output.empty()) continue;
      TraceOp op;
      op.type = OpType::vector;
      for (const auto& a : acts) {
        op.inputs.push_back(produced(a).shape);
        op.deps.push_back(source_of(a, produced(a).shape));
      }
      op.output = onnx_shape(output, "output '" + output + "' of " + node.label());
      emit(std::move(op), output, source, "vector", true, first ? 1 : 0);
      first = false;
    }
  }

  void map_node(size_t index) {
    const Node& node = model_.nodes[index];
    const std::string& type = node.op_type;
    bool folded = !node.outputs.empty();
    for (const auto& out : node.outputs) folded = folded && (out.empty() || model_.folded.count(out) != 0);
    if (folded) {
      count(type, "no op (shape arithmetic, folded at import)", 1, 0, false);
      return;
    }
    if (!default_domain(node)) return generic(node, node.domain + "." + type);
    const std::vector<std::string> acts = activations(node);
    if (acts.empty()) {  // computed from constants only: a weight transformation
      for (const auto& out : node.outputs) derived_constants_.insert(out);
      count(type, "no op (constant computation)", 1, 0, false);
      return;
    }
    if (type == "Identity" || type == "Dropout") return alias(node, node.inputs[0], "alias");
    if (type == "Cast") {
      const ValueInfo* v = model_.value(node.outputs[0]);
      if (v != nullptr && is_floating(v->type)) return alias(node, node.inputs[0], "alias");
      return generic(node, type);
    }
    if (type == "QuantizeLinear") {
      quantized_[node.outputs[0]] = index;
      return alias(node, node.inputs[0], "QDQ: range of the tensor");
    }
    if (type == "DequantizeLinear") return map_dequantize(node);
    if (type == "Conv" && map_conv(node)) return;
    if ((type == "MatMul" || type == "Gemm") && map_matmul(node)) return;
    if (type == "BatchNormalization") return unary(node, OpType::batchnorm, "batchnorm");
    if ((type == "Add" || type == "Sub" || type == "Mul" || type == "Div") && map_arithmetic(node, acts)) return;
    if (type == "Relu") return unary(node, OpType::relu, "relu");
    if ((type == "MaxPool" || type == "AveragePool" || type == "GlobalAveragePool" || type == "GlobalMaxPool") && map_pooling(node)) return;
    if (type == "Reshape" || type == "Flatten" || type == "Transpose" || type == "Squeeze" || type == "Unsqueeze") {
      TraceOp op;
      op.type = OpType::reshape;
      op.inputs = {produced(node.inputs[0]).shape};
      op.deps = {produced(node.inputs[0]).op};
      op.output = onnx_shape(node.outputs[0], "output of " + node.label());
      return emit(std::move(op), node.outputs[0], type, "reshape", false, 1);
    }
    generic(node, type);
  }

  void unary(const Node& node, OpType type, const std::string& target) {
    const std::string in = activations(node)[0];
    TraceOp op;
    op.type = type;
    op.inputs = {produced(in).shape};
    op.deps = {produced(in).op};
    op.output = op.inputs[0];
    emit(std::move(op), node.outputs[0], node.op_type, target, false, 1);
  }

  void map_dequantize(const Node& node) {
    const auto q = quantized_.find(node.inputs[0]);
    const Tensor* scale = node.inputs.size() > 1 ? model_.constant(node.inputs[1]) : nullptr;
    const Tensor* zero = node.inputs.size() > 2 && !node.inputs[2].empty() ? model_.constant(node.inputs[2]) : nullptr;
    if (q == quantized_.end() || scale == nullptr || scale->element_count() != 1 || (zero != nullptr && zero->element_count() != 1)) {
      return generic(node, node.op_type);
    }
    const Node& quantize = model_.nodes[q->second];
    const ValueInfo* qv = model_.value(node.inputs[0]);
    const bool is_unsigned = qv == nullptr || qv->type != ElementType::int8;
    const double z = zero != nullptr ? static_cast<double>(zero->integer(0)) : 0.0, s = scale->number(0);
    const QdqRange r{s * ((is_unsigned ? 0.0 : -128.0) - z), s * ((is_unsigned ? 255.0 : 127.0) - z)};
    qdq_[node.outputs[0]] = r;
    qdq_[quantize.inputs[0]] = r;
    alias(node, quantize.inputs[0], "QDQ: range of the tensor");
  }

  bool map_conv(const Node& node) {
    const Tensor* w = model_.constant(node.inputs[1]);
    const auto x_shape = onnx_shape(node.inputs[0], "input of " + node.label());
    if (w == nullptr || is_constant(node.inputs[0]) || x_shape.size() != 4 || x_shape[0] != 1 || w->shape.size() != 4) return false;
    const Window win = resolve_window(node, {x_shape[2], x_shape[3]}, {w->shape[2], w->shape[3]}, false);
    if (win.dilations != std::vector<int64_t>{1, 1}) return false;
    TraceOp op;
    op.type = OpType::conv;
    const std::vector<int64_t> chw = {x_shape[1], x_shape[2], x_shape[3]};
    op.inputs = {chw};
    op.deps = {source_of(node.inputs[0], chw)};
    op.weights = w->shape;
    op.groups = node.integer("group", 1);
    op.stride = {win.strides[0], win.strides[1]};
    op.padding = {win.pads_begin[0], win.pads_begin[1], win.pads_end[0], win.pads_end[1]};
    op.output = {w->shape[0], win.output[0], win.output[1]};
    if (!workloads::check_op_shapes(op).empty()) return false;
    emit(std::move(op), node.outputs[0], "Conv", "conv", false, 1);
    return true;
  }

  bool map_matmul(const Node& node) {
    const std::string& a = node.inputs[0];
    const std::string& b = node.inputs[1];
    if (is_constant(a)) return false;
    const auto a_shape = onnx_shape(a, "input of " + node.label());
    const auto out_shape = onnx_shape(node.outputs[0], "output of " + node.label());
    TraceOp op;
    if (const Tensor* w = model_.constant(b)) {
      if (w->shape.size() != 2 || (node.op_type == "Gemm" && node.integer("transA", 0) != 0)) return false;
      const bool trans_b = node.op_type == "Gemm" && node.integer("transB", 0) != 0;
      op.type = OpType::matmul;
      op.weights = trans_b ? std::vector<int64_t>{w->shape[1], w->shape[0]} : w->shape;
      op.inputs = {a_shape};
      op.deps = {source_of(a, a_shape)};
      op.output = out_shape;
    } else {
      if (node.op_type != "MatMul") return false;
      const auto b_shape = onnx_shape(b, "input of " + node.label());
      if (a_shape.size() < 2 || b_shape.size() < 2) return false;
      auto batch = [&](const std::vector<int64_t>& s) {
        return checked::product(std::vector<int64_t>(s.begin(), s.end() - 2), model_.source + ": " + node.label() + ": batch dims");
      };
      const int64_t m = a_shape[a_shape.size() - 2], k = a_shape.back(), n = b_shape.back();
      const std::vector<int64_t> sa = {batch(a_shape), m, k}, sb = {batch(b_shape), k, n};
      if (sa[0] % sb[0] != 0) return false;
      op.type = OpType::batched_matmul;
      op.inputs = {sa, sb};
      op.deps = {source_of(a, sa), source_of(b, sb)};
      op.output = {sa[0], m, n};
    }
    if (!workloads::check_op_shapes(op).empty()) return false;
    const std::string target = op.type == OpType::matmul ? "matmul" : "batched_matmul";
    emit(std::move(op), node.outputs[0], node.op_type, target, false, 1);
    return true;
  }

  bool map_arithmetic(const Node& node, const std::vector<std::string>& acts) {
    const auto out_shape = onnx_shape(node.outputs[0], "output of " + node.label());
    if (acts.size() == 1) {
      if (onnx_shape(acts[0], "input of " + node.label()) != out_shape) return false;
      TraceOp op;
      op.type = OpType::batchnorm;
      op.inputs = {produced(acts[0]).shape};
      op.deps = {produced(acts[0]).op};
      op.output = op.inputs[0];
      emit(std::move(op), node.outputs[0], node.op_type + " by a constant", "batchnorm (folded scale or shift)", false, 1);
      return true;
    }
    if (acts.size() != 2 || (node.op_type != "Add" && node.op_type != "Mul")) return false;
    if (onnx_shape(acts[0], "input") != out_shape || onnx_shape(acts[1], "input") != out_shape) return false;
    TraceOp op;
    op.type = node.op_type == "Add" ? OpType::add : OpType::mul;
    op.inputs = {out_shape, out_shape};
    op.deps = {source_of(acts[0], out_shape), source_of(acts[1], out_shape)};
    op.output = out_shape;
    emit(std::move(op), node.outputs[0], node.op_type, node.op_type == "Add" ? "add" : "mul", false, 1);
    return true;
  }

  bool map_pooling(const Node& node) {
    const auto x_shape = onnx_shape(node.inputs[0], "input of " + node.label());
    if (x_shape.size() != 4 || x_shape[0] != 1 || node.outputs.size() != 1) return false;
    TraceOp op;
    op.type = OpType::pooling;
    const std::vector<int64_t> chw = {x_shape[1], x_shape[2], x_shape[3]};
    op.inputs = {chw};
    op.deps = {source_of(node.inputs[0], chw)};
    if (node.op_type == "GlobalAveragePool" || node.op_type == "GlobalMaxPool") {
      op.kernel = {x_shape[2], x_shape[3]};
      op.stride = {x_shape[2], x_shape[3]};
      op.output = {x_shape[1], 1, 1};
    } else {
      if (!node.has("kernel_shape")) return false;
      const Window win = resolve_window(node, {x_shape[2], x_shape[3]}, node.integers("kernel_shape"), true);
      if (win.dilations != std::vector<int64_t>{1, 1}) return false;
      op.kernel = win.kernel;
      op.stride = {win.strides[0], win.strides[1]};
      op.padding = {win.pads_begin[0], win.pads_begin[1], win.pads_end[0], win.pads_end[1]};
      op.output = {x_shape[1], win.output[0], win.output[1]};
    }
    if (!workloads::check_op_shapes(op).empty()) return false;  // ceil_mode windows the trace cannot express
    emit(std::move(op), node.outputs[0], node.op_type, "pooling", false, 1);
    return true;
  }

  // The instance's range of each LUT function: from a QDQ pair on its input, else a placeholder.
  std::map<Function, workloads::CalibratedRange> ranges(const NonlinearInstance& inst, int64_t cols) {
    const auto q = qdq_.find(inst.input);
    std::map<Function, workloads::CalibratedRange> r;
    if (q != qdq_.end() && q->second.max > q->second.min) {
      ++qdq_used_;
      const double lo = q->second.min, hi = q->second.max;
      switch (inst.kind) {
        case NonlinearKind::softmax:
          r[Function::exp] = {lo - hi, 0.0, {}, {}};
          r[Function::reciprocal] = {1.0, std::max(2.0, static_cast<double>(cols)), {}, {}};
          break;
        case NonlinearKind::layernorm:
        case NonlinearKind::rmsnorm: {
          const double eps = std::max(inst.epsilon, 1e-6);
          const double spread = inst.kind == NonlinearKind::layernorm ? (hi - lo) / 2 : std::max(std::fabs(lo), std::fabs(hi));
          r[Function::rsqrt] = {eps, eps + spread * spread, {}, {}};
          break;
        }
        default: r[Function::gelu] = {lo * inst.input_scale, hi * inst.input_scale, {}, {}}; break;
      }
    } else {
      ++placeholder_used_;
      switch (inst.kind) {
        case NonlinearKind::softmax:
          r[Function::exp] = {kPlaceholderExpMin, 0.0, {}, {}};
          r[Function::reciprocal] = {1.0, std::max(2.0, static_cast<double>(cols)), {}, {}};
          break;
        case NonlinearKind::layernorm:
        case NonlinearKind::rmsnorm: r[Function::rsqrt] = {std::max(inst.epsilon, 1e-6), kPlaceholderVarianceMax, {}, {}}; break;
        default: r[Function::gelu] = {-kPlaceholderActivation, kPlaceholderActivation, {}, {}}; break;
      }
    }
    if (inst.kind == NonlinearKind::silu) {
      r[Function::silu] = r.at(Function::gelu);
      r.erase(Function::gelu);
    }
    return r;
  }

  void map_instance(const NonlinearInstance& inst) {
    const std::string source = std::string(nonlinear_kind_name(inst.kind)) +
                               (inst.decomposed ? " (" + joined_ops(model_, inst.nodes) + ")" : " (" + model_.nodes[inst.nodes[0]].op_type + ")");
    const auto in_shape = onnx_shape(inst.input, "input of " + inst.layer);
    const auto out_shape = onnx_shape(inst.output, "output of " + inst.layer);
    TraceOp op;
    std::vector<int64_t> shape = in_shape;
    switch (inst.kind) {
      case NonlinearKind::softmax:
      case NonlinearKind::layernorm:
      case NonlinearKind::rmsnorm: {
        int64_t cols = 1;
        if (inst.kind == NonlinearKind::softmax) {
          const int64_t rank = static_cast<int64_t>(in_shape.size());
          const int64_t axis = inst.axis < 0 ? inst.axis + rank : inst.axis;
          if (axis < 0 || axis >= rank) throw Error(model_.source + ": " + inst.layer + ": axis is out of range for rank " + std::to_string(rank));
          cols = inst.axis_flattens ? shape_elements(std::vector<int64_t>(in_shape.begin() + axis, in_shape.end())) : in_shape[static_cast<size_t>(axis)];
        } else {
          cols = shape_elements(std::vector<int64_t>(in_shape.end() - inst.normalized_dims, in_shape.end()));
        }
        // The trace's norms and softmax work over the last dim: rows x cols when the model's differs.
        if (in_shape.back() != cols) shape = {shape_elements(in_shape) / cols, cols};
        op.type = inst.kind == NonlinearKind::softmax ? OpType::softmax : inst.kind == NonlinearKind::layernorm ? OpType::layernorm : OpType::rmsnorm;
        if (op.type != OpType::softmax) op.input_precision = workloads::Precision::int16;
        op.ranges = ranges(inst, cols);
        break;
      }
      case NonlinearKind::gelu:
      case NonlinearKind::gelu_tanh:
      case NonlinearKind::silu:
        op.type = inst.kind == NonlinearKind::silu ? OpType::silu : OpType::gelu;
        op.ranges = ranges(inst, 1);
        break;
      default: {  // no trace op models these: generic vector work
        op.type = OpType::vector;
        op.inputs = {produced(inst.input).shape};
        op.deps = {produced(inst.input).op};
        op.output = out_shape;
        emit(std::move(op), inst.output, source, "vector", true, static_cast<int64_t>(inst.nodes.size()));
        return;
      }
    }
    op.inputs = {shape};
    op.deps = {source_of(inst.input, shape)};
    op.output = shape;
    const std::string target(workloads::op_type_name(op.type));
    emit(std::move(op), inst.output, source, target, false, static_cast<int64_t>(inst.nodes.size()));
  }

  const Model& model_;
  workloads::Trace trace_;
  std::vector<NonlinearInstance> instances_;
  std::map<size_t, size_t> instance_of_;
  std::map<std::string, Produced> produced_;
  std::map<std::pair<std::string, std::vector<int64_t>>, std::string> reshapes_;
  std::set<std::string> ids_;
  std::set<std::string> derived_constants_;
  std::map<std::string, size_t> quantized_;  // QuantizeLinear outputs -> node
  std::map<std::string, QdqRange> qdq_;
  std::map<std::pair<std::string, std::string>, MappingRow> rows_;
  int64_t qdq_used_ = 0;
  int64_t placeholder_used_ = 0;
};

}  // namespace

std::map<std::string, int64_t> ImportResult::generic_counts() const {
  std::map<std::string, int64_t> counts;
  for (const auto& row : mapping) {
    if (row.generic) counts[row.source] += row.nodes;
  }
  return counts;
}

Function trace_function(Function f) { return f == Function::gelu_tanh ? Function::gelu : f; }

ImportResult import_to_trace(const Model& model, const std::string& model_name) { return Importer(model, model_name).run(); }

}  // namespace npusim::onnx_import
