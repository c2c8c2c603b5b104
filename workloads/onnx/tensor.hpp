// A dense tensor as an imported ONNX graph holds it: weights, folded shape computations, and the
// activations the functional executor (graph/) passes between nodes. Floating-point element types are
// kept as float, integer and boolean ones as int64, with the ONNX element type alongside.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/npy.hpp"

namespace npusim::onnx_import {

enum class ElementType { float32, float64, float16, int8, uint8, int16, uint16, int32, uint32, int64, uint64, boolean, other };

std::string_view element_type_name(ElementType type);
// From ONNX's TensorProto::DataType number; `other` for strings, complex, bfloat16 and unknown codes.
ElementType element_type_from_onnx(int data_type);
int element_type_to_onnx(ElementType type);
bool is_floating(ElementType type);

struct Tensor {
  ElementType type = ElementType::float32;
  std::vector<int64_t> shape;
  std::vector<float> floats;  // floating types
  std::vector<int64_t> ints;  // integer and boolean types

  static Tensor of_floats(std::vector<int64_t> shape, std::vector<float> values);
  static Tensor of_ints(std::vector<int64_t> shape, std::vector<int64_t> values, ElementType type = ElementType::int64);

  int64_t element_count() const;
  bool is_float() const { return is_floating(type); }
  // Element i as a double / an int64, whatever the storage.
  double number(int64_t i) const;
  int64_t integer(int64_t i) const;
};

// A .npy array as a tensor of the same element type (float16 and float64 values held as float).
Tensor tensor_from_npy(const npy::Array& array);

// Product of the dims; 1 for a scalar. Throws npusim::Error past 2^40 elements or for a negative dim.
int64_t shape_elements(const std::vector<int64_t>& shape);
std::string shape_string(const std::vector<int64_t>& shape);  // "[1, 3, 48, 320]"

}  // namespace npusim::onnx_import
