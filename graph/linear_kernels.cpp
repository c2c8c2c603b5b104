// The linear ops, through Eigen's GEMM: MatMul (NumPy batching), Gemm, and Conv as an implicit GEMM
// (im2col per group, 1-D and 2-D).
#include <Eigen/Core>

#include "graph/kernels.hpp"
#include "workloads/onnx/window.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

std::vector<Tensor> matmul(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& a = float_input(node, inputs, 0);
  const Tensor& b = float_input(node, inputs, 1);
  if (a.shape.empty() || b.shape.empty()) throw Error(node.label() + ": MatMul needs inputs of rank >= 1");
  std::vector<int64_t> sa = a.shape, sb = b.shape;
  const bool vector_a = sa.size() == 1, vector_b = sb.size() == 1;
  if (vector_a) sa.insert(sa.begin(), 1);
  if (vector_b) sb.push_back(1);
  const int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  if (sb[sb.size() - 2] != k) {
    throw Error(node.label() + ": shapes " + onnx_import::shape_string(a.shape) + " and " + onnx_import::shape_string(b.shape) +
                " do not multiply");
  }
  const std::vector<int64_t> batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  const std::vector<int64_t> batch = broadcast_shapes(node, batch_a, batch_b);
  const std::vector<int64_t> ia = broadcast_index(batch_a, batch), ib = broadcast_index(batch_b, batch);
  std::vector<float> out(static_cast<size_t>(onnx_import::shape_elements(batch) * m * n));
  for (size_t i = 0; i < ia.size(); ++i) {
    const ConstMap ma(a.floats.data() + ia[i] * m * k, m, k);
    const ConstMap mb(b.floats.data() + ib[i] * k * n, k, n);
    Map(out.data() + static_cast<int64_t>(i) * m * n, m, n).noalias() = ma * mb;
  }
  std::vector<int64_t> shape = batch;
  if (!vector_a) shape.push_back(m);
  if (!vector_b) shape.push_back(n);
  return {Tensor::of_floats(shape, std::move(out))};
}

std::vector<Tensor> gemm(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& a = float_input(node, inputs, 0);
  const Tensor& b = float_input(node, inputs, 1);
  if (a.shape.size() != 2 || b.shape.size() != 2) throw Error(node.label() + ": Gemm takes 2-D inputs");
  const bool trans_a = node.integer("transA", 0) != 0, trans_b = node.integer("transB", 0) != 0;
  const float alpha = static_cast<float>(node.number("alpha", 1.0)), beta = static_cast<float>(node.number("beta", 1.0));
  const ConstMap ma(a.floats.data(), a.shape[0], a.shape[1]);
  const ConstMap mb(b.floats.data(), b.shape[0], b.shape[1]);
  if ((trans_a ? a.shape[0] : a.shape[1]) != (trans_b ? b.shape[1] : b.shape[0])) {
    throw Error(node.label() + ": Gemm inputs " + onnx_import::shape_string(a.shape) + " and " + onnx_import::shape_string(b.shape) +
                " do not multiply");
  }
  const RowMatrix op_a = trans_a ? RowMatrix(ma.transpose()) : RowMatrix(ma);
  const RowMatrix op_b = trans_b ? RowMatrix(mb.transpose()) : RowMatrix(mb);
  RowMatrix y = op_a * op_b;
  y *= alpha;
  const std::vector<int64_t> shape = {y.rows(), y.cols()};
  std::vector<float> out(y.data(), y.data() + y.size());
  if (inputs.size() > 2 && inputs[2] != nullptr) {
    const Tensor& c = float_input(node, inputs, 2);
    if (broadcast_shapes(node, c.shape, shape) != shape) throw Error(node.label() + ": bias C does not broadcast to the output");
    const std::vector<int64_t> ic = broadcast_index(c.shape, shape);
    for (size_t i = 0; i < out.size(); ++i) out[i] += beta * c.floats[static_cast<size_t>(ic[i])];
  }
  return {Tensor::of_floats(shape, std::move(out))};
}

