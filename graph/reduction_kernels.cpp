// Reductions over a set of axes (ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd,
// ReduceSumSquare, ReduceL2) and the index reductions ArgMax / ArgMin, on float and integer tensors.
// Axes are an attribute, except ReduceSum's from opset 13 (an optional input with noop_with_empty_axes).
#include <cmath>
#include <limits>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::shape_elements;

enum class Reduce { mean, sum, max, min, prod, sum_square, l2 };

struct ReducedShape {
  std::vector<int64_t> kept;    // the input's shape with reduced dims set to 1
  std::vector<int64_t> output;  // without them unless keepdims
};

ReducedShape reduced_shape(const Node& node, const std::vector<int64_t>& shape, const std::vector<bool>& reduced) {
  const bool keep = node.integer("keepdims", 1) != 0;
  ReducedShape r{shape, {}};
  for (size_t d = 0; d < shape.size(); ++d) {
    if (reduced[d]) r.kept[d] = 1;
    if (!reduced[d] || keep) r.output.push_back(r.kept[d]);
  }
  return r;
}

// Which dims a reduction covers; nullopt for ReduceSum's no-op on empty axes.
std::optional<std::vector<bool>> reduced_axes(const Node& node, const KernelInputs& inputs, int64_t opset, Reduce kind, int64_t rank) {
  std::vector<int64_t> axes;
  bool given = false;
  if (kind == Reduce::sum && opset >= 13) {
    if (inputs.size() > 1 && inputs[1] != nullptr) {
      if (inputs[1]->is_float()) throw Error(node.label() + ": axes must be integers");
      axes = inputs[1]->ints;
      given = !axes.empty();
    }
    if (!given && node.integer("noop_with_empty_axes", 0) != 0) return std::nullopt;
  } else {
    given = node.has("axes");
    axes = node.integers("axes");
  }
  std::vector<bool> reduced(static_cast<size_t>(rank), !given);
  for (const int64_t a : axes) reduced[static_cast<size_t>(normalized_axis(node, a, rank))] = true;
  return reduced;
}

std::vector<Tensor> reduce(const Node& node, const KernelInputs& inputs, int64_t opset, Reduce kind) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const auto reduced = reduced_axes(node, inputs, opset, kind, rank);
  if (!reduced) return outputs(x);
  const ReducedShape shape = reduced_shape(node, x.shape, *reduced);
  const std::vector<int64_t> target = broadcast_index(shape.kept, x.shape);
  const size_t slots = static_cast<size_t>(shape_elements(shape.kept));
  const int64_t count = slots == 0 ? 0 : x.element_count() / static_cast<int64_t>(slots);
  const bool extremum = kind == Reduce::max || kind == Reduce::min;
  if (extremum && count == 0 && slots > 0) throw Error(node.label() + ": reduces an empty axis (no maximum or minimum)");
  // In double for every type: exact for the integers shape computations use, and one rounding for floats.
  const double start = kind == Reduce::prod ? 1.0 : kind == Reduce::max ? -INFINITY : kind == Reduce::min ? INFINITY : 0.0;
  std::vector<double> acc(slots, start);
  for (size_t i = 0; i < target.size(); ++i) {
    double& a = acc[static_cast<size_t>(target[i])];
    const double v = x.number(static_cast<int64_t>(i));
    switch (kind) {
      case Reduce::mean:
      case Reduce::sum: a += v; break;
      case Reduce::max: a = std::isnan(v) || v > a ? v : a; break;
      case Reduce::min: a = std::isnan(v) || v < a ? v : a; break;
      case Reduce::prod: a *= v; break;
      case Reduce::sum_square:
      case Reduce::l2: a += v * v; break;
    }
  }
  for (double& a : acc) {
    if (kind == Reduce::mean) a /= static_cast<double>(count);
    if (kind == Reduce::l2) a = std::sqrt(a);
  }
  if (x.is_float()) return outputs(Tensor::of_floats(shape.output, std::vector<float>(acc.begin(), acc.end())));
  std::vector<int64_t> ints;
  for (const double a : acc) ints.push_back(static_cast<int64_t>(a));
  return outputs(Tensor::of_ints(shape.output, std::move(ints), x.type));
}

// ArgMax / ArgMin along one axis: the first (or, with select_last_index, the last) extreme element.
std::vector<Tensor> arg_extreme(const Node& node, const KernelInputs& inputs, bool largest) {
  const Tensor& x = required_input(node, inputs, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const size_t axis = static_cast<size_t>(normalized_axis(node, node.integer("axis", 0), rank));
  const bool last = node.integer("select_last_index", 0) != 0;
  std::vector<bool> reduced(x.shape.size(), false);
  reduced[axis] = true;
  const ReducedShape shape = reduced_shape(node, x.shape, reduced);
  if (x.shape[axis] == 0) throw Error(node.label() + ": the axis is empty");
  const int64_t length = x.shape[axis], inner = strides_of(x.shape)[axis];
  const int64_t outer = x.element_count() / (length * inner);
  std::vector<int64_t> out;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t best = 0;
      double best_value = x.number(o * length * inner + i);
      for (int64_t k = 1; k < length; ++k) {
        const double v = x.number((o * length + k) * inner + i);
        if (largest ? (v > best_value || (last && v == best_value)) : (v < best_value || (last && v == best_value))) {
          best = k;
          best_value = v;
        }
      }
      out.push_back(best);
    }
  }
  return outputs(Tensor::of_ints(shape.output, std::move(out)));
}

std::vector<Tensor> reduce_mean(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::mean); }
std::vector<Tensor> reduce_sum(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::sum); }
std::vector<Tensor> reduce_max(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::max); }
std::vector<Tensor> reduce_min(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::min); }
std::vector<Tensor> reduce_prod(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::prod); }
std::vector<Tensor> reduce_sum_square(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::sum_square); }
std::vector<Tensor> reduce_l2(const Node& n, const KernelInputs& in, int64_t opset) { return reduce(n, in, opset, Reduce::l2); }
std::vector<Tensor> arg_max(const Node& n, const KernelInputs& in, int64_t) { return arg_extreme(n, in, true); }
std::vector<Tensor> arg_min(const Node& n, const KernelInputs& in, int64_t) { return arg_extreme(n, in, false); }

}  // namespace

const std::vector<KernelEntry>& reduction_kernels() {
  static const std::vector<KernelEntry> entries = {
      {"ReduceMean", reduce_mean}, {"ReduceSum", reduce_sum},   {"ReduceMax", reduce_max},
      {"ReduceMin", reduce_min},   {"ReduceProd", reduce_prod}, {"ReduceSumSquare", reduce_sum_square},
      {"ReduceL2", reduce_l2},     {"ArgMax", arg_max},         {"ArgMin", arg_min},
  };
  return entries;
}

}  // namespace npusim::graph
