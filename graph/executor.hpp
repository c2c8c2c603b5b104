// Runs an imported ONNX graph node by node in float32 (graph/kernels), optionally with groups of nodes
// replaced by one computation (a non-linear op computed by an approximation method), keeping the
// tensors the caller watches and freeing every other one after its last reader.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

using onnx_import::Model;
using onnx_import::Node;
using onnx_import::Tensor;

// Nodes `nodes` (indices into model.nodes) computed as one: `compute` maps the tensor `input` to the
// tensor `output`; the group's other tensors are never materialised.
struct Replacement {
  std::vector<size_t> nodes;
  std::string input;
  std::string output;
  std::function<Tensor(const Tensor&)> compute;
};

struct ExecutorOptions {
  // Stop at the first node that computes NaN from inputs without NaN, naming it and what of its own is
  // NaN (an attribute, a constant): how calibrate refuses a model whose ranges would be NaN.
  bool stop_at_first_nan = false;
};

class Executor {
 public:
  // Throws npusim::Error ("model: npusim has no kernel for N node(s): Op xK, ...") when a node cannot run.
  explicit Executor(const Model& model, ExecutorOptions options = {});

  // `inputs` must match the model's inputs (names, float32, the shapes the model was loaded for).
  // Returns the model outputs plus every tensor named in `watch`. A node that fails throws npusim::Error
  // naming it (a replacement: naming its output).
  std::map<std::string, Tensor> run(const std::map<std::string, Tensor>& inputs, const std::vector<Replacement>& replacements = {},
                                    const std::set<std::string>& watch = {}) const;

 private:
  void check_no_new_nan(const Node& node, const std::vector<const Tensor*>& inputs, const std::vector<Tensor>& outputs) const;

  const Model& model_;
  ExecutorOptions options_;
};

}  // namespace npusim::graph
