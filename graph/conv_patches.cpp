#include "graph/conv_patches.hpp"

#include "common/error.hpp"
#include "workloads/onnx/window.hpp"

namespace npusim::graph {

ConvGeometry conv_geometry(const onnx_import::Node& node, const std::vector<int64_t>& x_shape, const std::vector<int64_t>& w_shape) {
  const size_t spatial_rank = x_shape.size() < 3 ? 0 : x_shape.size() - 2;
  if (spatial_rank < 1 || spatial_rank > 2 || w_shape.size() != x_shape.size()) {
    throw Error(node.label() + ": npusim runs 1-D and 2-D convolutions ([N, C, W] or [N, C, H, W] with weights of the same rank), got input " +
                onnx_import::shape_string(x_shape) + " and weights " + onnx_import::shape_string(w_shape));
  }
  ConvGeometry g;
  g.batch = x_shape[0];
  g.channels = x_shape[1];
  g.out_channels = w_shape[0];
  g.groups = node.integer("group", 1);
  if (g.groups <= 0 || g.channels % g.groups != 0 || g.out_channels % g.groups != 0 || w_shape[1] != g.channels / g.groups) {
    throw Error(node.label() + ": weights " + onnx_import::shape_string(w_shape) + " do not match input " + onnx_import::shape_string(x_shape) +
                " with group " + std::to_string(g.groups));
  }
  const std::vector<int64_t> spatial(x_shape.begin() + 2, x_shape.end());
  const std::vector<int64_t> kernel(w_shape.begin() + 2, w_shape.end());
  if (node.has("kernel_shape") && node.integers("kernel_shape") != kernel) {
    throw Error(node.label() + ": kernel_shape does not match the weights " + onnx_import::shape_string(w_shape));
  }
  const onnx_import::Window win = onnx_import::resolve_window(node, spatial, kernel, false);
  // 1-D runs as 2-D with a height of 1.
  auto dim = [&](const std::vector<int64_t>& v, size_t axis, int64_t one) { return spatial_rank == 1 ? (axis == 0 ? one : v[0]) : v[axis]; };
  g.ih = dim(win.input, 0, 1), g.iw = dim(win.input, 1, 1), g.kh = dim(win.kernel, 0, 1), g.kw = dim(win.kernel, 1, 1);
  g.sh = dim(win.strides, 0, 1), g.sw = dim(win.strides, 1, 1), g.dh = dim(win.dilations, 0, 1), g.dw = dim(win.dilations, 1, 1);
  g.ph = dim(win.pads_begin, 0, 0), g.pw = dim(win.pads_begin, 1, 0);
  g.oh = dim(win.output, 0, 1), g.ow = dim(win.output, 1, 1);
  g.group_channels = g.channels / g.groups;
  g.group_out_channels = g.out_channels / g.groups;
  g.patch = g.group_channels * g.kh * g.kw;
  g.pixels = g.oh * g.ow;
  g.output_shape = {g.batch, g.out_channels};
  g.output_shape.insert(g.output_shape.end(), win.output.begin(), win.output.end());
  return g;
}

void conv_patch_rows(const ConvGeometry& g, const float* x, int64_t n, int64_t group, float* rows) {
  const float* in = x + (n * g.channels + group * g.group_channels) * g.ih * g.iw;
  for (int64_t oy = 0; oy < g.oh; ++oy) {
    for (int64_t ox = 0; ox < g.ow; ++ox) {
      float* row = rows + (oy * g.ow + ox) * g.patch;
      for (int64_t c = 0; c < g.group_channels; ++c) {
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          const int64_t y = oy * g.sh - g.ph + ky * g.dh;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            const int64_t xx = ox * g.sw - g.pw + kx * g.dw;
            row[(c * g.kh + ky) * g.kw + kx] = (y < 0 || y >= g.ih || xx < 0 || xx >= g.iw) ? 0.0f : in[(c * g.ih + y) * g.iw + xx];
          }
        }
      }
    }
  }
}

}  // namespace npusim::graph
