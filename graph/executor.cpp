#include "graph/executor.hpp"

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

Executor::Executor(const Model& model) : model_(model) {
  std::map<std::string, int> missing;
  for (const auto& node : model.nodes) {
    const bool default_domain = node.domain.empty() || node.domain == "ai.onnx";
    if (!default_domain || find_kernel(node.op_type) == nullptr) ++missing[(default_domain ? "" : node.domain + ".") + node.op_type];
  }
  if (!missing.empty()) {
    int total = 0;
    std::string list;
    for (const auto& [op, count] : missing) {
      total += count;
      list += (list.empty() ? "" : ", ") + op + " x" + std::to_string(count);
    }
    throw Error(model.source + ": npusim has no kernel for " + std::to_string(total) + " node(s): " + list);
  }
}

std::map<std::string, Tensor> Executor::run(const std::map<std::string, Tensor>& inputs, const std::vector<Replacement>& replacements,
                                            const std::set<std::string>& watch) const {
  std::map<std::string, Tensor> env;
  for (const auto& name : model_.inputs) {
    const auto it = inputs.find(name);
    if (it == inputs.end()) throw Error("model input '" + name + "' was not given");
    const onnx_import::ValueInfo* info = model_.value(name);
    if (info != nullptr && info->shape_known && it->second.shape != info->shape) {
      throw Error("model input '" + name + "' is " + onnx_import::shape_string(info->shape) + ", given " +
                  onnx_import::shape_string(it->second.shape));
    }
    if (info != nullptr && info->type != it->second.type) {
      throw Error("model input '" + name + "' is " + std::string(onnx_import::element_type_name(info->type)) + ", given " +
                  std::string(onnx_import::element_type_name(it->second.type)));
    }
    env[name] = it->second;
  }
  // Which replacement a node belongs to, and where each tensor is read for the last time.
  std::map<size_t, const Replacement*> replaced;
  for (const auto& r : replacements) {
    for (const size_t n : r.nodes) replaced[n] = &r;
  }
  std::map<std::string, size_t> last_read;
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    const auto it = replaced.find(i);
    if (it != replaced.end()) {
      last_read[it->second->input] = std::max(last_read[it->second->input], it->second->nodes.back());
      continue;
    }
    for (const auto& input : model_.nodes[i].inputs) last_read[input] = i;
  }
  std::set<std::string> keep(watch.begin(), watch.end());
  keep.insert(model_.outputs.begin(), model_.outputs.end());

  auto lookup = [&](const std::string& name) -> const Tensor* {
    if (name.empty()) return nullptr;
    const auto it = env.find(name);
    if (it != env.end()) return &it->second;
    const Tensor* c = model_.constant(name);
    if (c == nullptr) throw Error("tensor '" + name + "' is not available");
    return c;
  };
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    const auto& node = model_.nodes[i];
    const auto it = replaced.find(i);
    if (it != replaced.end()) {
      const Replacement& r = *it->second;
      if (i == r.nodes.front()) env[r.output] = r.compute(*lookup(r.input));
    } else {
      KernelInputs args;
      for (const auto& input : node.inputs) args.push_back(lookup(input));
      std::vector<Tensor> results = find_kernel(node.op_type)(node, args, model_.opset);
      if (results.size() < node.outputs.size()) {
        throw Error(node.label() + ": npusim computes " + std::to_string(results.size()) + " of its " + std::to_string(node.outputs.size()) + " outputs");
      }
      for (size_t k = 0; k < node.outputs.size(); ++k) {
        if (!node.outputs[k].empty()) env[node.outputs[k]] = std::move(results[k]);
      }
    }
    // Free what no later node reads.
    for (const auto& input : node.inputs) {
      const auto last = last_read.find(input);
      if (last != last_read.end() && last->second <= i && keep.count(input) == 0) env.erase(input);
    }
  }
  std::map<std::string, Tensor> result;
  for (const auto& name : keep) {
    const auto it = env.find(name);
    if (it != env.end()) {
      result[name] = it->second;
    } else if (const Tensor* c = model_.constant(name)) {
      result[name] = *c;
    }
  }
  return result;
}

}  // namespace npusim::graph
