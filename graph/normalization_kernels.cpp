// Softmax, LayerNormalization and BatchNormalization (inference) in float32.
#include <cmath>

#include "graph/kernels.hpp"
#include "graph/softmax_axes.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::shape_elements;

std::vector<Tensor> softmax(const Node& node, const KernelInputs& inputs, int64_t opset) {
  Tensor t = float_input(node, inputs, 0);
  const SoftmaxAxes axes = softmax_axes(node, t.shape, opset);
  for (int64_t o = 0; o < axes.outer; ++o) {
    for (int64_t i = 0; i < axes.inner; ++i) {
      float* x = t.floats.data() + o * axes.length * axes.inner + i;
      float m = -INFINITY;
      for (int64_t k = 0; k < axes.length; ++k) m = std::fmax(m, x[k * axes.inner]);
      float sum = 0.0f;
      for (int64_t k = 0; k < axes.length; ++k) sum += (x[k * axes.inner] = std::exp(x[k * axes.inner] - m));
      for (int64_t k = 0; k < axes.length; ++k) x[k * axes.inner] /= sum;
    }
  }
  return outputs(std::move(t));
}

// LayerNormalization (opset 17): normalises over axes [axis, rank); outputs Y, Mean and InvStdDev.
std::vector<Tensor> layer_normalization(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = float_input(node, inputs, 0);
  const Tensor& scale = float_input(node, inputs, 1);
  const Tensor* bias = inputs.size() > 2 && inputs[2] != nullptr ? &float_input(node, inputs, 2) : nullptr;
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const int64_t axis = normalized_axis(node, node.integer("axis", -1), rank);
  const float epsilon = static_cast<float>(node.number("epsilon", 1e-5));
  const std::vector<int64_t> normalized(x.shape.begin() + axis, x.shape.end());
  const int64_t cols = shape_elements(normalized), rows = cols == 0 ? 0 : x.element_count() / cols;
  if (broadcast_shapes(node, scale.shape, normalized) != normalized || (bias && broadcast_shapes(node, bias->shape, normalized) != normalized)) {
    throw Error(node.label() + ": scale and bias must broadcast to the normalised dims " + onnx_import::shape_string(normalized));
  }
  const std::vector<int64_t> is = broadcast_index(scale.shape, normalized);
  const std::vector<int64_t> ib = bias ? broadcast_index(bias->shape, normalized) : std::vector<int64_t>{};
  Tensor y = x;
  std::vector<int64_t> stat_shape = x.shape;
  for (int64_t d = axis; d < rank; ++d) stat_shape[static_cast<size_t>(d)] = 1;
  std::vector<float> means, inverse_std;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y.floats.data() + r * cols;
    float mean = 0.0f;
    for (int64_t c = 0; c < cols; ++c) mean += row[c];
    mean /= static_cast<float>(cols);
    float var = 0.0f;
    for (int64_t c = 0; c < cols; ++c) var += (row[c] - mean) * (row[c] - mean);
    var /= static_cast<float>(cols);
    const float inv = 1.0f / std::sqrt(var + epsilon);
    for (int64_t c = 0; c < cols; ++c) {
      row[c] = (row[c] - mean) * inv * scale.floats[static_cast<size_t>(is[static_cast<size_t>(c)])] +
               (bias ? bias->floats[static_cast<size_t>(ib[static_cast<size_t>(c)])] : 0.0f);
    }
    means.push_back(mean);
    inverse_std.push_back(inv);
  }
  return outputs(std::move(y), Tensor::of_floats(stat_shape, means), Tensor::of_floats(stat_shape, inverse_std));
}

std::vector<Tensor> batch_normalization(const Node& node, const KernelInputs& inputs, int64_t) {
  if (node.integer("training_mode", 0) != 0 || node.outputs.size() > 1) {
    throw Error(node.label() + ": BatchNormalization in training mode is not supported (npusim runs inference)");
  }
  const Tensor& x = float_input(node, inputs, 0);
  if (x.shape.size() < 2) throw Error(node.label() + ": input must be [N, C, ...]");
  const int64_t channels = x.shape[1];
  const Tensor* params[4];
  for (size_t i = 0; i < 4; ++i) {
    params[i] = &float_input(node, inputs, i + 1);
    if (params[i]->element_count() != channels) throw Error(node.label() + ": parameter " + std::to_string(i + 1) + " does not have one value per channel");
  }
  const float epsilon = static_cast<float>(node.number("epsilon", 1e-5));
  Tensor y = x;
  const int64_t inner = shape_elements(std::vector<int64_t>(x.shape.begin() + 2, x.shape.end()));
  for (int64_t n = 0; n < x.shape[0]; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      const size_t k = static_cast<size_t>(c);
      const float factor = params[0]->floats[k] / std::sqrt(params[3]->floats[k] + epsilon);
      float* v = y.floats.data() + (n * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i) v[i] = (v[i] - params[2]->floats[k]) * factor + params[1]->floats[k];
    }
  }
  return outputs(std::move(y));
}

}  // namespace

const std::vector<KernelEntry>& normalization_kernels() {
  static const std::vector<KernelEntry> entries = {{"Softmax", softmax},
                                                   {"LayerNormalization", layer_normalization},
                                                   {"BatchNormalization", batch_normalization}};
  return entries;
}

}  // namespace npusim::graph
