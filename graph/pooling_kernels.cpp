// Pooling over 1 to 3 spatial dims: AveragePool (count_include_pad), MaxPool (dilations, Indices),
// and their global forms.
#include <cmath>

#include "graph/kernels.hpp"
#include "workloads/onnx/window.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

enum class Pool { average, max };

// Advances a multi-index over `limits`; false after the last one.
bool next_index(std::vector<int64_t>& index, const std::vector<int64_t>& limits) {
  for (size_t d = index.size(); d-- > 0;) {
    if (++index[d] < limits[d]) return true;
    index[d] = 0;
  }
  return false;
}

std::vector<Tensor> pool(const Node& node, const KernelInputs& inputs, Pool kind, bool global) {
  const Tensor& x = float_input(node, inputs, 0);
  if (x.shape.size() < 3 || x.shape.size() > 5) {
    throw Error(node.label() + ": pooling takes [N, C, spatial...] with 1 to 3 spatial dims, got " + onnx_import::shape_string(x.shape));
  }
  const std::vector<int64_t> spatial(x.shape.begin() + 2, x.shape.end());
  const size_t rank = spatial.size();
  onnx_import::Window win;
  if (global) {
    win.input = win.kernel = spatial;
    win.strides = win.dilations = std::vector<int64_t>(rank, 1);
    win.pads_begin = win.pads_end = std::vector<int64_t>(rank, 0);
    win.output = std::vector<int64_t>(rank, 1);
  } else {
    if (!node.has("kernel_shape")) throw Error(node.label() + ": kernel_shape is required");
    if (kind == Pool::average && node.has("dilations")) {
      for (const int64_t d : node.integers("dilations")) {
        if (d != 1) throw Error(node.label() + ": AveragePool with dilations is not supported");
      }
    }
    win = onnx_import::resolve_window(node, spatial, node.integers("kernel_shape"), true);
  }
  // MaxPool's Indices count positions in row-major order (storage_order 0) or column-major (1).
  const bool column_major = kind == Pool::max && node.integer("storage_order", 0) != 0;
  const bool include_pad = node.integer("count_include_pad", 0) != 0;
  const int64_t planes = x.shape[0] * x.shape[1];
  const int64_t in_plane = onnx_import::shape_elements(spatial), out_plane = onnx_import::shape_elements(win.output);
  const std::vector<int64_t> in_strides = strides_of(spatial);
  std::vector<int64_t> index_strides = in_strides;
  if (column_major) {
    for (size_t d = 0; d < rank; ++d) index_strides[d] = d == 0 ? 1 : index_strides[d - 1] * spatial[d - 1];
  }
  std::vector<float> out(static_cast<size_t>(planes * out_plane));
  std::vector<int64_t> indices(kind == Pool::max ? out.size() : 0);
  for (int64_t p = 0; p < planes; ++p) {
    const float* in = x.floats.data() + p * in_plane;
    std::vector<int64_t> o(rank, 0);
    int64_t at = 0;
    do {
      float best = -INFINITY, sum = 0.0f;
      int64_t best_index = -1, valid = 0, padded = 1;
      for (size_t d = 0; d < rank; ++d) {
        // count_include_pad counts the window's positions inside the padded input
        const int64_t start = o[d] * win.strides[d] - win.pads_begin[d];
        const int64_t end = std::min(start + (win.kernel[d] - 1) * win.dilations[d] + 1, win.input[d] + win.pads_end[d]);
        padded *= (end - start + win.dilations[d] - 1) / win.dilations[d];
      }
      std::vector<int64_t> k(rank, 0);
      do {
        int64_t offset = 0, index_offset = 0;
        bool inside = true;
        for (size_t d = 0; d < rank && inside; ++d) {
          const int64_t pos = o[d] * win.strides[d] - win.pads_begin[d] + k[d] * win.dilations[d];
          inside = pos >= 0 && pos < win.input[d];
          offset += pos * in_strides[d];
          index_offset += pos * index_strides[d];
        }
        if (!inside) continue;
        const float v = in[offset];
        ++valid;
        sum += v;
        if (v > best) {
          best = v;
          best_index = p * in_plane + index_offset;
        }
      } while (next_index(k, win.kernel));
      const size_t slot = static_cast<size_t>(p * out_plane + at);
      if (kind == Pool::max) {
        out[slot] = best;
        indices[slot] = best_index;
      } else {
        out[slot] = sum / static_cast<float>(include_pad ? padded : std::max<int64_t>(valid, 1));
      }
      ++at;
    } while (next_index(o, win.output));
  }
  std::vector<int64_t> shape = {x.shape[0], x.shape[1]};
  shape.insert(shape.end(), win.output.begin(), win.output.end());
  std::vector<Tensor> result = {Tensor::of_floats(shape, std::move(out))};
  if (kind == Pool::max && node.outputs.size() > 1) result.push_back(Tensor::of_ints(shape, std::move(indices)));
  return result;
}

std::vector<Tensor> average_pool(const Node& n, const KernelInputs& in, int64_t) { return pool(n, in, Pool::average, false); }
std::vector<Tensor> max_pool(const Node& n, const KernelInputs& in, int64_t) { return pool(n, in, Pool::max, false); }
std::vector<Tensor> global_average_pool(const Node& n, const KernelInputs& in, int64_t) { return pool(n, in, Pool::average, true); }
std::vector<Tensor> global_max_pool(const Node& n, const KernelInputs& in, int64_t) { return pool(n, in, Pool::max, true); }

}  // namespace

const std::vector<KernelEntry>& pooling_kernels() {
  static const std::vector<KernelEntry> entries = {{"AveragePool", average_pool},
                                                   {"MaxPool", max_pool},
                                                   {"GlobalAveragePool", global_average_pool},
                                                   {"GlobalMaxPool", global_max_pool}};
  return entries;
}

}  // namespace npusim::graph
