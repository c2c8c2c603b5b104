// Ops that make, repeat or cut tensors: Split, Expand, Tile, Range, ConstantOfShape, Trilu and CumSum,
// on float and integer tensors alike (position ids, rotary tables and causal masks are built with them).
#include <algorithm>
#include <cmath>

#include "graph/kernels.hpp"
#include "graph/run_limits.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::shape_elements;
using onnx_import::shape_string;

const std::vector<int64_t>& integer_values(const Node& node, const Tensor& t, const char* what) {
  if (t.is_float()) throw Error(node.label() + ": " + what + " must be integers");
  return t.ints;
}

// Split along `axis` into the sizes of `split` (input 1 from opset 13, the attribute before), or into
// equal parts, one per output.
std::vector<Tensor> split(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const size_t axis = static_cast<size_t>(normalized_axis(node, node.integer("axis", 0), rank));
  const int64_t length = x.shape[axis];
  std::vector<int64_t> sizes;
  if (opset >= 13) {
    if (inputs.size() > 1 && inputs[1] != nullptr) sizes = integer_values(node, *inputs[1], "split sizes");
  } else {
    sizes = node.integers("split");
  }
  const int64_t parts = static_cast<int64_t>(node.outputs.size());
  if (sizes.empty()) {
    if (parts == 0 || length % parts != 0) {
      throw Error(node.label() + ": an axis of " + std::to_string(length) + " does not split into " + std::to_string(parts) + " equal parts");
    }
    sizes.assign(static_cast<size_t>(parts), length / parts);
  }
  int64_t total = 0;
  for (const int64_t s : sizes) {
    if (s < 0) throw Error(node.label() + ": a split size is negative");
    total += s;
  }
  if (total != length || static_cast<int64_t>(sizes.size()) != parts) {
    throw Error(node.label() + ": split sizes " + shape_string(sizes) + " do not cut an axis of " + std::to_string(length) + " into " +
                std::to_string(parts) + " outputs");
  }
  const std::vector<int64_t> strides = strides_of(x.shape);
  const int64_t inner = strides[axis], outer = length == 0 ? 0 : x.element_count() / (length * inner);
  std::vector<Tensor> out;
  int64_t begin = 0;
  for (const int64_t s : sizes) {
    std::vector<int64_t> shape = x.shape;
    shape[axis] = s;
    std::vector<int64_t> from;
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t k = begin; k < begin + s; ++k) {
        for (int64_t i = 0; i < inner; ++i) from.push_back((o * length + k) * inner + i);
      }
    }
    out.push_back(gather_elements(x, shape, from));
    begin += s;
  }
  return out;
}

// Expand: the input broadcast with a shape (both ways, as NumPy's broadcasting of the two shapes).
std::vector<Tensor> expand(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const std::vector<int64_t>& requested = integer_values(node, required_input(node, inputs, 1), "the shape");
  const std::vector<int64_t> shape = broadcast_shapes(node, x.shape, requested);
  check_computed_elements(node, shape_elements(shape));
  return outputs(gather_elements(x, shape, broadcast_index(x.shape, shape)));
}

std::vector<Tensor> tile(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const std::vector<int64_t>& repeats = integer_values(node, required_input(node, inputs, 1), "repeats");
  if (repeats.size() != x.shape.size()) throw Error(node.label() + ": repeats has " + std::to_string(repeats.size()) + " values for rank " + std::to_string(x.shape.size()));
  std::vector<int64_t> shape = x.shape;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (repeats[d] < 0) throw Error(node.label() + ": a repeat is negative");
    if (repeats[d] > 0 && shape[d] > (int64_t{1} << 40) / repeats[d]) throw Error(node.label() + ": repeats make more than 2^40 elements");
    shape[d] *= repeats[d];
  }
  check_computed_elements(node, shape_elements(shape));
  const std::vector<int64_t> strides = strides_of(x.shape);
  std::vector<int64_t> from;
  std::vector<int64_t> index(shape.size(), 0);
  const int64_t n = shape_elements(shape);
  for (int64_t k = 0; k < n; ++k) {
    int64_t offset = 0;
    for (size_t d = 0; d < shape.size(); ++d) offset += (index[d] % x.shape[d]) * strides[d];
    from.push_back(offset);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return outputs(gather_elements(x, shape, from));
}

