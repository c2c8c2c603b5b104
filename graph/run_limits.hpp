// What `infer` and `calibrate` run, bounded up front where the input enters (stated here once):
// - every model input at most kMaxInputElements elements;
// - one FP32 run's tensors (every activation of the graph, at the shapes the inputs give) at most
//   kMaxActivationBytes in total, so that a wide image or a large batch is refused in a moment
//   instead of running for minutes and failing out of memory (`infer` keeps a run per method);
// - float inputs finite: a NaN or infinity would only surface later as a meaningless range.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

constexpr int64_t kMaxInputElements = int64_t{1} << 24;
constexpr int64_t kMaxActivationBytes = int64_t{1} << 30;

struct ActivationSize {
  int64_t bytes = 0;             // 4 bytes per element of every tensor nodes compute (folded shapes excluded)
  std::string largest;           // the largest tensor
  std::string largest_producer;  // the node computing it
  int64_t largest_elements = 0;
};

ActivationSize activation_size(const onnx_import::Model& model);

// Throws npusim::Error starting with `source` (the input file(s)) when the model's activations for these
// input shapes exceed kMaxActivationBytes, naming the limit and the largest tensor.
void check_activation_size(const onnx_import::Model& model, const std::string& source);

// For an op whose output size depends on data (Expand, Tile, Range, ConstantOfShape): throws
// npusim::Error naming the node when one output alone would exceed kMaxActivationBytes.
void check_computed_elements(const onnx_import::Node& node, int64_t elements);

// Throws npusim::Error starting with `source` when the tensor has more than kMaxInputElements elements or
// a float element that is NaN or infinite (naming its index, e.g. [0, 2, 17, 5]).
void check_input_tensor(const onnx_import::Tensor& tensor, const std::string& source);

}  // namespace npusim::graph
