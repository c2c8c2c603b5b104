// Ops that move or re-label elements without arithmetic: Reshape, Flatten, Transpose, Squeeze,
// Unsqueeze, Concat, Slice, Gather, Shape and Cast, on float and integer tensors alike.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "graph/kernels.hpp"
#include "common/checked_size.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::shape_elements;
using onnx_import::shape_string;

Tensor with_shape(Tensor t, std::vector<int64_t> shape) {
  t.shape = std::move(shape);
  return t;
}

// The axes of an op that takes them as an attribute before `input_from_opset` and as input 1 after.
std::vector<int64_t> axes_of(const Node& node, const KernelInputs& inputs, int64_t opset, int64_t input_from_opset) {
  if (opset < input_from_opset) return node.integers("axes");
  if (inputs.size() < 2 || inputs[1] == nullptr) return {};
  return inputs[1]->ints;
}

std::vector<Tensor> reshape(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = required_input(node, inputs, 0);
  const std::vector<int64_t> requested = opset < 5 ? node.integers("shape") : required_input(node, inputs, 1).ints;
  const bool allow_zero = node.integer("allowzero", 0) != 0;
  std::vector<int64_t> shape = requested;
  int64_t inferred = -1, known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allow_zero) {
      if (i >= x.shape.size()) throw Error(node.label() + ": shape " + shape_string(requested) + " copies a dimension the input lacks");
      shape[i] = x.shape[i];
    }
    if (shape[i] == -1) {
      if (inferred >= 0) throw Error(node.label() + ": shape " + shape_string(requested) + " has more than one -1");
      inferred = static_cast<int64_t>(i);
    } else if (shape[i] < 0) {
      throw Error(node.label() + ": shape " + shape_string(requested) + " has a negative dimension");
    } else {
      known = checked::mul(known, shape[i], node.label() + ": shape " + shape_string(requested));
    }
  }
  const int64_t count = x.element_count();
  if (inferred >= 0) {
    if (known == 0 || count % known != 0) throw Error(node.label() + ": cannot reshape " + shape_string(x.shape) + " to " + shape_string(requested));
    shape[static_cast<size_t>(inferred)] = count / known;
  }
  if (shape_elements(shape) != count) throw Error(node.label() + ": cannot reshape " + shape_string(x.shape) + " to " + shape_string(requested));
  return outputs(with_shape(x, shape));
}

std::vector<Tensor> flatten(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t axis = node.integer("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) throw Error(node.label() + ": axis is out of range");
  const int64_t outer = shape_elements(std::vector<int64_t>(x.shape.begin(), x.shape.begin() + axis));
  return outputs(with_shape(x, {outer, outer == 0 ? 0 : x.element_count() / outer}));
}

std::vector<Tensor> transpose(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const size_t rank = x.shape.size();
  std::vector<int64_t> perm(rank);
  std::iota(perm.rbegin(), perm.rend(), 0);
  perm = node.integers("perm", perm);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool permutation = sorted.size() == rank;
  for (size_t i = 0; permutation && i < rank; ++i) permutation = sorted[i] == static_cast<int64_t>(i);
  if (!permutation) throw Error(node.label() + ": perm is not a permutation of the input's axes");
  std::vector<int64_t> shape(rank), source_strides(rank);
  const std::vector<int64_t> strides = strides_of(x.shape);
  for (size_t i = 0; i < rank; ++i) {
    shape[i] = x.shape[static_cast<size_t>(perm[i])];
    source_strides[i] = strides[static_cast<size_t>(perm[i])];
  }
  return outputs(gather_elements(x, shape, strided_offsets(shape, source_strides)));
}

std::vector<Tensor> squeeze(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  std::vector<int64_t> axes = axes_of(node, inputs, opset, 13);
  std::vector<bool> drop(x.shape.size(), false);
  if (axes.empty()) {
    for (size_t i = 0; i < x.shape.size(); ++i) drop[i] = x.shape[i] == 1;
  }
  for (const int64_t a : axes) {
    const int64_t axis = normalized_axis(node, a, rank);
    if (x.shape[static_cast<size_t>(axis)] != 1) throw Error(node.label() + ": axis " + std::to_string(a) + " of " + shape_string(x.shape) + " is not 1");
    drop[static_cast<size_t>(axis)] = true;
  }
  std::vector<int64_t> shape;
  for (size_t i = 0; i < x.shape.size(); ++i) {
    if (!drop[i]) shape.push_back(x.shape[i]);
  }
  return outputs(with_shape(x, shape));
}

std::vector<Tensor> unsqueeze(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = required_input(node, inputs, 0);
  const std::vector<int64_t> axes = axes_of(node, inputs, opset, 13);
  const int64_t rank = static_cast<int64_t>(x.shape.size() + axes.size());
  std::vector<bool> inserted(static_cast<size_t>(rank), false);
  for (const int64_t a : axes) {
    const int64_t axis = normalized_axis(node, a, rank);
    if (inserted[static_cast<size_t>(axis)]) throw Error(node.label() + ": axis " + std::to_string(a) + " is given twice");
    inserted[static_cast<size_t>(axis)] = true;
  }
  std::vector<int64_t> shape;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i) shape.push_back(inserted[static_cast<size_t>(i)] ? 1 : x.shape[next++]);
  return outputs(with_shape(x, shape));
}

