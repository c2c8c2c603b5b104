#include "workloads/trace_stats.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace npusim::workloads {

const std::array<OpType, kNonlinearKinds>& nonlinear_kinds() {
  static const std::array<OpType, kNonlinearKinds> kinds = {OpType::gelu, OpType::silu, OpType::softmax,
                                                            OpType::layernorm, OpType::rmsnorm};
  return kinds;
}

WorkStats& WorkStats::operator+=(const WorkStats& o) {
  macs += o.macs;
  for (size_t k = 0; k < nonlinear_elements.size(); ++k) nonlinear_elements[k] += o.nonlinear_elements[k];
  weight_bytes += o.weight_bytes;
  activation_in_bytes += o.activation_in_bytes;
  activation_out_bytes += o.activation_out_bytes;
  ops += o.ops;
  return *this;
}

WorkStats op_stats(const TraceOp& op) {
  WorkStats s;
  s.ops = 1;
  switch (op.type) {
    case OpType::matmul:
      s.macs = element_count(op.inputs[0]) / op.inputs[0].back() * op.weights[0] * op.weights[1];
      s.weight_bytes = element_count(op.weights) * precision_bytes(op.weight_precision);
      break;
    case OpType::batched_matmul:
      s.macs = op.inputs[0][0] * op.inputs[0][1] * op.inputs[0][2] * op.inputs[1][2];
      break;
    case OpType::conv:
      s.macs = element_count(op.output) * op.weights[1] * op.weights[2] * op.weights[3];
      s.weight_bytes = element_count(op.weights) * precision_bytes(op.weight_precision);
      break;
    default: break;
  }
  const auto& kinds = nonlinear_kinds();
  const auto kind = std::find(kinds.begin(), kinds.end(), op.type);
  if (kind != kinds.end()) s.nonlinear_elements[static_cast<size_t>(kind - kinds.begin())] = element_count(op.inputs[0]);
  // A reshape is free when it only renames; its bytes are not traffic.
  if (op.type != OpType::reshape) {
    for (const auto& input : op.inputs) s.activation_in_bytes += element_count(input) * precision_bytes(op.input_precision);
    s.activation_out_bytes = element_count(op.output) * precision_bytes(op.output_precision);
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
