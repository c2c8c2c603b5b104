#include "graph/executor.hpp"

#include <cmath>
#include <new>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

// Runs `compute`; any failure is rethrown as one npusim::Error that starts with `what` (the node), so a
// failing op is always named: kernels' own errors already start with it, the library's (a bad_alloc on
// a tensor too large for the machine, say) do not.
template <class Compute>
auto named_failure(const std::string& what, Compute compute) -> decltype(compute()) {
  try {
    return compute();
  } catch (const std::bad_alloc&) {
    throw Error(what + ": out of memory computing its output");
  } catch (const std::exception& e) {
    const std::string message = e.what();
    if (message.rfind(what, 0) == 0) throw;
    throw Error(what + ": " + message);
  }
}

bool has_nan(const Tensor& t) {
  for (const float v : t.floats) {
    if (std::isnan(v)) return true;
  }
  return false;
}

// What of the node's own is NaN: an attribute or a constant input.
std::string nan_source(const Node& node, const Model& model) {
  for (const auto& [name, a] : node.attributes) {
    bool nan = a.kind == onnx_import::Attribute::Kind::number && std::isnan(a.number);
    for (const double v : a.numbers) nan = nan || std::isnan(v);
    if (a.kind == onnx_import::Attribute::Kind::tensor) nan = nan || has_nan(a.tensor);
    if (nan) return "its attribute '" + name + "' is NaN";
  }
  for (const auto& input : node.inputs) {
    const Tensor* c = input.empty() ? nullptr : model.constant(input);
    if (c != nullptr && has_nan(*c)) return "its constant input '" + input + "' holds NaN";
  }
  return "";
}

}  // namespace

void Executor::check_no_new_nan(const Node& node, const KernelInputs& inputs, const std::vector<Tensor>& outputs) const {
  bool produced = false;
  for (const Tensor& t : outputs) produced = produced || has_nan(t);
  if (!produced) return;
  // NaN that flows in from an earlier node (or the input) was that node's to report.
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i] != nullptr && has_nan(*inputs[i]) && model_.constant(node.inputs[i]) == nullptr) return;
  }
  const std::string source = nan_source(node, model_);
  throw Error(model_.source + ": " + node.label() + " computes NaN from inputs without NaN" + (source.empty() ? "" : " (" + source + ")"));
}

Executor::Executor(const Model& model, ExecutorOptions options) : model_(model), options_(options) {
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
      if (i == r.nodes.front()) env[r.output] = named_failure(r.output, [&] { return r.compute(*lookup(r.input)); });
    } else {
      KernelInputs args;
      for (const auto& input : node.inputs) args.push_back(lookup(input));
      std::vector<Tensor> results = named_failure(node.label(), [&] { return find_kernel(node.op_type)(node, args, model_.opset); });
      if (results.size() < node.outputs.size()) {
        throw Error(node.label() + ": npusim computes " + std::to_string(results.size()) + " of its " + std::to_string(node.outputs.size()) + " outputs");
      }
      if (options_.stop_at_first_nan) check_no_new_nan(node, args, results);
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
      result[name] = std::move(it->second);
    } else if (const Tensor* c = model_.constant(name)) {
      result[name] = *c;
    }
  }
  return result;
}

}  // namespace npusim::graph
