// The linear layers of an imported model as an NPU's MAC array (or a LUT-NN unit) sees them: a MatMul
// or Gemm with a constant 2-D weight, or a Conv with constant weights and one group, each read as
// activation rows x [rows, D] times a weight matrix W [D, M] plus a bias per output. Rows are the
// flattened leading dims of a MatMul's input, and the input patches (im2col) of a Conv's output pixels.
// Depthwise and grouped convolutions stay out: each output channel sees one channel's window.
#pragma once

#include <string>
#include <vector>

#include "graph/conv_patches.hpp"
#include "models/lutnn/matrix.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

struct LinearLayer {
  size_t node = 0;        // index into Model::nodes
  std::string name;       // the output tensor: how tables and --lutnn-layers name the layer
  std::string op;         // MatMul, Gemm, Conv
  std::string input, output;
  lutnn::Matrix weights;  // [D, M]
  std::vector<float> bias;  // [M], empty without one
  int64_t kernel_pixels = 0;  // Conv: kh * kw (its patch's length per input channel); 0 otherwise
};

// The layers in graph order.
std::vector<LinearLayer> find_linear_layers(const onnx_import::Model& model);

// The activation rows the layer multiplies for an input tensor of the model's shape.
lutnn::Matrix layer_rows(const LinearLayer& layer, const onnx_import::Model& model, const onnx_import::Tensor& input);

// The layer's output tensor from its product rows [rows, M] (bias added here).
onnx_import::Tensor layer_output(const LinearLayer& layer, const onnx_import::Model& model, const onnx_import::Tensor& input,
                                 const lutnn::Matrix& products);

}  // namespace npusim::graph
