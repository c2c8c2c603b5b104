#include "workloads/trace_stats.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "common/checked_size.hpp"

namespace npusim::workloads {

const std::array<OpType, kNonlinearKinds>& nonlinear_kinds() {
  static const std::array<OpType, kNonlinearKinds> kinds = {OpType::gelu, OpType::silu, OpType::softmax,
                                                            OpType::layernorm, OpType::rmsnorm};
  return kinds;
}

WorkStats& WorkStats::operator+=(const WorkStats& o) {
  macs = checked::add(macs, o.macs, "total MAC count");
  for (size_t k = 0; k < nonlinear_elements.size(); ++k) {
    nonlinear_elements[k] = checked::add(nonlinear_elements[k], o.nonlinear_elements[k], "total non-linear elements");
  }
  weight_bytes = checked::add(weight_bytes, o.weight_bytes, "total weight bytes");
  activation_in_bytes = checked::add(activation_in_bytes, o.activation_in_bytes, "total activation bytes");
  activation_out_bytes = checked::add(activation_out_bytes, o.activation_out_bytes, "total activation bytes");
  ops = checked::add(ops, o.ops, "op count");
  return *this;
}

WorkStats op_stats(const TraceOp& op) {
  using checked::mul;
  WorkStats s;
  s.ops = 1;
  switch (op.type) {
    case OpType::matmul:
      s.macs = mul(mul(element_count(op.inputs[0]) / op.inputs[0].back(), op.weights[0], "MAC count"), op.weights[1], "MAC count");
      s.weight_bytes = mul(element_count(op.weights), precision_bytes(op.weight_precision), "weight bytes");
      break;
    case OpType::batched_matmul:
      s.macs = checked::product({op.inputs[0][0], op.inputs[0][1], op.inputs[0][2], op.inputs[1][2]}, "MAC count");
      break;
    case OpType::conv:
      s.macs = checked::product({element_count(op.output), op.weights[1], op.weights[2], op.weights[3]}, "MAC count");
      s.weight_bytes = mul(element_count(op.weights), precision_bytes(op.weight_precision), "weight bytes");
      break;
    default: break;
  }
  const auto& kinds = nonlinear_kinds();
  const auto kind = std::find(kinds.begin(), kinds.end(), op.type);
  if (kind != kinds.end()) s.nonlinear_elements[static_cast<size_t>(kind - kinds.begin())] = element_count(op.inputs[0]);
  // A reshape is free when it only renames; its bytes are not traffic.
  if (op.type != OpType::reshape) {
    for (const auto& input : op.inputs) {
      s.activation_in_bytes = checked::add(s.activation_in_bytes, mul(element_count(input), precision_bytes(op.input_precision)),
                                           "activation bytes");
    }
    s.activation_out_bytes = mul(element_count(op.output), precision_bytes(op.output_precision), "activation bytes");
  }
  return s;
}

std::string layer_group(const std::string& layer) {
  std::stringstream split(layer);
  std::string part, group;
  while (std::getline(split, part, '.')) {
    group += group.empty() ? part : "." + part;
    if (!part.empty() && std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); })) return group;
  }
  return layer;
}

TraceStats trace_stats(const Trace& trace) {
  TraceStats t;
  std::map<std::string, size_t> index;
  for (const TraceOp& op : trace.ops) {
    const WorkStats s = op_stats(op);
    t.ops.push_back(s);
    t.total += s;
    const std::string group = layer_group(op.layer);
    auto it = index.find(group);
    if (it == index.end()) {
      it = index.emplace(group, t.layers.size()).first;
      t.layers.push_back({group, {}});
    }
    t.layers[it->second].stats += s;
  }
  return t;
}

}  // namespace npusim::workloads