std::vector<Tensor> concat(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& first = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(first.shape.size());
  const size_t axis = static_cast<size_t>(normalized_axis(node, node.integer("axis", 0), rank));
  std::vector<int64_t> shape = first.shape;
  shape[axis] = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = required_input(node, inputs, i);
    if (t.shape.size() != first.shape.size() || t.is_float() != first.is_float()) throw Error(node.label() + ": inputs differ in rank or type");
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (d != axis && t.shape[d] != first.shape[d]) {
        throw Error(node.label() + ": inputs " + shape_string(first.shape) + " and " + shape_string(t.shape) + " differ off the axis");
      }
    }
    shape[axis] += t.shape[axis];
  }
  const int64_t outer = shape_elements(std::vector<int64_t>(shape.begin(), shape.begin() + static_cast<long>(axis)));
  Tensor out;
  out.type = first.type;
  out.shape = shape;
  for (int64_t o = 0; o < outer; ++o) {
    for (const Tensor* t : inputs) {
      const int64_t block = t->element_count() / std::max<int64_t>(outer, 1);
      if (t->is_float()) out.floats.insert(out.floats.end(), t->floats.begin() + o * block, t->floats.begin() + (o + 1) * block);
      else out.ints.insert(out.ints.end(), t->ints.begin() + o * block, t->ints.begin() + (o + 1) * block);
    }
  }
  return outputs(std::move(out));
}

std::vector<Tensor> slice(const Node& node, const KernelInputs& inputs, int64_t opset) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset < 10) {
    starts = node.integers("starts");
    ends = node.integers("ends");
    axes = node.integers("axes");
  } else {
    starts = required_input(node, inputs, 1).ints;
    ends = required_input(node, inputs, 2).ints;
    if (inputs.size() > 3 && inputs[3] != nullptr) axes = inputs[3]->ints;
    if (inputs.size() > 4 && inputs[4] != nullptr) steps = inputs[4]->ints;
  }
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    throw Error(node.label() + ": starts, ends, axes and steps differ in length");
  }
  std::vector<int64_t> begin(x.shape.size(), 0), step(x.shape.size(), 1), shape = x.shape;
  for (size_t i = 0; i < starts.size(); ++i) {
    const size_t a = static_cast<size_t>(normalized_axis(node, axes[i], rank));
    const int64_t size = x.shape[a];
    if (steps[i] == 0) throw Error(node.label() + ": a step is 0");
    // A step longer than the axis takes the first element only, as does the axis length: clamped to
    // it, a step of INT64_MAX or INT64_MIN keeps the size and offset arithmetic inside 64 bits.
    const int64_t s = std::clamp<int64_t>(steps[i], -std::max<int64_t>(size, 1), std::max<int64_t>(size, 1));
    int64_t b = starts[i] < 0 ? starts[i] + size : starts[i];
    int64_t e = ends[i] < 0 ? ends[i] + size : ends[i];
    if (s > 0) {
      b = std::clamp<int64_t>(b, 0, size);
      e = std::clamp<int64_t>(e, 0, size);
      shape[a] = e > b ? (e - b + s - 1) / s : 0;
    } else {
      b = std::clamp<int64_t>(b, -1, size - 1);
      e = std::clamp<int64_t>(e, -1, size - 1);
      shape[a] = b > e ? (b - e - s - 1) / -s : 0;
    }
    begin[a] = b;
    step[a] = s;
  }
  const std::vector<int64_t> strides = strides_of(x.shape);
  std::vector<int64_t> from;
  from.reserve(static_cast<size_t>(shape_elements(shape)));
  if (shape_elements(shape) > 0) {
    std::vector<int64_t> counter(shape.size(), 0);
    do {
      int64_t offset = 0;
      for (size_t d = 0; d < shape.size(); ++d) offset += (begin[d] + counter[d] * step[d]) * strides[d];
      from.push_back(offset);
      size_t d = shape.size();
      while (d-- > 0) {
        if (++counter[d] < shape[d]) break;
        counter[d] = 0;
      }
      if (d == static_cast<size_t>(-1)) break;
    } while (true);
  }
  return outputs(gather_elements(x, shape, from));
}

