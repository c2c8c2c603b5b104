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
using onnx_import::Tensor;

// Nodes `nodes` (indices into model.nodes) computed as one: `compute` maps the tensor `input` to the
// tensor `output`; the group's other tensors are never materialised.
struct Replacement {
  std::vector<size_t> nodes;
  std::string input;
  std::string output;
  std::function<Tensor(const Tensor&)> compute;
};

class Executor {
 public:
  // Throws npusim::Error ("model: npusim has no kernel for N node(s): Op xK, ...") when a node cannot run.
  explicit Executor(const Model& model);

  // `inputs` must match the model's inputs (names, float32, the shapes the model was loaded for).
  // Returns the model outputs plus every tensor named in `watch`.
  std::map<std::string, Tensor> run(const std::map<std::string, Tensor>& inputs, const std::vector<Replacement>& replacements = {},
                                    const std::set<std::string>& watch = {}) const;

 private:
  const Model& model_;
};

}  // namespace npusim::graph
