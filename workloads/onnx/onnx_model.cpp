#include "workloads/onnx/onnx_model.hpp"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstring>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/half_float.hpp"
#include "workloads/onnx/inference_guard.hpp"
#include "workloads/onnx/shape_folding.hpp"

namespace npusim::onnx_import {

namespace {

constexpr int kMaxFoldingRounds = 64;

[[noreturn]] void fail(const std::string& source, const std::string& message) { throw Error(source + ": " + message); }

// The first line of a library message (ONNX's checker and inference errors span several).
std::string first_line(const std::string& text) {
  const size_t newline = text.find('\n');
  return newline == std::string::npos ? text : text.substr(0, newline);
}

// The first line of a shape-inference error without libonnx's tags, its node named as npusim names
// nodes: "(op_type:Conv, node name: c1): [ShapeInferenceError] ..." -> "Conv 'c1': ...".
std::string inference_message(const std::string& text) {
  std::string line = first_line(text);
  for (const std::string tag : {"[ShapeInferenceError] ", "[TypeInferenceError] ", "Shape inference error(s): "}) {
    for (size_t at = line.find(tag); at != std::string::npos; at = line.find(tag)) line.erase(at, tag.size());
  }
  const std::string op_tag = "(op_type:", name_tag = ", node name: ";
  const size_t op = line.find(op_tag), name = line.find(name_tag), end = line.find("): ");
  if (op == 0 && name != std::string::npos && end != std::string::npos && op < name && name < end) {
    line = line.substr(op_tag.size(), name - op_tag.size()) + " '" + line.substr(name + name_tag.size(), end - name - name_tag.size()) +
           "'" + line.substr(end + 1);
  }
  return line;
}

template <class T>
T read_le(const std::string& raw, size_t index) {
  T v;
  std::memcpy(&v, raw.data() + index * sizeof(T), sizeof(T));
  return v;
}

int raw_element_bytes(ElementType type) {
  switch (type) {
    case ElementType::float64:
    case ElementType::int64:
    case ElementType::uint64: return 8;
    case ElementType::float32:
    case ElementType::int32:
    case ElementType::uint32: return 4;
    case ElementType::float16:
    case ElementType::int16:
    case ElementType::uint16: return 2;
    default: return 1;
  }
}

Tensor decode_tensor(const onnx::TensorProto& proto, const std::string& what, const std::string& source) {
  Tensor t;
  t.type = element_type_from_onnx(proto.data_type());
  if (t.type == ElementType::other) {
    fail(source, what + " has element type " + std::to_string(proto.data_type()) + ", which npusim does not read");
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    fail(source, what + " keeps its data in an external file, which npusim does not read");
  }
  for (const int64_t d : proto.dims()) {
    if (d < 0) fail(source, what + " has a negative dimension");
    t.shape.push_back(d);
  }
  int64_t count = 0;
  try {
    count = shape_elements(t.shape);
  } catch (const Error& e) {
    fail(source, what + ": " + e.what());
  }
  const size_t n = static_cast<size_t>(count);
  auto check = [&](size_t found) {
    if (found != n) {
      fail(source, what + " holds " + std::to_string(found) + " values for shape " + shape_string(t.shape) + " (" +
                       std::to_string(n) + " expected)");
    }
  };
  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    const size_t bytes = static_cast<size_t>(raw_element_bytes(t.type));
    if (raw.size() % bytes != 0) fail(source, what + " has " + std::to_string(raw.size()) + " raw bytes, not a whole number of elements");
    check(raw.size() / bytes);
    if (t.is_float()) t.floats.resize(n);
    else t.ints.resize(n);
    for (size_t i = 0; i < n; ++i) {
      switch (t.type) {
        case ElementType::float32: t.floats[i] = read_le<float>(raw, i); break;
        case ElementType::float64: t.floats[i] = static_cast<float>(read_le<double>(raw, i)); break;
        case ElementType::float16: t.floats[i] = half_to_float(read_le<uint16_t>(raw, i)); break;
        case ElementType::int8: t.ints[i] = read_le<int8_t>(raw, i); break;
        case ElementType::uint8: t.ints[i] = read_le<uint8_t>(raw, i); break;
        case ElementType::boolean: t.ints[i] = read_le<uint8_t>(raw, i) != 0; break;
        case ElementType::int16: t.ints[i] = read_le<int16_t>(raw, i); break;
        case ElementType::uint16: t.ints[i] = read_le<uint16_t>(raw, i); break;
        case ElementType::int32: t.ints[i] = read_le<int32_t>(raw, i); break;
        case ElementType::uint32: t.ints[i] = read_le<uint32_t>(raw, i); break;
        case ElementType::int64: t.ints[i] = read_le<int64_t>(raw, i); break;
        case ElementType::uint64: t.ints[i] = static_cast<int64_t>(read_le<uint64_t>(raw, i)); break;
        case ElementType::other: break;
      }
    }
    return t;
  }
  switch (t.type) {
    case ElementType::float32:
      check(static_cast<size_t>(proto.float_data_size()));
      t.floats.assign(proto.float_data().begin(), proto.float_data().end());
      break;
    case ElementType::float64:
      check(static_cast<size_t>(proto.double_data_size()));
      for (const double v : proto.double_data()) t.floats.push_back(static_cast<float>(v));
      break;
    case ElementType::float16:
      check(static_cast<size_t>(proto.int32_data_size()));
      for (const int32_t v : proto.int32_data()) t.floats.push_back(half_to_float(static_cast<uint16_t>(v)));
      break;
    case ElementType::int64:
      check(static_cast<size_t>(proto.int64_data_size()));
      t.ints.assign(proto.int64_data().begin(), proto.int64_data().end());
      break;
    case ElementType::uint32:
    case ElementType::uint64:
      check(static_cast<size_t>(proto.uint64_data_size()));
      for (const uint64_t v : proto.uint64_data()) t.ints.push_back(static_cast<int64_t>(v));
      break;
    default:  // the narrow integer types and bool travel in int32_data
      check(static_cast<size_t>(proto.int32_data_size()));
      t.ints.assign(proto.int32_data().begin(), proto.int32_data().end());
      break;
  }
  return t;
}

void encode_tensor(const std::string& name, const Tensor& t, onnx::TensorProto& proto) {
  proto.set_name(name);
  proto.set_data_type(element_type_to_onnx(t.type));
  for (const int64_t d : t.shape) proto.add_dims(d);
  if (t.type == ElementType::int64) {
    for (const int64_t v : t.ints) proto.add_int64_data(v);
  } else if (t.type == ElementType::uint32 || t.type == ElementType::uint64) {
    for (const int64_t v : t.ints) proto.add_uint64_data(static_cast<uint64_t>(v));
  } else {
    for (const int64_t v : t.ints) proto.add_int32_data(static_cast<int32_t>(v));
  }
}

Attribute decode_attribute(const onnx::AttributeProto& a, const std::string& what, const std::string& source) {
  Attribute out;
  using A = onnx::AttributeProto;
  switch (a.type()) {
    case A::FLOAT: out.kind = Attribute::Kind::number; out.number = a.f(); break;
    case A::INT: out.kind = Attribute::Kind::integer; out.integer = a.i(); break;
    case A::STRING: out.kind = Attribute::Kind::text; out.text = a.s(); break;
    case A::TENSOR: out.kind = Attribute::Kind::tensor; out.tensor = decode_tensor(a.t(), what, source); break;
    case A::FLOATS:
      out.kind = Attribute::Kind::numbers;
      out.numbers.assign(a.floats().begin(), a.floats().end());
      break;
    case A::INTS:
      out.kind = Attribute::Kind::integers;
      out.integers.assign(a.ints().begin(), a.ints().end());
      break;
    case A::STRINGS:
      out.kind = Attribute::Kind::texts;
      out.texts.assign(a.strings().begin(), a.strings().end());
      break;
    default: out.kind = Attribute::Kind::other; break;  // graphs, sparse tensors, types: no op npusim runs uses them
  }
  return out;
}

// A Constant node's value, whichever of its attributes holds it.
Tensor constant_value(const Node& node, const std::string& source) {
  if (node.attributes.size() != 1) fail(source, node.label() + " must have exactly one value attribute");
  const auto& [name, a] = *node.attributes.begin();
  if (name == "value" && a.kind == Attribute::Kind::tensor) return a.tensor;
  if (name == "value_float" && a.kind == Attribute::Kind::number) return Tensor::of_floats({}, {static_cast<float>(a.number)});
  if (name == "value_floats" && a.kind == Attribute::Kind::numbers) {
    return Tensor::of_floats({static_cast<int64_t>(a.numbers.size())}, std::vector<float>(a.numbers.begin(), a.numbers.end()));
  }
  if (name == "value_int" && a.kind == Attribute::Kind::integer) return Tensor::of_ints({}, {a.integer});
  if (name == "value_ints" && a.kind == Attribute::Kind::integers) {
    return Tensor::of_ints({static_cast<int64_t>(a.integers.size())}, a.integers);
  }
  fail(source, node.label() + ": a Constant given by '" + name + "' is not supported (tensor, float(s) and int(s) are)");
}

ValueInfo value_info_of(const onnx::TypeProto& type) {
  ValueInfo v;
  if (!type.has_tensor_type()) return v;
  v.type = element_type_from_onnx(type.tensor_type().elem_type());
  if (!type.tensor_type().has_shape()) return v;
  v.shape_known = true;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (d.has_dim_value() && d.dim_value() >= 0) {
      v.shape.push_back(d.dim_value());
    } else {
      v.shape.push_back(-1);
      v.shape_known = false;
    }
  }
  return v;
}

