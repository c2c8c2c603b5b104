#include "graph/linear_layers.hpp"

#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::Model;
using onnx_import::Node;
using onnx_import::Tensor;

bool floats(const Tensor* t) { return t != nullptr && t->is_float(); }

// W [D, M] from a MatMul / Gemm weight [K, N] (transposed when the Gemm says so).
lutnn::Matrix matrix_of(const Tensor& w, bool transposed) {
  const int64_t rows = w.shape[0], cols = w.shape[1];
  lutnn::Matrix m(transposed ? cols : rows, transposed ? rows : cols);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) (transposed ? m.at(c, r) : m.at(r, c)) = w.floats[static_cast<size_t>(r * cols + c)];
  }
  return m;
}

// A Gemm's C as one bias per output column, scaled by beta; false when C varies along the rows.
bool column_bias(const Tensor& c, int64_t columns, float beta, std::vector<float>& bias) {
  const int64_t n = c.element_count();
  const bool per_column = (c.shape.size() <= 1 && (n == columns || n == 1)) || (c.shape.size() == 2 && c.shape[0] == 1 && (n == columns || n == 1));
  if (!per_column) return false;
  for (int64_t m = 0; m < columns; ++m) bias.push_back(beta * c.floats[static_cast<size_t>(n == 1 ? 0 : m)]);
  return true;
}

}  // namespace

std::vector<LinearLayer> find_linear_layers(const Model& model) {
  std::vector<LinearLayer> layers;
  for (size_t i = 0; i < model.nodes.size(); ++i) {
    const Node& n = model.nodes[i];
    if ((!n.domain.empty() && n.domain != "ai.onnx") || n.inputs.size() < 2 || n.outputs.empty()) continue;
    if (model.constant(n.inputs[0]) != nullptr) continue;
    const Tensor* w = model.constant(n.inputs[1]);
    if (!floats(w)) continue;
    LinearLayer layer;
    layer.node = i;
    layer.name = n.outputs[0];
    layer.op = n.op_type;
    layer.input = n.inputs[0];
    layer.output = n.outputs[0];
    if (n.op_type == "MatMul") {
      const onnx_import::ValueInfo* x = model.value(n.inputs[0]);
      if (w->shape.size() != 2 || x == nullptr || !x->shape_known || x->shape.size() < 2) continue;
      layer.weights = matrix_of(*w, false);
    } else if (n.op_type == "Gemm") {
      if (w->shape.size() != 2 || n.integer("transA", 0) != 0) continue;
      layer.weights = matrix_of(*w, n.integer("transB", 0) != 0);
      const float alpha = static_cast<float>(n.number("alpha", 1.0));
      for (float& v : layer.weights.values) v *= alpha;
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
        const Tensor* c = model.constant(n.inputs[2]);
        if (!floats(c) || !column_bias(*c, layer.weights.cols, static_cast<float>(n.number("beta", 1.0)), layer.bias)) continue;
      }
    } else if (n.op_type == "Conv") {
      if (n.integer("group", 1) != 1 || w->shape.size() < 3) continue;
      const int64_t out_channels = w->shape[0], patch = w->element_count() / std::max<int64_t>(out_channels, 1);
      layer.weights = lutnn::Matrix(patch, out_channels);
      for (int64_t m = 0; m < out_channels; ++m) {
        for (int64_t k = 0; k < patch; ++k) layer.weights.at(k, m) = w->floats[static_cast<size_t>(m * patch + k)];
      }
      layer.kernel_pixels = patch / w->shape[1];
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
        const Tensor* b = model.constant(n.inputs[2]);
        if (!floats(b) || b->element_count() != out_channels) continue;
        layer.bias = b->floats;
      }
    } else {
      continue;
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

lutnn::Matrix layer_rows(const LinearLayer& layer, const Model& model, const Tensor& input) {
  const Node& node = model.nodes[layer.node];
  const int64_t d = layer.weights.rows;
  if (layer.op != "Conv") {
    if (input.shape.empty() || input.shape.back() != d) {
      throw Error(node.label() + ": input " + onnx_import::shape_string(input.shape) + " does not end in " + std::to_string(d) + " features");
    }
    lutnn::Matrix rows(input.element_count() / d, d);
    rows.values = input.floats;
    return rows;
  }
  const Tensor* w = model.constant(node.inputs[1]);
  const ConvGeometry g = conv_geometry(node, input.shape, w->shape);
  lutnn::Matrix rows(g.batch * g.pixels, g.patch);
  for (int64_t n = 0; n < g.batch; ++n) conv_patch_rows(g, input.floats.data(), n, 0, rows.values.data() + n * g.pixels * g.patch);
  return rows;
}

Tensor layer_output(const LinearLayer& layer, const Model& model, const Tensor& input, const lutnn::Matrix& products) {
  const Node& node = model.nodes[layer.node];
  const int64_t m = layer.weights.cols;
  auto bias = [&](int64_t column) { return layer.bias.empty() ? 0.0f : layer.bias[static_cast<size_t>(column)]; };
  if (layer.op != "Conv") {
    std::vector<int64_t> shape = input.shape;
    shape.back() = m;
    std::vector<float> values(products.values.size());
    for (size_t k = 0; k < values.size(); ++k) values[k] = products.values[k] + bias(static_cast<int64_t>(k % static_cast<size_t>(m)));
    return Tensor::of_floats(shape, std::move(values));
  }
  const ConvGeometry g = conv_geometry(node, input.shape, model.constant(node.inputs[1])->shape);
  std::vector<float> values(static_cast<size_t>(g.batch * m * g.pixels));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t p = 0; p < g.pixels; ++p) {
      for (int64_t c = 0; c < m; ++c) values[static_cast<size_t>((n * m + c) * g.pixels + p)] = products.at(n * g.pixels + p, c) + bias(c);
    }
  }
  return Tensor::of_floats(g.output_shape, std::move(values));
}

}  // namespace npusim::graph
