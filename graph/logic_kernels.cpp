// Comparisons and logic as masks are built (Equal, Less, Greater, LessOrEqual, GreaterOrEqual, Not,
// And, Or, Xor) and Where, NumPy-broadcast, on float, integer and boolean tensors. Comparisons give
// bool tensors.
#include <cmath>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::shape_elements;

// out[k] = op(a[k], b[k]) over the broadcast shape, as bool; operands read as double (exact for int32
// and for the int64 values masks and shapes hold).
template <class Op>
std::vector<Tensor> compare(const Node& node, const KernelInputs& inputs, Op op) {
  const Tensor& a = required_input(node, inputs, 0);
  const Tensor& b = required_input(node, inputs, 1);
  const std::vector<int64_t> shape = broadcast_shapes(node, a.shape, b.shape);
  const std::vector<int64_t> ia = broadcast_index(a.shape, shape), ib = broadcast_index(b.shape, shape);
  std::vector<int64_t> out(ia.size());
  const bool integers = !a.is_float() && !b.is_float();
  for (size_t k = 0; k < out.size(); ++k) {
    out[k] = integers ? op(a.ints[static_cast<size_t>(ia[k])], b.ints[static_cast<size_t>(ib[k])])
                      : op(a.number(ia[k]), b.number(ib[k]));
  }
  return outputs(Tensor::of_ints(shape, std::move(out), ElementType::boolean));
}

const Tensor& boolean_input(const Node& node, const KernelInputs& inputs, size_t index) {
  const Tensor& t = required_input(node, inputs, index);
  if (t.type != ElementType::boolean) {
    throw Error(node.label() + ": input " + std::to_string(index) + " is " + std::string(onnx_import::element_type_name(t.type)) + ", not bool");
  }
  return t;
}

template <class Op>
std::vector<Tensor> logic(const Node& node, const KernelInputs& inputs, Op op) {
  boolean_input(node, inputs, 0);
  boolean_input(node, inputs, 1);
  return compare(node, inputs, [op](auto x, auto y) { return op(x != 0, y != 0); });
}

std::vector<Tensor> equal(const Node& n, const KernelInputs& in, int64_t) {
  return compare(n, in, [](auto a, auto b) { return a == b; });
}
std::vector<Tensor> less(const Node& n, const KernelInputs& in, int64_t) {
  return compare(n, in, [](auto a, auto b) { return a < b; });
}
std::vector<Tensor> greater(const Node& n, const KernelInputs& in, int64_t) {
  return compare(n, in, [](auto a, auto b) { return a > b; });
}
std::vector<Tensor> less_or_equal(const Node& n, const KernelInputs& in, int64_t) {
  return compare(n, in, [](auto a, auto b) { return a <= b; });
}
std::vector<Tensor> greater_or_equal(const Node& n, const KernelInputs& in, int64_t) {
  return compare(n, in, [](auto a, auto b) { return a >= b; });
}
std::vector<Tensor> logical_and(const Node& n, const KernelInputs& in, int64_t) {
  return logic(n, in, [](bool a, bool b) { return a && b; });
}
std::vector<Tensor> logical_or(const Node& n, const KernelInputs& in, int64_t) {
  return logic(n, in, [](bool a, bool b) { return a || b; });
}
std::vector<Tensor> logical_xor(const Node& n, const KernelInputs& in, int64_t) {
  return logic(n, in, [](bool a, bool b) { return a != b; });
}

std::vector<Tensor> logical_not(const Node& node, const KernelInputs& inputs, int64_t) {
  Tensor t = boolean_input(node, inputs, 0);
  for (int64_t& v : t.ints) v = v == 0 ? 1 : 0;
  return outputs(std::move(t));
}

// Where(condition, X, Y): X where the condition holds, else Y; X and Y of one type.
std::vector<Tensor> where(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& c = boolean_input(node, inputs, 0);
  const Tensor& x = required_input(node, inputs, 1);
  const Tensor& y = required_input(node, inputs, 2);
  if (x.type != y.type) {
    throw Error(node.label() + ": X is " + std::string(onnx_import::element_type_name(x.type)) + " and Y " +
                std::string(onnx_import::element_type_name(y.type)));
  }
  const std::vector<int64_t> shape = broadcast_shapes(node, broadcast_shapes(node, c.shape, x.shape), y.shape);
  const std::vector<int64_t> ic = broadcast_index(c.shape, shape), ix = broadcast_index(x.shape, shape), iy = broadcast_index(y.shape, shape);
  Tensor out;
  out.type = x.type;
  out.shape = shape;
  for (size_t k = 0; k < ic.size(); ++k) {
    const bool take_x = c.ints[static_cast<size_t>(ic[k])] != 0;
    const Tensor& from = take_x ? x : y;
    const size_t at = static_cast<size_t>(take_x ? ix[k] : iy[k]);
    if (x.is_float()) out.floats.push_back(from.floats[at]);
    else out.ints.push_back(from.ints[at]);
  }
  return outputs(std::move(out));
}

}  // namespace

const std::vector<KernelEntry>& logic_kernels() {
  static const std::vector<KernelEntry> entries = {
      {"Equal", equal},         {"Less", less},          {"Greater", greater}, {"LessOrEqual", less_or_equal},
      {"GreaterOrEqual", greater_or_equal}, {"And", logical_and}, {"Or", logical_or}, {"Xor", logical_xor},
      {"Not", logical_not},     {"Where", where},
  };
  return entries;
}

}  // namespace npusim::graph
