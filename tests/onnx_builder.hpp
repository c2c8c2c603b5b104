// Builds small ONNX models in tests through libonnx's protobuf classes: inputs, initializers, nodes
// with attributes, outputs; written to a file for the loader, the importer and the CLI.
#pragma once

#include <onnx/onnx_pb.h>

#include <fstream>
#include <string>
#include <vector>

namespace npusim::testing {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int64_t opset = 17) {
    model_.set_ir_version(8);
    model_.set_producer_name("npusim-test");
    auto* import = model_.add_opset_import();
    import->set_domain("");
    import->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  // dims < 0 are dynamic (a dim_param).
  OnnxBuilder& input(const std::string& name, const std::vector<int64_t>& dims, int elem_type = ::onnx::TensorProto::FLOAT) {
    auto* v = model_.mutable_graph()->add_input();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elem_type);
    auto* shape = t->mutable_shape();
    for (const int64_t d : dims) {
      if (d < 0) shape->add_dim()->set_dim_param("dynamic");
      else shape->add_dim()->set_dim_value(d);
    }
    return *this;
  }

  // An output of `rank` dims left to shape inference.
  OnnxBuilder& output(const std::string& name, int rank, int elem_type = ::onnx::TensorProto::FLOAT) {
    auto* v = model_.mutable_graph()->add_output();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elem_type);
    auto* shape = t->mutable_shape();
    for (int i = 0; i < rank; ++i) shape->add_dim();
    return *this;
  }

  OnnxBuilder& weights(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    for (const int64_t d : dims) t->add_dims(d);
    for (const float v : values) t->add_float_data(v);
    return *this;
  }

  OnnxBuilder& ints(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (const int64_t v : values) t->add_int64_data(v);
    return *this;
  }

  // An integer initializer of any shape and element type (int64 by default).
  OnnxBuilder& int_weights(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& values,
                           int elem_type = ::onnx::TensorProto::INT64) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(elem_type);
    for (const int64_t d : dims) t->add_dims(d);
    for (const int64_t v : values) {
      if (elem_type == ::onnx::TensorProto::INT64) t->add_int64_data(v);
      else t->add_int32_data(static_cast<int32_t>(v));
    }
    return *this;
  }

  OnnxBuilder& scalar(const std::string& name, float value) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    t->add_float_data(value);
    return *this;
  }

  ::onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                          const std::string& name = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? outputs.at(0) + "_node" : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  static void attribute(::onnx::NodeProto& n, const std::string& name, int64_t value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void attribute(::onnx::NodeProto& n, const std::string& name, float value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::FLOAT);
    a->set_f(value);
  }
  static void attribute(::onnx::NodeProto& n, const std::string& name, const std::string& value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s(value);
  }
  static void attribute(::onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& values) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INTS);
    for (const int64_t v : values) a->add_ints(v);
  }

  std::string bytes() const { return model_.SerializeAsString(); }
  void save(const std::string& path) const { std::ofstream(path, std::ios::binary) << bytes(); }
  ::onnx::ModelProto& proto() { return model_; }

 private:
  ::onnx::ModelProto model_;
};

// A decomposed LayerNorm over the last axis of `x` as PyTorch / Paddle export it, with gamma and beta:
// ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div-Mul-Add. Initializers "<p>.two", "<p>.eps", "<p>.gamma", "<p>.beta".
inline void decomposed_layernorm(OnnxBuilder& b, const std::string& x, const std::string& y, const std::string& p, int64_t width,
                                 float epsilon = 1e-5f) {
  b.scalar(p + ".two", 2.0f).scalar(p + ".eps", epsilon);
  std::vector<float> gamma, beta;
  for (int64_t i = 0; i < width; ++i) {
    gamma.push_back(1.0f + 0.01f * static_cast<float>(i));
    beta.push_back(0.05f * static_cast<float>(i % 3));
  }
  b.weights(p + ".gamma", {width}, gamma).weights(p + ".beta", {width}, beta);
  OnnxBuilder::attribute(b.node("ReduceMean", {x}, {p + ".mean"}), "axes", std::vector<int64_t>{-1});
  b.node("Sub", {x, p + ".mean"}, {p + ".d"});
  b.node("Pow", {p + ".d", p + ".two"}, {p + ".sq"});
  OnnxBuilder::attribute(b.node("ReduceMean", {p + ".sq"}, {p + ".var"}), "axes", std::vector<int64_t>{-1});
  b.node("Add", {p + ".var", p + ".eps"}, {p + ".vareps"});
  b.node("Sqrt", {p + ".vareps"}, {p + ".std"});
  b.node("Div", {p + ".d", p + ".std"}, {p + ".norm"});
  b.node("Mul", {p + ".norm", p + ".gamma"}, {p + ".scaled"});
  b.node("Add", {p + ".scaled", p + ".beta"}, {y});
}

}  // namespace npusim::testing

namespace npusim::testing {

// Deterministic weights in [-scale, scale].
inline std::vector<float> test_weights(size_t n, uint32_t seed, float scale = 0.5f) {
  std::vector<float> w(n);
  uint32_t s = seed * 2654435761u + 1;
  for (auto& v : w) {
    s = s * 1664525u + 1013904223u;
    v = scale * (static_cast<float>(s >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f);
  }
  return w;
}

// One Transformer-like block on x [1, 4, 8] as exporters write it: a decomposed LayerNorm, single-head
// attention (MatMul, Transpose, a scale, Softmax), a residual Add, an MLP with an Erf GELU, and SiLU
// (x * Sigmoid(x)) at the end.
inline OnnxBuilder tiny_block_model() {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 8}).output("y", 3);
  decomposed_layernorm(b, "x", "ln", "ln1", 8);
  b.weights("wq", {8, 8}, test_weights(64, 1)).weights("wk", {8, 8}, test_weights(64, 2)).weights("wv", {8, 8}, test_weights(64, 3));
  b.weights("w1", {8, 16}, test_weights(128, 4)).weights("w2", {16, 8}, test_weights(128, 5));
  b.scalar("attn_scale", 0.35f).scalar("sqrt2", 1.4142135f).scalar("one", 1.0f).scalar("half", 0.5f);
  b.node("MatMul", {"ln", "wq"}, {"q"});
  b.node("MatMul", {"ln", "wk"}, {"k"});
  b.node("MatMul", {"ln", "wv"}, {"v"});
  OnnxBuilder::attribute(b.node("Transpose", {"k"}, {"kt"}), "perm", std::vector<int64_t>{0, 2, 1});
  b.node("MatMul", {"q", "kt"}, {"scores"});
  b.node("Mul", {"scores", "attn_scale"}, {"scaled"});
  OnnxBuilder::attribute(b.node("Softmax", {"scaled"}, {"probs"}), "axis", int64_t{-1});
  b.node("MatMul", {"probs", "v"}, {"attended"});
  b.node("Add", {"x", "attended"}, {"residual"});
  b.node("MatMul", {"residual", "w1"}, {"h"});
  b.node("Div", {"h", "sqrt2"}, {"h_scaled"});
  b.node("Erf", {"h_scaled"}, {"h_erf"});
  b.node("Add", {"h_erf", "one"}, {"h_erf1"});
  b.node("Mul", {"h", "h_erf1"}, {"h_gated"});
  b.node("Mul", {"h_gated", "half"}, {"gelu"});
  b.node("MatMul", {"gelu", "w2"}, {"o"});
  b.node("Sigmoid", {"o"}, {"o_sigmoid"});
  b.node("Mul", {"o", "o_sigmoid"}, {"y"});
  return b;
}

}  // namespace npusim::testing
