// The linear ops, through Eigen's GEMM: MatMul (NumPy batching), Gemm, and Conv as an implicit GEMM
// (im2col per group, 1-D and 2-D).
#include <Eigen/Core>

#include "graph/kernels.hpp"
#include "graph/conv_patches.hpp"
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
  return outputs(Tensor::of_floats(shape, std::move(out)));
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
  return outputs(Tensor::of_floats(shape, std::move(out)));
}

std::vector<Tensor> conv(const Node& node, const KernelInputs& inputs, int64_t) {
  const Tensor& x = float_input(node, inputs, 0);
  const Tensor& w = float_input(node, inputs, 1);
  const ConvGeometry g = conv_geometry(node, x.shape, w.shape);
  const float* bias = nullptr;
  if (inputs.size() > 2 && inputs[2] != nullptr) {
    const Tensor& b = float_input(node, inputs, 2);
    if (b.element_count() != g.out_channels) {
      throw Error(node.label() + ": bias has " + std::to_string(b.element_count()) + " values for " + std::to_string(g.out_channels) + " output channels");
    }
    bias = b.floats.data();
  }
  std::vector<float> out(static_cast<size_t>(g.batch * g.out_channels * g.pixels));
  RowMatrix rows(g.pixels, g.patch);
  const int64_t mg = g.group_out_channels;
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t group = 0; group < g.groups; ++group) {
      conv_patch_rows(g, x.floats.data(), n, group, rows.data());
      const ConstMap weights(w.floats.data() + group * mg * g.patch, mg, g.patch);
      Map result(out.data() + (n * g.out_channels + group * mg) * g.pixels, mg, g.pixels);
      result.noalias() = weights * rows.transpose();
      if (bias != nullptr) {
        for (int64_t m = 0; m < mg; ++m) result.row(m).array() += bias[group * mg + m];
      }
    }
  }
  return outputs(Tensor::of_floats(g.output_shape, std::move(out)));
}

}  // namespace

const std::vector<KernelEntry>& linear_kernels() {
  static const std::vector<KernelEntry> entries = {{"MatMul", matmul}, {"Gemm", gemm}, {"Conv", conv}};
  return entries;
}

}  // namespace npusim::graph