std::string dims_text(const onnx::TypeProto& type) {
  if (!type.tensor_type().has_shape()) return "no shape";
  std::string text = "[";
  bool first = true;
  for (const auto& d : type.tensor_type().shape().dim()) {
    text += std::string(first ? "" : ", ") + (d.has_dim_value() ? std::to_string(d.dim_value()) : d.has_dim_param() ? d.dim_param() : "?");
    first = false;
  }
  return text + "]";
}

void check_opset(const onnx::ModelProto& proto, Model& model, const std::string& source) {
  const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  const auto [lowest, highest] = ranges.at("");
  bool found = false;
  for (const auto& import : proto.opset_import()) {
    if (import.domain().empty() || import.domain() == "ai.onnx") {
      found = true;
      model.opset = import.version();
      if (import.version() < lowest || import.version() > highest) {
        fail(source, "opset " + std::to_string(import.version()) + " of the default ONNX domain is not supported (this build reads " +
                         std::to_string(lowest) + ".." + std::to_string(highest) + ")");
      }
    }
  }
  if (!found) fail(source, "the model imports no opset of the default ONNX domain");
}

void bind_input_shapes(onnx::ModelProto& proto, Model& model, const InputShapes& input_shapes, const std::string& source) {
  std::set<std::string> initializers;
  for (const auto& init : proto.graph().initializer()) initializers.insert(init.name());
  std::set<std::string> used;
  size_t graph_inputs = 0;
  for (const auto& input : proto.graph().input()) graph_inputs += initializers.count(input.name()) == 0 ? 1 : 0;
  for (auto& input : *proto.mutable_graph()->mutable_input()) {
    if (initializers.count(input.name()) != 0) continue;
    model.inputs.push_back(input.name());
    auto* tensor_type = input.mutable_type()->mutable_tensor_type();
    if (!input.type().has_tensor_type()) fail(source, "input '" + input.name() + "' is not a tensor");
    // "" names the only input of a single-input model.
    auto it = input_shapes.find(input.name());
    if (it == input_shapes.end() && input_shapes.count("") != 0 && graph_inputs == 1) it = input_shapes.find("");
    if (it == input_shapes.end()) {
      const ValueInfo v = value_info_of(input.type());
      if (!v.shape_known) {
        fail(source, "input '" + input.name() + "' has shape " + dims_text(input.type()) +
                         ": give its dimensions with --input-shape " + input.name() + "=D0,D1,...");
      }
      continue;
    }
    used.insert(it->first);
    const std::vector<int64_t>& dims = it->second;
    if (tensor_type->has_shape()) {
      const auto& declared = tensor_type->shape();
      bool fits = declared.dim_size() == static_cast<int>(dims.size());
      for (int i = 0; fits && i < declared.dim_size(); ++i) {
        fits = !declared.dim(i).has_dim_value() || declared.dim(i).dim_value() == dims[static_cast<size_t>(i)];
      }
      if (!fits) {
        throw InputShapeError(source + ": input '" + input.name() + "' has shape " + dims_text(input.type()) + ", given " +
                                  shape_string(dims),
                              it->first);
      }
    }
    auto* shape = tensor_type->mutable_shape();
    shape->clear_dim();
    for (const int64_t d : dims) {
      if (d < 0) fail(source, "input '" + input.name() + "' given shape " + shape_string(dims) + ": dimensions must be >= 0");
      shape->add_dim()->set_dim_value(d);
    }
  }
  for (const auto& [name, dims] : input_shapes) {
    if (used.count(name) == 0) {
      std::string names;
      for (const auto& n : model.inputs) names += (names.empty() ? "" : ", ") + n;
      fail(source, name.empty() ? "the model has " + std::to_string(graph_inputs) + " inputs (" + names + "): name the one each file is for"
                                : "the model has no input '" + name + "' (inputs: " + names + ")");
    }
  }
}

