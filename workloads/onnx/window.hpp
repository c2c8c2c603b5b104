// The sliding-window geometry of Conv and the pooling ops as ONNX defines it, for the importer and the
// executor alike: kernel, strides, dilations, pads (explicit or auto_pad SAME_UPPER / SAME_LOWER /
// VALID) and ceil_mode, resolved into output sizes.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::onnx_import {

struct Window {
  std::vector<int64_t> kernel, strides, dilations;
  std::vector<int64_t> pads_begin, pads_end;
  std::vector<int64_t> input, output;  // spatial sizes
};

// `spatial` are the input's spatial sizes; `kernel` comes from the weights (Conv) or the attribute
// (pooling). Throws npusim::Error naming the node for inconsistent attributes.
Window resolve_window(const Node& node, const std::vector<int64_t>& spatial, const std::vector<int64_t>& kernel,
                      bool allow_ceil_mode);

}  // namespace npusim::onnx_import