std::vector<Tensor> conv(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = float_input(node, inputs, 0);
  const Tensor& w = float_input(node, inputs, 1);
  const size_t spatial_rank = x.shape.size() < 3 ? 0 : x.shape.size() - 2;
  if (spatial_rank < 1 || spatial_rank > 2 || w.shape.size() != x.shape.size()) {
    throw Error(node.label() + ": npusim runs 1-D and 2-D convolutions ([N, C, W] or [N, C, H, W] with weights of the same rank), got input " +
                onnx_import::shape_string(x.shape) + " and weights " + onnx_import::shape_string(w.shape));
  }
  const int64_t batch = x.shape[0], channels = x.shape[1], out_channels = w.shape[0];
  const int64_t groups = node.integer("group", 1);
  if (groups <= 0 || channels % groups != 0 || out_channels % groups != 0 || w.shape[1] != channels / groups) {
    throw Error(node.label() + ": weights " + onnx_import::shape_string(w.shape) + " do not match input " +
                onnx_import::shape_string(x.shape) + " with group " + std::to_string(groups));
  }
  const std::vector<int64_t> spatial(x.shape.begin() + 2, x.shape.end());
  const std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end());
  if (node.has("kernel_shape") && node.integers("kernel_shape") != kernel) {
    throw Error(node.label() + ": kernel_shape does not match the weights " + onnx_import::shape_string(w.shape));
  }
  const onnx_import::Window win = onnx_import::resolve_window(node, spatial, kernel, false);
  // 1-D runs as 2-D with a height of 1.
  auto dim = [&](const std::vector<int64_t>& v, size_t axis, int64_t one) { return spatial_rank == 1 ? (axis == 0 ? one : v[0]) : v[axis]; };
  const int64_t ih = dim(win.input, 0, 1), iw = dim(win.input, 1, 1), kh = dim(win.kernel, 0, 1), kw = dim(win.kernel, 1, 1);
  const int64_t sh = dim(win.strides, 0, 1), sw = dim(win.strides, 1, 1), dh = dim(win.dilations, 0, 1), dw = dim(win.dilations, 1, 1);
  const int64_t ph = dim(win.pads_begin, 0, 0), pw = dim(win.pads_begin, 1, 0);
  const int64_t oh = dim(win.output, 0, 1), ow = dim(win.output, 1, 1);
  const int64_t cg = channels / groups, mg = out_channels / groups, patch = cg * kh * kw, pixels = oh * ow;

  const float* bias = nullptr;
  if (inputs.size() > 2 && inputs[2] != nullptr) {
    const Tensor& b = float_input(node, inputs, 2);
    if (b.element_count() != out_channels) throw Error(node.label() + ": bias has " + std::to_string(b.element_count()) + " values for " + std::to_string(out_channels) + " output channels");
    bias = b.floats.data();
  }
  std::vector<float> out(static_cast<size_t>(batch * out_channels * pixels));
  RowMatrix columns(patch, pixels);
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t g = 0; g < groups; ++g) {
      const float* in = x.floats.data() + (n * channels + g * cg) * ih * iw;
      for (int64_t c = 0; c < cg; ++c) {
        for (int64_t ky = 0; ky < kh; ++ky) {
          for (int64_t kx = 0; kx < kw; ++kx) {
            float* row = columns.data() + ((c * kh + ky) * kw + kx) * pixels;
            for (int64_t oy = 0; oy < oh; ++oy) {
              const int64_t y = oy * sh - ph + ky * dh;
              for (int64_t ox = 0; ox < ow; ++ox) {
                const int64_t xx = ox * sw - pw + kx * dw;
                row[oy * ow + ox] = (y < 0 || y >= ih || xx < 0 || xx >= iw) ? 0.0f : in[(c * ih + y) * iw + xx];
              }
            }
          }
        }
      }
      const ConstMap weights(w.floats.data() + g * mg * patch, mg, patch);
      Map result(out.data() + (n * out_channels + g * mg) * pixels, mg, pixels);
      result.noalias() = weights * columns;
      if (bias != nullptr) {
        for (int64_t m = 0; m < mg; ++m) result.row(m).array() += bias[g * mg + m];
      }
    }
  }
  std::vector<int64_t> shape = {batch, out_channels};
  shape.insert(shape.end(), win.output.begin(), win.output.end());
  return {Tensor::of_floats(shape, std::move(out))};
}

}  // namespace

const std::vector<KernelEntry>& linear_kernels() {
  static const std::vector<KernelEntry> entries = {{"MatMul", matmul}, {"Gemm", gemm}, {"Conv", conv}};
  return entries;
}

}  // namespace npusim::graph