// Runs ONNX's shape inference, folds the shape computations it could not see through, and repeats
// until nothing more folds.
void infer_shapes(onnx::ModelProto& proto, Model& model, const std::string& source) {
  onnx::ModelProto work = proto;
  const onnx::ShapeInferenceOptions options(false, 1, true);
  std::set<std::string> folded_nodes;
  for (int round = 0; round < kMaxFoldingRounds; ++round) {
    try {
      onnx::shape_inference::InferShapes(work, guarded_schema_registry(), options);
    } catch (const std::exception& e) {
      fail(source, "shape inference: " + inference_message(e.what()));
    }
    model.values.clear();
    auto record = [&](const onnx::ValueInfoProto& v) { model.values[v.name()] = value_info_of(v.type()); };
    for (const auto& v : work.graph().input()) record(v);
    for (const auto& v : work.graph().value_info()) record(v);
    for (const auto& v : work.graph().output()) record(v);
    for (const auto& [name, t] : model.constants) model.values[name] = ValueInfo{t.type, t.shape, true};
    for (const auto& [name, t] : model.folded) model.values[name] = ValueInfo{t.type, t.shape, true};

    bool progress = false;
    for (const Node& node : model.nodes) {
      if (folded_nodes.count(node.outputs.empty() ? "" : node.outputs[0]) != 0) continue;
      std::optional<std::vector<Tensor>> values;
      try {
        values = fold_shape_node(
            node, model.opset, [&](const std::string& name) { return model.constant(name); },
            [&](const std::string& name) { return model.value(name); });
      } catch (const Error& e) {
        fail(source, e.what());
      }
      if (!values || values->size() != node.outputs.size()) continue;
      for (size_t i = 0; i < values->size(); ++i) {
        model.folded[node.outputs[i]] = (*values)[i];
        model.values[node.outputs[i]] = ValueInfo{(*values)[i].type, (*values)[i].shape, true};
      }
      folded_nodes.insert(node.outputs[0]);
      progress = true;
    }
    if (!progress) return;
    // Hand the folded values to the next round as initializers, in place of the nodes that made them.
    work = proto;
    auto* graph = work.mutable_graph();
    graph->clear_node();
    for (const auto& node : proto.graph().node()) {
      if (node.output_size() == 0 || folded_nodes.count(node.output(0)) == 0) *graph->add_node() = node;
    }
    for (const auto& [name, t] : model.folded) encode_tensor(name, t, *graph->add_initializer());
  }
}

}  // namespace

