// Element-wise ops: NumPy-broadcast arithmetic and the activation functions, in float32 (integer
// arithmetic in int64 for shape computations).
#include <algorithm>
#include <cmath>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

template <class FloatOp, class IntOp>
std::vector<Tensor> binary(const Node& node, const KernelInputs& inputs, FloatOp float_op, IntOp int_op) {
  const Tensor& a = required_input(node, inputs, 0);
  const Tensor& b = required_input(node, inputs, 1);
  const std::vector<int64_t> shape = broadcast_shapes(node, a.shape, b.shape);
  const int64_t n = onnx_import::shape_elements(shape);
  if (a.is_float() && b.is_float()) {
    // Runs along the last dim with the operands' broadcast strides, no index tables.
    std::vector<float> out(static_cast<size_t>(n));
    if (n == 0) return outputs(Tensor::of_floats(shape, std::move(out)));
    const size_t rank = shape.size();
    const std::vector<int64_t> sa = broadcast_strides(a.shape, shape), sb = broadcast_strides(b.shape, shape);
    const int64_t inner = rank == 0 ? 1 : shape.back();
    const int64_t step_a = rank == 0 ? 0 : sa.back(), step_b = rank == 0 ? 0 : sb.back();
    std::vector<int64_t> counter(rank, 0);
    int64_t ia = 0, ib = 0;
    for (int64_t base = 0; base < n; base += inner) {
      const float* pa = a.floats.data() + ia;
      const float* pb = b.floats.data() + ib;
      float* po = out.data() + base;
      for (int64_t i = 0; i < inner; ++i) po[i] = float_op(pa[i * step_a], pb[i * step_b]);
      for (size_t d = rank == 0 ? 0 : rank - 1; d-- > 0;) {
        if (++counter[d] < shape[d]) {
          ia += sa[d];
          ib += sb[d];
          break;
        }
        ia -= sa[d] * (shape[d] - 1);
        ib -= sb[d] * (shape[d] - 1);
        counter[d] = 0;
      }
    }
    return outputs(Tensor::of_floats(shape, std::move(out)));
  }
  const bool same_a = a.shape == shape, same_b = b.shape == shape;
  const std::vector<int64_t> ia = same_a ? std::vector<int64_t>{} : broadcast_index(a.shape, shape);
  const std::vector<int64_t> ib = same_b ? std::vector<int64_t>{} : broadcast_index(b.shape, shape);
  auto at_a = [&](int64_t k) { return same_a ? k : ia[static_cast<size_t>(k)]; };
  auto at_b = [&](int64_t k) { return same_b ? k : ib[static_cast<size_t>(k)]; };
  if (a.is_float()) {
    std::vector<float> out(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) {
      out[static_cast<size_t>(k)] = float_op(a.floats[static_cast<size_t>(at_a(k))], static_cast<float>(b.number(at_b(k))));
    }
    return outputs(Tensor::of_floats(shape, std::move(out)));
  }
  if (b.is_float()) {  // Pow(int, float): computed in floating point, the result keeps the base's type
    std::vector<int64_t> out(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) {
      out[static_cast<size_t>(k)] = static_cast<int64_t>(std::pow(a.number(at_a(k)), b.number(at_b(k))));
    }
    return outputs(Tensor::of_ints(shape, std::move(out), a.type));
  }
  std::vector<int64_t> out(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    out[static_cast<size_t>(k)] = int_op(a.ints[static_cast<size_t>(at_a(k))], b.ints[static_cast<size_t>(at_b(k))]);
  }
  return outputs(Tensor::of_ints(shape, std::move(out), a.type));
}

template <class Op>
std::vector<Tensor> unary(const Node& node, const KernelInputs& inputs, Op op) {
  Tensor t = float_input(node, inputs, 0);
  for (float& v : t.floats) v = op(v);
  return outputs(std::move(t));
}

// Saturation that lets NaN through (as ONNX's reference does) and compiles to min/max instructions.
inline float clamp(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

int64_t int_divide(const Node& node, int64_t a, int64_t b) {
  if (b == 0) throw Error(node.label() + ": integer division by zero");
  return a / b;
}

std::vector<Tensor> add(const Node& n, const KernelInputs& in, int64_t) {
  return binary(n, in, [](float a, float b) { return a + b; }, [](int64_t a, int64_t b) { return a + b; });
}
std::vector<Tensor> sub(const Node& n, const KernelInputs& in, int64_t) {
  return binary(n, in, [](float a, float b) { return a - b; }, [](int64_t a, int64_t b) { return a - b; });
}
std::vector<Tensor> mul(const Node& n, const KernelInputs& in, int64_t) {
  return binary(n, in, [](float a, float b) { return a * b; }, [](int64_t a, int64_t b) { return a * b; });
}
std::vector<Tensor> div(const Node& n, const KernelInputs& in, int64_t) {
  return binary(n, in, [](float a, float b) { return a / b; }, [&n](int64_t a, int64_t b) { return int_divide(n, a, b); });
}
std::vector<Tensor> pow(const Node& n, const KernelInputs& in, int64_t) {
  return binary(
      n, in, [](float a, float b) { return std::pow(a, b); },
      [](int64_t a, int64_t b) { return static_cast<int64_t>(std::pow(static_cast<double>(a), static_cast<double>(b))); });
}

std::vector<Tensor> relu(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return x > 0.0f ? x : 0.0f; });
}
std::vector<Tensor> leaky_relu(const Node& n, const KernelInputs& in, int64_t) {
  const float alpha = static_cast<float>(n.number("alpha", 0.01));
  return unary(n, in, [alpha](float x) { return x >= 0.0f ? x : alpha * x; });
}
std::vector<Tensor> sigmoid(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
}
std::vector<Tensor> tanh(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::tanh(x); }); }
std::vector<Tensor> exp(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::exp(x); }); }
std::vector<Tensor> erf(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::erf(x); }); }
std::vector<Tensor> sqrt(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::sqrt(x); }); }
std::vector<Tensor> neg(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return -x; }); }
std::vector<Tensor> abs(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::fabs(x); }); }
std::vector<Tensor> reciprocal(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return 1.0f / x; });
}
std::vector<Tensor> hard_sigmoid(const Node& n, const KernelInputs& in, int64_t) {
  const float alpha = static_cast<float>(n.number("alpha", 0.2)), beta = static_cast<float>(n.number("beta", 0.5));
  return unary(n, in, [=](float x) { return clamp(alpha * x + beta, 0.0f, 1.0f); });
}
std::vector<Tensor> hard_swish(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return x * clamp(x / 6.0f + 0.5f, 0.0f, 1.0f); });
}

