#include "workloads/onnx/shape_folding.hpp"

#include <algorithm>

#include "common/checked_size.hpp"
#include "common/error.hpp"

namespace npusim::onnx_import {

namespace {

constexpr int64_t kMaxFoldedElements = 64;  // shape vectors, not data

bool small_integers(const Tensor* t) {
  return t != nullptr && !t->is_float() && t->element_count() <= kMaxFoldedElements;
}

int64_t wrap_axis(const Node& node, int64_t axis, int64_t rank) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw Error(node.label() + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return a;
}

// Python-style clamped slicing of one axis.
std::vector<int64_t> slice_indices(int64_t size, int64_t start, int64_t end, int64_t step) {
  std::vector<int64_t> indices;
  if (step == 0) return indices;
  // A step longer than the axis takes one element, as the axis length does; clamped, `i += step` stays in range.
  step = std::clamp<int64_t>(step, -std::max<int64_t>(size, 1), std::max<int64_t>(size, 1));
  auto clamp = [&](int64_t v, bool is_start) {
    if (v < 0) v += size;
    if (step > 0) return std::clamp<int64_t>(v, 0, size);
    return std::clamp<int64_t>(v, -1, is_start ? size - 1 : size - 1);
  };
  const int64_t s = clamp(start, true), e = clamp(end, false);
  for (int64_t i = s; step > 0 ? i < e : i > e; i += step) indices.push_back(i);
  return indices;
}

std::optional<std::vector<Tensor>> one(Tensor t) { return std::vector<Tensor>{std::move(t)}; }

}  // namespace

std::optional<std::vector<Tensor>> fold_shape_node(const Node& node, int64_t opset, const ConstantLookup& constant_of,
                                                   const ShapeLookup& value_of) {
  if (!node.domain.empty() && node.domain != "ai.onnx") return std::nullopt;
  const std::string& op = node.op_type;
  auto input = [&](size_t i) -> const Tensor* {
    return i < node.inputs.size() && !node.inputs[i].empty() ? constant_of(node.inputs[i]) : nullptr;
  };
  if (op == "Shape" || op == "Size") {
    const ValueInfo* v = node.inputs.empty() ? nullptr : value_of(node.inputs[0]);
    if (v == nullptr || !v->shape_known) return std::nullopt;
    if (op == "Size") return one(Tensor::of_ints({}, {shape_elements(v->shape)}));
    const int64_t rank = static_cast<int64_t>(v->shape.size());
    int64_t start = node.integer("start", 0), end = node.integer("end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    std::vector<int64_t> dims(v->shape.begin() + start, v->shape.begin() + std::max(start, end));
    const int64_t n = static_cast<int64_t>(dims.size());
    return one(Tensor::of_ints({n}, std::move(dims)));
  }
  // Every other foldable op reads small integer constants only.
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    if (node.inputs[i].empty()) continue;
    if (!small_integers(input(i))) return std::nullopt;
  }
  if (node.inputs.empty() || input(0) == nullptr) return std::nullopt;
  const Tensor& x = *input(0);
  if (op == "Identity") return one(x);
  if (op == "Cast") {
    const ElementType to = element_type_from_onnx(static_cast<int>(node.integer("to", 0)));
    if (is_floating(to) || to == ElementType::other) return std::nullopt;  // data, not shapes
    Tensor t = x;
    t.type = to;
    return one(t);
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    if (input(1) == nullptr) return std::nullopt;
    const Tensor& y = *input(1);
    const int64_t nx = x.element_count(), ny = y.element_count();
    if (!(nx == ny || nx == 1 || ny == 1) || x.shape.size() > 1 || y.shape.size() > 1) return std::nullopt;
    // Broadcasting: a one-element operand repeats, so an empty one gives an empty result.
    const int64_t n = nx == 1 ? ny : nx;
    const std::vector<int64_t> shape = x.shape.empty() && y.shape.empty() ? std::vector<int64_t>{} : std::vector<int64_t>{n};
    std::vector<int64_t> out;
    const std::string what = node.label() + ": shape computation";
    for (int64_t i = 0; i < n; ++i) {
      const int64_t a = x.ints[static_cast<size_t>(nx == 1 ? 0 : i)], b = y.ints[static_cast<size_t>(ny == 1 ? 0 : i)];
      out.push_back(op == "Add"   ? checked::add(a, b, what)
                    : op == "Sub" ? checked::sub(a, b, what)
                    : op == "Mul" ? checked::mul(a, b, what)
                                  : checked::div(a, b, what));
    }
    return one(Tensor::of_ints(shape, std::move(out), x.type));
  }
  if (x.shape.size() > 1) return std::nullopt;  // the remaining ops fold 0-d and 1-d vectors only
  if (op == "Concat") {
    Tensor t = Tensor::of_ints({0}, {}, x.type);
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const Tensor* part = input(i);
      if (part == nullptr || part->shape.size() != 1) return std::nullopt;
      t.ints.insert(t.ints.end(), part->ints.begin(), part->ints.end());
    }
    t.shape = {static_cast<int64_t>(t.ints.size())};
    return one(t);
  }
  if (op == "Slice") {
    if (x.shape.size() != 1) return std::nullopt;
    std::vector<int64_t> starts, ends, steps = {1};
    if (opset < 10) {
      starts = node.integers("starts");
      ends = node.integers("ends");
    } else {
      if (input(1) == nullptr || input(2) == nullptr) return std::nullopt;
      starts = input(1)->ints;
      ends = input(2)->ints;
      if (input(4) != nullptr) steps = input(4)->ints;
    }
    if (starts.size() != 1 || ends.size() != 1 || steps.size() != 1) return std::nullopt;
    std::vector<int64_t> out;
    for (const int64_t i : slice_indices(x.shape[0], starts[0], ends[0], steps[0])) out.push_back(x.ints[static_cast<size_t>(i)]);
    const int64_t n = static_cast<int64_t>(out.size());
    return one(Tensor::of_ints({n}, std::move(out), x.type));
  }
  if (op == "Gather") {
    if (x.shape.size() != 1 || input(1) == nullptr) return std::nullopt;
    const Tensor& idx = *input(1);
    std::vector<int64_t> out;
    for (const int64_t i : idx.ints) out.push_back(x.ints[static_cast<size_t>(wrap_axis(node, i, x.shape[0]))]);
    return one(Tensor::of_ints(idx.shape, std::move(out), x.type));
  }
  if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape") {
    // A scalar <-> one-element vector, or a vector reshaped as a vector.
    const int64_t n = x.element_count();
    if (op == "Unsqueeze") return x.shape.empty() ? one(Tensor::of_ints({1}, x.ints, x.type)) : std::nullopt;
    if (op == "Squeeze") return n == 1 && x.shape.size() == 1 ? one(Tensor::of_ints({}, x.ints, x.type)) : std::nullopt;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace npusim::onnx_import