std::string Node::label() const {
  return op_type + " '" + (name.empty() ? (outputs.empty() ? std::string("?") : outputs[0]) : name) + "'";
}

int64_t Node::integer(const std::string& attribute, int64_t fallback) const {
  const auto it = attributes.find(attribute);
  if (it == attributes.end()) return fallback;
  if (it->second.kind != Attribute::Kind::integer) throw Error(label() + ": attribute '" + attribute + "' must be an integer");
  return it->second.integer;
}

double Node::number(const std::string& attribute, double fallback) const {
  const auto it = attributes.find(attribute);
  if (it == attributes.end()) return fallback;
  if (it->second.kind == Attribute::Kind::integer) return static_cast<double>(it->second.integer);
  if (it->second.kind != Attribute::Kind::number) throw Error(label() + ": attribute '" + attribute + "' must be a number");
  return it->second.number;
}

std::string Node::text(const std::string& attribute, const std::string& fallback) const {
  const auto it = attributes.find(attribute);
  if (it == attributes.end()) return fallback;
  if (it->second.kind != Attribute::Kind::text) throw Error(label() + ": attribute '" + attribute + "' must be a string");
  return it->second.text;
}

std::vector<int64_t> Node::integers(const std::string& attribute, const std::vector<int64_t>& fallback) const {
  const auto it = attributes.find(attribute);
  if (it == attributes.end()) return fallback;
  if (it->second.kind != Attribute::Kind::integers) throw Error(label() + ": attribute '" + attribute + "' must be a list of integers");
  return it->second.integers;
}

std::vector<double> Node::numbers(const std::string& attribute) const {
  const auto it = attributes.find(attribute);
  if (it == attributes.end()) return {};
  if (it->second.kind != Attribute::Kind::numbers) throw Error(label() + ": attribute '" + attribute + "' must be a list of numbers");
  return it->second.numbers;
}

const Tensor* Model::constant(const std::string& name) const {
  const auto c = constants.find(name);
  if (c != constants.end()) return &c->second;
  const auto f = folded.find(name);
  return f != folded.end() ? &f->second : nullptr;
}

const ValueInfo* Model::value(const std::string& name) const {
  const auto it = values.find(name);
  return it != values.end() ? &it->second : nullptr;
}