// Clip: bounds are attributes before opset 11, optional inputs after.
std::vector<Tensor> clip(const Node& n, const KernelInputs& in, int64_t opset) {
  float lo = -INFINITY, hi = INFINITY;
  if (opset < 11) {
    lo = static_cast<float>(n.number("min", -INFINITY));
    hi = static_cast<float>(n.number("max", INFINITY));
  } else {
    for (size_t i = 1; i <= 2; ++i) {
      if (i >= in.size() || in[i] == nullptr) continue;
      if (in[i]->element_count() != 1) throw Error(n.label() + ": clip bounds must be scalars");
      (i == 1 ? lo : hi) = static_cast<float>(in[i]->number(0));
    }
  }
  return unary(n, in, [lo, hi](float x) { return clamp(x, lo, hi); });
}

std::vector<Tensor> identity(const Node& n, const KernelInputs& in, int64_t) { return outputs(required_input(n, in, 0)); }

std::vector<Tensor> sin(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::sin(x); }); }
std::vector<Tensor> cos(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::cos(x); }); }
std::vector<Tensor> log(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::log(x); }); }
std::vector<Tensor> floor(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::floor(x); }); }
std::vector<Tensor> ceil(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::ceil(x); }); }
// Round: half to even, as ONNX (and NumPy) round.
std::vector<Tensor> round(const Node& n, const KernelInputs& in, int64_t) { return unary(n, in, [](float x) { return std::nearbyint(x); }); }
std::vector<Tensor> sign(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x; });
}
std::vector<Tensor> softplus(const Node& n, const KernelInputs& in, int64_t) {
  return unary(n, in, [](float x) { return std::log1p(std::exp(x)); });
}

// Max, Min, Sum and Mean of one or more inputs, broadcast pairwise from the first; NaN propagates.
template <class FloatOp, class IntOp>
std::vector<Tensor> variadic(const Node& node, const KernelInputs& inputs, FloatOp float_op, IntOp int_op) {
  Tensor result = required_input(node, inputs, 0);
  for (size_t i = 1; i < inputs.size(); ++i) result = binary(node, {&result, &required_input(node, inputs, i)}, float_op, int_op)[0];
  return outputs(std::move(result));
}
std::vector<Tensor> max(const Node& n, const KernelInputs& in, int64_t) {
  return variadic(n, in, [](float a, float b) { return std::isnan(a) || a >= b ? a : b; }, [](int64_t a, int64_t b) { return std::max(a, b); });
}
std::vector<Tensor> min(const Node& n, const KernelInputs& in, int64_t) {
  return variadic(n, in, [](float a, float b) { return std::isnan(a) || a <= b ? a : b; }, [](int64_t a, int64_t b) { return std::min(a, b); });
}
std::vector<Tensor> sum(const Node& n, const KernelInputs& in, int64_t) {
  return variadic(n, in, [](float a, float b) { return a + b; }, [](int64_t a, int64_t b) { return a + b; });
}
std::vector<Tensor> mean(const Node& n, const KernelInputs& in, int64_t opset) {
  Tensor t = sum(n, in, opset)[0];
  if (!t.is_float()) throw Error(n.label() + ": Mean of integer tensors is not supported");
  for (float& v : t.floats) v /= static_cast<float>(in.size());
  return outputs(std::move(t));
}

}  // namespace

const std::vector<KernelEntry>& elementwise_kernels() {
  static const std::vector<KernelEntry> entries = {
      {"Add", add},         {"Sub", sub},
      {"Mul", mul},         {"Div", div},
      {"Pow", pow},         {"Relu", relu},
      {"LeakyRelu", leaky_relu}, {"Sigmoid", sigmoid},
      {"Tanh", tanh},       {"Exp", exp},
      {"Erf", erf},         {"Sqrt", sqrt},
      {"Neg", neg},         {"Abs", abs},
      {"Reciprocal", reciprocal}, {"HardSigmoid", hard_sigmoid},
      {"HardSwish", hard_swish}, {"Clip", clip},
      {"Identity", identity},   {"Sin", sin},
      {"Cos", cos},             {"Log", log},
      {"Floor", floor},         {"Ceil", ceil},
      {"Round", round},         {"Sign", sign},
      {"Softplus", softplus},   {"Max", max},
      {"Min", min},             {"Sum", sum},
      {"Mean", mean},
  };
  return entries;
}

}  // namespace npusim::graph