std::vector<Tensor> gather(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const Tensor& indices = required_input(node, inputs, 1);
  if (indices.is_float()) throw Error(node.label() + ": indices must be integers");
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const size_t axis = static_cast<size_t>(normalized_axis(node, node.integer("axis", 0), rank));
  const int64_t outer = shape_elements(std::vector<int64_t>(x.shape.begin(), x.shape.begin() + static_cast<long>(axis)));
  const int64_t size = x.shape[axis];
  const int64_t inner = shape_elements(std::vector<int64_t>(x.shape.begin() + static_cast<long>(axis) + 1, x.shape.end()));
  std::vector<int64_t> shape(x.shape.begin(), x.shape.begin() + static_cast<long>(axis));
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), x.shape.begin() + static_cast<long>(axis) + 1, x.shape.end());
  std::vector<int64_t> from;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t index : indices.ints) {
      if (index < -size || index >= size) throw Error(node.label() + ": index " + std::to_string(index) + " is out of range");
      if (index < 0) index += size;
      for (int64_t i = 0; i < inner; ++i) from.push_back((o * size + index) * inner + i);
    }
  }
  return outputs(gather_elements(x, shape, from));
}

std::vector<Tensor> shape(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t start = node.integer("start", 0), end = node.integer("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  std::vector<int64_t> dims(x.shape.begin() + start, x.shape.begin() + std::max(start, end));
  const int64_t n = static_cast<int64_t>(dims.size());
  return outputs(Tensor::of_ints({n}, std::move(dims)));
}

std::vector<Tensor> cast(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = required_input(node, inputs, 0);
  const ElementType to = onnx_import::element_type_from_onnx(static_cast<int>(node.integer("to", 0)));
  if (to == ElementType::other) throw Error(node.label() + ": casting to this element type is not supported");
  Tensor t;
  t.type = to;
  t.shape = x.shape;
  if (onnx_import::is_floating(to)) {
    for (int64_t i = 0; i < x.element_count(); ++i) t.floats.push_back(static_cast<float>(x.number(i)));
  } else if (to == ElementType::boolean) {
    for (int64_t i = 0; i < x.element_count(); ++i) t.ints.push_back(x.number(i) != 0.0);
  } else {
    for (int64_t i = 0; i < x.element_count(); ++i) t.ints.push_back(x.is_float() ? static_cast<int64_t>(std::trunc(x.floats[static_cast<size_t>(i)])) : x.ints[static_cast<size_t>(i)]);
  }
  return outputs(std::move(t));
}

}  // namespace

const std::vector<KernelEntry>& shape_kernels() {
  static const std::vector<KernelEntry> entries = {
      {"Reshape", reshape}, {"Flatten", flatten}, {"Transpose", transpose}, {"Squeeze", squeeze},
      {"Unsqueeze", unsqueeze}, {"Concat", concat}, {"Slice", slice}, {"Gather", gather},
      {"Shape", shape}, {"Cast", cast},
  };
  return entries;
}

}  // namespace npusim::graph
