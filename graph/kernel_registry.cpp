#include <algorithm>
#include <map>

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

const std::map<std::string, Kernel>& registry() {
  static const std::map<std::string, Kernel> table = [] {
    std::map<std::string, Kernel> t;
    for (const auto* entries : {&elementwise_kernels(), &linear_kernels(), &pooling_kernels(), &shape_kernels(),
                                &normalization_kernels(), &quantization_kernels(), &reduction_kernels(), &logic_kernels(),
                                &tensor_kernels()}) {
      for (const auto& e : *entries) t[e.op_type] = e.kernel;
    }
    return t;
  }();
  return table;
}

}  // namespace

Kernel find_kernel(const std::string& op_type) {
  const auto it = registry().find(op_type);
  return it == registry().end() ? nullptr : it->second;
}

std::vector<std::string> supported_op_types() {
  std::vector<std::string> names;
  for (const auto& [name, kernel] : registry()) names.push_back(name);
  return names;
}

const Tensor& required_input(const Node& node, const KernelInputs& inputs, size_t index) {
  if (index >= inputs.size() || inputs[index] == nullptr) {
    throw Error(node.label() + ": input " + std::to_string(index) + " is missing");
  }
  return *inputs[index];
}

const Tensor& float_input(const Node& node, const KernelInputs& inputs, size_t index) {
  const Tensor& t = required_input(node, inputs, index);
  if (!t.is_float()) {
    throw Error(node.label() + ": input " + std::to_string(index) + " is " + std::string(onnx_import::element_type_name(t.type)) +
                "; npusim runs this op on floating-point tensors only");
  }
  return t;
}

int64_t normalized_axis(const Node& node, int64_t axis, int64_t rank) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= std::max<int64_t>(rank, 1)) {
    throw Error(node.label() + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return a;
}

std::vector<int64_t> strides_of(const std::vector<int64_t>& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::vector<int64_t> broadcast_shapes(const Node& node, const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw Error(node.label() + ": shapes " + onnx_import::shape_string(a) + " and " + onnx_import::shape_string(b) +
                  " do not broadcast");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape) {
  const size_t rank = out_shape.size(), offset = rank - shape.size();
  const std::vector<int64_t> in_strides = strides_of(shape);
  std::vector<int64_t> stride(rank, 0);
  for (size_t i = offset; i < rank; ++i) stride[i] = shape[i - offset] == 1 ? 0 : in_strides[i - offset];
  return stride;
}

std::vector<int64_t> strided_offsets(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  std::vector<int64_t> offsets(static_cast<size_t>(onnx_import::shape_elements(shape)));
  std::vector<int64_t> counter(shape.size(), 0);
  int64_t at = 0;
  for (auto& offset : offsets) {
    offset = at;
    for (size_t d = shape.size(); d-- > 0;) {
      if (++counter[d] < shape[d]) {
        at += strides[d];
        break;
      }
      at -= strides[d] * (shape[d] - 1);
      counter[d] = 0;
    }
  }
  return offsets;
}

Tensor gather_elements(const Tensor& source, std::vector<int64_t> shape, const std::vector<int64_t>& from) {
  Tensor t;
  t.type = source.type;
  t.shape = std::move(shape);
  if (source.is_float()) {
    t.floats.reserve(from.size());
    for (const int64_t i : from) t.floats.push_back(source.floats[static_cast<size_t>(i)]);
  } else {
    t.ints.reserve(from.size());
    for (const int64_t i : from) t.ints.push_back(source.ints[static_cast<size_t>(i)]);
  }
  return t;
}

std::vector<int64_t> broadcast_index(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape) {
  return strided_offsets(out_shape, broadcast_strides(shape, out_shape));
}

}  // namespace npusim::graph
