#include "graph/run_limits.hpp"

#include <cmath>

#include "common/error.hpp"

namespace npusim::graph {

namespace {

std::string with_commas(int64_t v) {
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

std::string mib(int64_t bytes) { return with_commas((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

// The multi-index of flat element `flat` of `shape`.
std::string index_text(int64_t flat, const std::vector<int64_t>& shape) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
  return onnx_import::shape_string(index);
}

}  // namespace

ActivationSize activation_size(const onnx_import::Model& model) {
  ActivationSize size;
  for (const auto& node : model.nodes) {
    for (const auto& output : node.outputs) {
      if (output.empty() || model.constant(output) != nullptr) continue;
      const onnx_import::ValueInfo* v = model.value(output);
      if (v == nullptr || !v->shape_known) continue;
      const int64_t elements = onnx_import::shape_elements(v->shape);
      size.bytes += 4 * elements;
      if (elements > size.largest_elements) {
        size.largest_elements = elements;
        size.largest = output;
        size.largest_producer = node.label();
      }
      if (size.bytes > (int64_t{1} << 50)) return size;  // far past any limit; no overflow
    }
  }
  return size;
}

void check_activation_size(const onnx_import::Model& model, const std::string& source) {
  const ActivationSize size = activation_size(model);
  if (size.bytes <= kMaxActivationBytes) return;
  throw Error(source + ": the model's activations for this input take " + mib(size.bytes) + " (largest: '" + size.largest + "' of " +
              size.largest_producer + ", " + with_commas(size.largest_elements) + " elements); infer and calibrate take at most " +
              mib(kMaxActivationBytes) + " (a smaller input or batch fits)");
}

void check_computed_elements(const onnx_import::Node& node, int64_t elements) {
  if (elements <= kMaxActivationBytes / 4) return;
  throw Error(node.label() + ": would compute " + with_commas(elements) + " elements (" + mib(4 * elements) + "); infer and calibrate take at most " +
              mib(kMaxActivationBytes) + " of activations");
}

void check_input_tensor(const onnx_import::Tensor& tensor, const std::string& source) {
  const int64_t n = tensor.element_count();
  if (n > kMaxInputElements) {
    throw Error(source + ": " + with_commas(n) + " elements; infer and calibrate take at most " + with_commas(kMaxInputElements) +
                " per input");
  }
  for (size_t i = 0; i < tensor.floats.size(); ++i) {
    const float v = tensor.floats[i];
    if (!std::isfinite(v)) {
      throw Error(source + ": element " + index_text(static_cast<int64_t>(i), tensor.shape) + " is " + (std::isnan(v) ? "NaN" : "infinite") +
                  "; npusim takes finite inputs");
    }
  }
}

}  // namespace npusim::graph
