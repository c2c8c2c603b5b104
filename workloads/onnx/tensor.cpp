#include "workloads/onnx/tensor.hpp"

#include <cstring>

#include "common/error.hpp"

namespace npusim::onnx_import {

namespace {

struct TypeInfo {
  ElementType type;
  int onnx;  // TensorProto::DataType
  const char* name;
};

const TypeInfo kTypes[] = {
    {ElementType::float32, 1, "float32"}, {ElementType::uint8, 2, "uint8"},     {ElementType::int8, 3, "int8"},
    {ElementType::uint16, 4, "uint16"},   {ElementType::int16, 5, "int16"},     {ElementType::int32, 6, "int32"},
    {ElementType::int64, 7, "int64"},     {ElementType::boolean, 9, "bool"},    {ElementType::float16, 10, "float16"},
    {ElementType::float64, 11, "float64"}, {ElementType::uint32, 12, "uint32"}, {ElementType::uint64, 13, "uint64"},
};

constexpr int64_t kMaxElements = int64_t{1} << 40;

}  // namespace

std::string_view element_type_name(ElementType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "an unsupported type";
}

ElementType element_type_from_onnx(int data_type) {
  for (const auto& t : kTypes) {
    if (t.onnx == data_type) return t.type;
  }
  return ElementType::other;
}

int element_type_to_onnx(ElementType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.onnx;
  }
  return 0;
}

bool is_floating(ElementType type) {
  return type == ElementType::float32 || type == ElementType::float64 || type == ElementType::float16;
}

Tensor Tensor::of_floats(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t;
  t.type = ElementType::float32;
  t.shape = std::move(shape);
  t.floats = std::move(values);
  return t;
}

Tensor Tensor::of_ints(std::vector<int64_t> shape, std::vector<int64_t> values, ElementType type) {
  Tensor t;
  t.type = type;
  t.shape = std::move(shape);
  t.ints = std::move(values);
  return t;
}

int64_t Tensor::element_count() const { return shape_elements(shape); }

double Tensor::number(int64_t i) const {
  return is_float() ? static_cast<double>(floats[static_cast<size_t>(i)]) : static_cast<double>(ints[static_cast<size_t>(i)]);
}

int64_t Tensor::integer(int64_t i) const {
  return is_float() ? static_cast<int64_t>(floats[static_cast<size_t>(i)]) : ints[static_cast<size_t>(i)];
}

namespace {

ElementType element_type_of(npy::DType dtype) {
  switch (dtype) {
    case npy::DType::float32: return ElementType::float32;
    case npy::DType::float64: return ElementType::float64;
    case npy::DType::float16: return ElementType::float16;
    case npy::DType::int8: return ElementType::int8;
    case npy::DType::uint8: return ElementType::uint8;
    case npy::DType::int16: return ElementType::int16;
    case npy::DType::uint16: return ElementType::uint16;
    case npy::DType::int32: return ElementType::int32;
    case npy::DType::uint32: return ElementType::uint32;
    case npy::DType::int64: return ElementType::int64;
    case npy::DType::uint64: return ElementType::uint64;
    case npy::DType::boolean: return ElementType::boolean;
  }
  return ElementType::other;
}

}  // namespace

Tensor tensor_from_npy(const npy::Array& array) {
  Tensor t;
  t.type = element_type_of(array.dtype);
  t.shape = array.shape;
  const size_t n = static_cast<size_t>(array.element_count());
  if (array.dtype == npy::DType::float32) {
    t.floats.resize(n);
    if (n > 0) std::memcpy(t.floats.data(), array.bytes.data(), n * sizeof(float));
  } else if (array.dtype == npy::DType::int64 || array.dtype == npy::DType::uint64) {
    t.ints.resize(n);  // uint64 past 2^63 wraps, as ONNX's uint64 in an int64 tensor would
    if (n > 0) std::memcpy(t.ints.data(), array.bytes.data(), n * sizeof(int64_t));
  } else {
    const std::vector<double> values = array.to_doubles();  // exact for every other dtype
    if (is_floating(t.type)) t.floats.assign(values.begin(), values.end());
    else t.ints.assign(values.begin(), values.end());
  }
  return t;
}

int64_t shape_elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (const int64_t d : shape) {
    if (d < 0) throw Error("shape " + shape_string(shape) + " has a negative dimension");
    if (d != 0 && n > kMaxElements / d) throw Error("shape " + shape_string(shape) + " has more than 2^40 elements");
    n *= d;
  }
  return n;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace npusim::onnx_import
