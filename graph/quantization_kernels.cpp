// QuantizeLinear and DequantizeLinear (per tensor or per axis, int8 / uint8): a QDQ model's
// fake-quantisation, run exactly as ONNX defines it (round half to even, saturate).
#include <cmath>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

// Per-element index into the scale / zero point: 0 per tensor, the channel along `axis` per axis.
std::vector<int64_t> parameter_index(const Node& node, const Tensor& x, const Tensor& scale, int64_t opset) {
  std::vector<int64_t> index(static_cast<size_t>(x.element_count()), 0);
  if (scale.element_count() == 1) return index;
  if (opset < 13 || scale.shape.size() != 1) throw Error(node.label() + ": scale must be a scalar, or 1-D along 'axis' (opset 13)");
  const int64_t axis = normalized_axis(node, node.integer("axis", 1), static_cast<int64_t>(x.shape.size()));
  const int64_t length = x.shape[static_cast<size_t>(axis)];
  if (scale.element_count() != length) throw Error(node.label() + ": scale has " + std::to_string(scale.element_count()) + " values for an axis of " + std::to_string(length));
  const int64_t inner = strides_of(x.shape)[static_cast<size_t>(axis)];
  for (size_t i = 0; i < index.size(); ++i) index[i] = (static_cast<int64_t>(i) / inner) % length;
  return index;
}

std::vector<Tensor> quantize_linear(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = float_input(node, inputs, 0);
  const Tensor& scale = float_input(node, inputs, 1);
  const Tensor* zero = inputs.size() > 2 ? inputs[2] : nullptr;
  const ElementType type = zero != nullptr ? zero->type : ElementType::uint8;
  if (type != ElementType::uint8 && type != ElementType::int8) throw Error(node.label() + ": npusim quantizes to int8 or uint8 only");
  const int64_t lo = type == ElementType::uint8 ? 0 : -128, hi = type == ElementType::uint8 ? 255 : 127;
  const std::vector<int64_t> index = parameter_index(node, x, scale, opset);
  std::vector<int64_t> q(index.size());
  for (size_t i = 0; i < q.size(); ++i) {
    const size_t p = static_cast<size_t>(index[i]);
    const int64_t z = zero != nullptr ? zero->ints[zero->ints.size() == 1 ? 0 : p] : 0;
    const double v = std::nearbyint(static_cast<double>(x.floats[i]) / scale.floats[p]) + static_cast<double>(z);
    q[i] = static_cast<int64_t>(std::fmin(std::fmax(v, static_cast<double>(lo)), static_cast<double>(hi)));
  }
  return outputs(Tensor::of_ints(x.shape, std::move(q), type));
}

std::vector<Tensor> dequantize_linear(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& q = required_input(node, inputs, 0);
  if (q.is_float()) throw Error(node.label() + ": input must be quantized integers");
  const Tensor& scale = float_input(node, inputs, 1);
  const Tensor* zero = inputs.size() > 2 ? inputs[2] : nullptr;
  const std::vector<int64_t> index = parameter_index(node, q, scale, opset);
  std::vector<float> x(index.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t p = static_cast<size_t>(index[i]);
    const int64_t z = zero != nullptr ? zero->ints[zero->ints.size() == 1 ? 0 : p] : 0;
    x[i] = static_cast<float>(q.ints[i] - z) * scale.floats[p];
  }
  return outputs(Tensor::of_floats(q.shape, std::move(x)));
}

}  // namespace

const std::vector<KernelEntry>& quantization_kernels() {
  static const std::vector<KernelEntry> entries = {{"QuantizeLinear", quantize_linear}, {"DequantizeLinear", dequantize_linear}};
  return entries;
}

}  // namespace npusim::graph