std::map<std::string, std::vector<size_t>> Model::consumers() const {
  std::map<std::string, std::vector<size_t>> readers;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& input : nodes[i].inputs) {
      if (!input.empty()) readers[input].push_back(i);
    }
  }
  return readers;
}

std::pair<std::string, std::vector<int64_t>> parse_input_shape(const std::string& spec) {
  const size_t equals = spec.rfind('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
    throw Error("input shape must be NAME=D0,D1,... (for example x=1,3,48,320), got '" + spec + "'");
  }
  std::vector<int64_t> dims;
  std::stringstream list(spec.substr(equals + 1));
  std::string item;
  while (std::getline(list, item, ',')) {
    size_t used = 0;
    long long d = 0;
    try {
      d = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || d <= 0 || d > kMaxExtent) {
      throw Error("input shape '" + spec + "': '" + item + "' is not a dimension (a whole number > 0)");
    }
    dims.push_back(d);
  }
  return {spec.substr(0, equals), dims};
}

Model parse_model(const std::string& bytes, const std::string& source, const InputShapes& input_shapes) {
  onnx::ModelProto proto;
  if (bytes.empty() || !proto.ParseFromString(bytes)) {
    fail(source, "not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  }
  if (!proto.has_graph() || proto.ir_version() <= 0) {
    fail(source, "not an ONNX model (no graph or no IR version)");
  }
  Model model;
  model.source = source;
  model.ir_version = proto.ir_version();
  model.producer = proto.producer_name();
  check_opset(proto, model, source);
  try {
    onnx::checker::check_model(proto);
  } catch (const std::exception& e) {
    fail(source, first_line(e.what()));
  }

  const auto& graph = proto.graph();
  for (const auto& init : graph.initializer()) {
    model.constants[init.name()] = decode_tensor(init, "initializer '" + init.name() + "'", source);
  }
  std::set<std::string> defined;
  for (const auto& input : graph.input()) defined.insert(input.name());
  for (const auto& init : graph.initializer()) defined.insert(init.name());
  for (const auto& proto_node : graph.node()) {
    Node node;
    node.name = proto_node.name();
    node.op_type = proto_node.op_type();
    node.domain = proto_node.domain();
    node.inputs.assign(proto_node.input().begin(), proto_node.input().end());
    node.outputs.assign(proto_node.output().begin(), proto_node.output().end());
    for (const auto& a : proto_node.attribute()) {
      node.attributes[a.name()] = decode_attribute(a, node.label() + " attribute '" + a.name() + "'", source);
    }
    for (const auto& input : node.inputs) {
      if (!input.empty() && defined.count(input) == 0) {
        fail(source, node.label() + " reads '" + input + "', which no earlier node, input or initializer defines");
      }
    }
    for (const auto& output : node.outputs) defined.insert(output);
    if (node.op_type == "Constant" && (node.domain.empty() || node.domain == "ai.onnx")) {
      if (node.outputs.size() != 1) fail(source, node.label() + " must have one output");
      model.constants[node.outputs[0]] = constant_value(node, source);
      ++model.constant_nodes;
      continue;
    }
    model.nodes.push_back(std::move(node));
  }
  for (const auto& output : graph.output()) {
    if (defined.count(output.name()) == 0) fail(source, "output '" + output.name() + "' is produced by no node");
    model.outputs.push_back(output.name());
  }
  bind_input_shapes(proto, model, input_shapes, source);
  infer_shapes(proto, model, source);
  return model;
}

std::vector<std::pair<std::string, std::vector<int64_t>>> declared_input_dims(const std::string& bytes, const std::string& source) {
  onnx::ModelProto proto;
  if (bytes.empty() || !proto.ParseFromString(bytes) || !proto.has_graph()) {
    fail(source, "not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  }
  std::set<std::string> initializers;
  for (const auto& init : proto.graph().initializer()) initializers.insert(init.name());
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputs;
  for (const auto& input : proto.graph().input()) {
    if (initializers.count(input.name()) != 0 || !input.type().has_tensor_type() || !input.type().tensor_type().has_shape()) continue;
    inputs.emplace_back(input.name(), value_info_of(input.type()).shape);
  }
  return inputs;
}

Model load_model(const std::string& path, const InputShapes& input_shapes) {
  return parse_model(read_file(path, read_limits::onnx_model), path, input_shapes);
}

Tensor load_tensor_file(const std::string& path) {
  onnx::TensorProto proto;
  const std::string bytes = read_file(path, read_limits::onnx_tensor);
  if (!proto.ParseFromString(bytes)) fail(path, "not a serialized ONNX tensor");
  return decode_tensor(proto, "tensor '" + proto.name() + "'", path);
}

}  // namespace npusim::onnx_import
