// An ONNX model read through Debian's libonnx (protobuf classes, checker and shape inference) into
// plain data: nodes in topological order, constant tensors (initializers and Constant nodes), and the
// type and static shape of every tensor for the model's input shapes. No protobuf type leaks out, so
// the importer (workloads/onnx) and the executor (graph/) work on this alone.
//
// Shapes come from ONNX's own shape inference; the small integer computations exporters wrap around
// Reshape (Shape -> Cast -> Slice -> Concat, which libonnx 1.12's data propagation does not follow
// through Cast) are evaluated here for the given input shapes and handed back to it as constants until
// every shape is known (see shape_folding.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "workloads/onnx/tensor.hpp"

namespace npusim::onnx_import {

struct Attribute {
  enum class Kind { number, integer, text, tensor, numbers, integers, texts, other };
  Kind kind = Kind::other;
  double number = 0.0;
  int64_t integer = 0;
  std::string text;
  Tensor tensor;
  std::vector<double> numbers;
  std::vector<int64_t> integers;
  std::vector<std::string> texts;
};

struct Node {
  std::string name;  // may be empty in ONNX; label() falls back to the first output
  std::string op_type;
  std::string domain;                // "" for the default domain
  std::vector<std::string> inputs;   // "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attributes;

  // "Conv 'p2o.Conv.0'": how messages name a node.
  std::string label() const;
  bool has(const std::string& attribute) const { return attributes.count(attribute) != 0; }
  // Typed attribute access with a default; a present attribute of the wrong kind throws npusim::Error.
  int64_t integer(const std::string& attribute, int64_t fallback) const;
  double number(const std::string& attribute, double fallback) const;
  std::string text(const std::string& attribute, const std::string& fallback) const;
  std::vector<int64_t> integers(const std::string& attribute, const std::vector<int64_t>& fallback = {}) const;
  std::vector<double> numbers(const std::string& attribute) const;
};

struct ValueInfo {
  ElementType type = ElementType::other;
  std::vector<int64_t> shape;
  bool shape_known = false;  // every dim static
};

struct Model {
  std::string source;  // the file, for messages
  int64_t ir_version = 0;
  int64_t opset = 0;   // of the default domain
  std::string producer;
  std::vector<Node> nodes;                 // topological order, Constant nodes taken out into `constants`
  int64_t constant_nodes = 0;              // how many Constant nodes there were
  std::map<std::string, Tensor> constants;  // initializers and Constant nodes' values
  std::map<std::string, Tensor> folded;     // shape computations evaluated for the given input shapes
  std::vector<std::string> inputs;          // graph inputs that are not initializers
  std::vector<std::string> outputs;
  std::map<std::string, ValueInfo> values;  // every tensor after shape inference

  const Tensor* constant(const std::string& name) const;  // a constant or a folded value, else nullptr
  const ValueInfo* value(const std::string& name) const;
  // Nodes reading each tensor.
  std::map<std::string, std::vector<size_t>> consumers() const;
};

// Input name -> dims, overriding the model's dynamic (or fixed) dims; the name "" stands for the only
// input of a single-input model.
using InputShapes = std::map<std::string, std::vector<int64_t>>;

// A given input shape the model's declared one rejects (the caller may name the file it came from).
class InputShapeError : public Error {
 public:
  InputShapeError(const std::string& message, std::string input) : Error(message), input_(std::move(input)) {}
  const std::string& input() const { return input_; }

 private:
  std::string input_;
};

// "x=1,3,48,320" -> {"x", {1, 3, 48, 320}}; throws npusim::Error for a malformed spec.
std::pair<std::string, std::vector<int64_t>> parse_input_shape(const std::string& spec);

// Reads and checks the model (protobuf, checker, opset 1..17 of the default domain, topological order),
// binds the input shapes (a dynamic dim without an override is an error naming the input) and infers
// every shape. Every problem is one npusim::Error starting with "path: ".
Model load_model(const std::string& path, const InputShapes& input_shapes = {});
Model parse_model(const std::string& bytes, const std::string& source_name, const InputShapes& input_shapes = {});

// The graph inputs (initializers left out) as the model declares them, a dynamic dim as -1: what a caller
// binds before parse_model when it chooses the dims itself. Throws npusim::Error "source: ..." for
// bytes that are not an ONNX model; an input without a tensor shape is left out (parse_model names it).
std::vector<std::pair<std::string, std::vector<int64_t>>> declared_input_dims(const std::string& bytes, const std::string& source_name);

// A serialized ONNX TensorProto (the conformance suite's input_*.pb / output_*.pb files).
Tensor load_tensor_file(const std::string& path);

}  // namespace npusim::onnx_import