// Range(start, limit, delta): max(ceil((limit - start) / delta), 0) values start + i delta, in the
// inputs' type.
std::vector<Tensor> range(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor* t[3];
  for (size_t i = 0; i < 3; ++i) {
    t[i] = &required_input(node, inputs, i);
    if (t[i]->element_count() != 1) throw Error(node.label() + ": start, limit and delta must be scalars");
  }
  const double start = t[0]->number(0), limit = t[1]->number(0), delta = t[2]->number(0);
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta)) {
    throw Error(node.label() + ": start, limit and delta must be finite and delta non-zero");
  }
  const double steps = std::max(std::ceil((limit - start) / delta), 0.0);
  if (steps > static_cast<double>(int64_t{1} << 31)) throw Error(node.label() + ": more than 2^31 values");
  const int64_t n = static_cast<int64_t>(steps);
  check_computed_elements(node, n);
  if (t[0]->is_float()) {
    std::vector<float> values;
    for (int64_t i = 0; i < n; ++i) values.push_back(static_cast<float>(start + static_cast<double>(i) * delta));
    Tensor out = Tensor::of_floats({n}, std::move(values));
    out.type = t[0]->type;
    return outputs(std::move(out));
  }
  std::vector<int64_t> values;
  for (int64_t i = 0; i < n; ++i) values.push_back(t[0]->ints[0] + i * t[2]->ints[0]);
  return outputs(Tensor::of_ints({n}, std::move(values), t[0]->type));
}

std::vector<Tensor> constant_of_shape(const Node& node, const KernelInputs& inputs, int64_t) {
  const std::vector<int64_t>& shape = integer_values(node, required_input(node, inputs, 0), "the shape");
  const int64_t n = shape_elements(shape);
  check_computed_elements(node, n);
  Tensor value = Tensor::of_floats({1}, {0.0f});
  const auto it = node.attributes.find("value");
  if (it != node.attributes.end()) {
    if (it->second.kind != onnx_import::Attribute::Kind::tensor || it->second.tensor.element_count() != 1) {
      throw Error(node.label() + ": 'value' must be a one-element tensor");
    }
    value = it->second.tensor;
  }
  Tensor out;
  out.type = value.type;
  out.shape = shape;
  if (value.is_float()) out.floats.assign(static_cast<size_t>(n), value.floats[0]);
  else out.ints.assign(static_cast<size_t>(n), value.ints[0]);
  return outputs(std::move(out));
}

// Trilu: keeps the upper (upper = 1) or lower triangle of the last two dims, shifted by diagonal k.
std::vector<Tensor> trilu(const Node& node, const KernelInputs& inputs, int64_t) {
  Tensor t = required_input(node, inputs, 0);
  if (t.shape.size() < 2) throw Error(node.label() + ": the input must have rank >= 2");
  int64_t k = 0;
  if (inputs.size() > 1 && inputs[1] != nullptr) {
    const auto& values = integer_values(node, *inputs[1], "k");
    if (values.size() != 1) throw Error(node.label() + ": k must be one value");
    k = values[0];
  }
  const bool upper = node.integer("upper", 1) != 0;
  const int64_t rows = t.shape[t.shape.size() - 2], cols = t.shape.back();
  const int64_t n = t.element_count();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t r = (i / cols) % rows, c = i % cols;
    if (upper ? c - r < k : c - r > k) {
      if (t.is_float()) t.floats[static_cast<size_t>(i)] = 0.0f;
      else t.ints[static_cast<size_t>(i)] = 0;
    }
  }
  return outputs(std::move(t));
}

// CumSum along an axis (input 1), optionally exclusive and / or reversed.
std::vector<Tensor> cumsum(const Node& node, const KernelInputs& inputs, int64_t) {
  Tensor t = required_input(node, inputs, 0);
  const auto& axis_values = integer_values(node, required_input(node, inputs, 1), "the axis");
  if (axis_values.size() != 1) throw Error(node.label() + ": the axis must be one value");
  const size_t axis = static_cast<size_t>(normalized_axis(node, axis_values[0], static_cast<int64_t>(t.shape.size())));
  const bool exclusive = node.integer("exclusive", 0) != 0, reverse = node.integer("reverse", 0) != 0;
  const int64_t length = t.shape[axis], inner = strides_of(t.shape)[axis];
  const int64_t outer = length == 0 ? 0 : t.element_count() / (length * inner);
  const Tensor x = t;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      double sum = 0.0;
      for (int64_t step = 0; step < length; ++step) {
        const int64_t k = reverse ? length - 1 - step : step;
        const int64_t at = (o * length + k) * inner + i;
        const double v = x.number(at);
        if (!exclusive) sum += v;
        if (t.is_float()) t.floats[static_cast<size_t>(at)] = static_cast<float>(sum);
        else t.ints[static_cast<size_t>(at)] = static_cast<int64_t>(sum);
        if (exclusive) sum += v;
      }
    }
  }
  return outputs(std::move(t));
}

}  // namespace

const std::vector<KernelEntry>& tensor_kernels() {
  static const std::vector<KernelEntry> entries = {
      {"Split", split}, {"Expand", expand}, {"Tile", tile}, {"Range", range},
      {"ConstantOfShape", constant_of_shape}, {"Trilu", trilu}, {"CumSum", cumsum},
  };
  return entries;
}

}  // namespace npusim::graph
