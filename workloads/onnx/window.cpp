#include "workloads/onnx/window.hpp"

#include <algorithm>

#include "common/checked_size.hpp"
#include "common/error.hpp"

namespace npusim::onnx_import {

Window resolve_window(const Node& node, const std::vector<int64_t>& spatial, const std::vector<int64_t>& kernel,
                      bool allow_ceil_mode) {
  const size_t rank = spatial.size();
  Window w;
  w.input = spatial;
  w.kernel = kernel;
  if (kernel.size() != rank) throw Error(node.label() + ": kernel " + shape_string(kernel) + " does not match the input's spatial rank");
  w.strides = node.integers("strides", std::vector<int64_t>(rank, 1));
  w.dilations = node.integers("dilations", std::vector<int64_t>(rank, 1));
  std::vector<int64_t> pads = node.integers("pads", std::vector<int64_t>(2 * rank, 0));
  if (w.strides.size() != rank || w.dilations.size() != rank || pads.size() != 2 * rank) {
    throw Error(node.label() + ": strides, dilations and pads must match the " + std::to_string(rank) + " spatial dims");
  }
  const std::string auto_pad = node.text("auto_pad", "NOTSET");
  const bool ceil_mode = allow_ceil_mode && node.integer("ceil_mode", 0) != 0;
  w.pads_begin.assign(pads.begin(), pads.begin() + static_cast<long>(rank));
  w.pads_end.assign(pads.begin() + static_cast<long>(rank), pads.end());
  // Attributes and dims are checked before shape inference, but weights give the kernel and a
  // graph's own shapes can be large: every step is overflow-checked (a wrapped size is an error).
  const std::string what = node.label() + ": window size";
  for (size_t i = 0; i < rank; ++i) {
    if (w.strides[i] <= 0 || w.dilations[i] <= 0 || w.kernel[i] <= 0) throw Error(node.label() + ": kernel, strides and dilations must be > 0");
    if (w.pads_begin[i] < 0 || w.pads_end[i] < 0) throw Error(node.label() + ": pads must be >= 0");
    const int64_t extent = checked::add(checked::mul(w.kernel[i] - 1, w.dilations[i], what), 1, what);
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const int64_t out = checked::ceil_div(spatial[i], w.strides[i], what);
      const int64_t covered = checked::add(checked::mul(out - 1, w.strides[i], what), extent, what);
      const int64_t total = std::max<int64_t>(0, checked::sub(covered, spatial[i], what));
      w.pads_begin[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pads_end[i] = total - w.pads_begin[i];
    } else if (auto_pad == "VALID") {
      w.pads_begin[i] = w.pads_end[i] = 0;
    } else if (auto_pad != "NOTSET") {
      throw Error(node.label() + ": unknown auto_pad '" + auto_pad + "'");
    }
    const int64_t padded = checked::sum({spatial[i], w.pads_begin[i], w.pads_end[i]}, what);
    const int64_t span = padded - extent;
    if (span < 0) throw Error(node.label() + ": the kernel is larger than the padded input");
    int64_t out = (ceil_mode ? checked::ceil_div(span, w.strides[i], what) : span / w.strides[i]) + 1;
    // ceil mode: a last window starting in the right padding is dropped
    if (ceil_mode && checked::mul(out - 1, w.strides[i], what) >= spatial[i] + w.pads_begin[i]) --out;
    w.output.push_back(out);
  }
  return w;
}

}  // namespace npusim::onnx_import
