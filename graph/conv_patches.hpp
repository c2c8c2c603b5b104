// The geometry of a Conv node (1-D or 2-D, groups, strides, dilations, pads) and its input patches
// (im2col): for one image and group, a [pixels, patch] matrix whose row p holds the input window that
// output pixel p sees, in the weights' order (channel, kernel row, kernel column). The FP32 kernel
// multiplies it by the weights; INT8 and LUT-NN linear layers take it as their activation rows.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

struct ConvGeometry {
  int64_t batch = 0, channels = 0, out_channels = 0, groups = 1;
  int64_t ih = 1, iw = 1, kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, ph = 0, pw = 0, oh = 1, ow = 1;
  int64_t group_channels = 0;      // input channels per group
  int64_t group_out_channels = 0;  // output channels per group
  int64_t patch = 0;               // group_channels * kh * kw
  int64_t pixels = 0;              // oh * ow
  std::vector<int64_t> output_shape;
};

// Throws npusim::Error naming the node for shapes or attributes that do not fit.
ConvGeometry conv_geometry(const onnx_import::Node& node, const std::vector<int64_t>& x_shape, const std::vector<int64_t>& w_shape);

// rows[p * patch + k]: the patch of image n, group g (zeros where the window leaves the input).
void conv_patch_rows(const ConvGeometry& g, const float* x, int64_t n, int64_t group, float* rows);

}  // namespace npusim::graph
