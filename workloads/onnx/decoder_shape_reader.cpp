#include "workloads/onnx/decoder_shape_reader.hpp"

#include <map>
#include <optional>
#include <set>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "workloads/onnx/nonlinear_patterns.hpp"

namespace npusim::onnx_import {

namespace {

using workloads::DecoderShape;
using workloads::OpType;

// Ops that may lie between the scores MatMul and the softmax (scaling, masking, casts, layout).
const std::set<std::string>& scores_path_ops() {
  static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "Where", "Cast", "Identity", "Reshape",
                                            "Transpose", "Squeeze", "Unsqueeze", "Expand", "Min", "Max", "Clip", "Tanh"};
  return ops;
}

// `n` is the default domain's `type`, with an input and an output (nodes of other domains are not
// checked against a schema, so they may have neither).
bool decoder_node_is(const Node& n, const char* type) {
  return (n.domain.empty() || n.domain == "ai.onnx") && n.op_type == type && !n.inputs.empty() && !n.outputs.empty();
}

// A projection's output and its input: a MatMul or Gemm with constant weights, or its share of a
// fused projection cut by Split.
struct DecoderProjection {
  int64_t width = 0;
  std::string input;
};

class DecoderGraphReader {
 public:
  explicit DecoderGraphReader(const Model& model)
      : model_(model), consumers_(model.consumers()), instances_(find_nonlinear_instances(model)) {
    for (size_t i = 0; i < model.nodes.size(); ++i) {
      for (const auto& out : model.nodes[i].outputs) {
        if (!out.empty()) producer_[out] = i;
      }
    }
    for (size_t i = 0; i < instances_.size(); ++i) instance_of_output_[instances_[i].output] = i;
    // Which tensors carry the inputs' values (not only their shapes), and which carry attention
    // scores: the product of two such tensors, then scaled, masked or re-laid-out. Nodes come in
    // topological order, so one pass each.
    dependent_.insert(model.inputs.begin(), model.inputs.end());
    for (const Node& node : model.nodes) {
      if (node.op_type == "Shape" || node.op_type == "Size") continue;
      bool reads_values = false, reads_scores = false;
      for (const auto& in : node.inputs) {
        reads_values = reads_values || dependent_.count(in) != 0;
        reads_scores = reads_scores || scores_.count(in) != 0;
      }
      for (const auto& out : node.outputs) {
        if (out.empty() || model.constant(out) != nullptr) continue;
        if (reads_values) dependent_.insert(out);
        if (multiplies_activations(node) || (reads_scores && scores_path_ops().count(node.op_type) != 0)) scores_.insert(out);
      }
    }
  }

  DecoderShape read(const std::string& name) {
    std::vector<size_t> softmaxes;
    for (size_t i = 0; i < instances_.size(); ++i) {
      if (instances_[i].kind == NonlinearKind::softmax) softmaxes.push_back(i);
    }
    if (softmaxes.empty()) refuse("no attention (no softmax in the graph)");
    DecoderShape shape;
    shape.model = name;
    shape.layers = static_cast<int>(softmaxes.size());
    for (size_t layer = 0; layer < softmaxes.size(); ++layer) {
      const size_t end = layer + 1 < softmaxes.size() ? instances_[softmaxes[layer + 1]].nodes.back() : model_.nodes.size();
      const DecoderShape read = read_layer(static_cast<int>(layer), instances_[softmaxes[layer]], end);
      if (layer == 0) {
        shape.hidden = read.hidden, shape.heads = read.heads, shape.kv_heads = read.kv_heads, shape.head_dim = read.head_dim;
        shape.mlp = read.mlp, shape.activation = read.activation, shape.norm = read.norm;
      } else if (read.hidden != shape.hidden || read.heads != shape.heads || read.kv_heads != shape.kv_heads ||
                 read.head_dim != shape.head_dim || read.mlp != shape.mlp || read.activation != shape.activation || read.norm != shape.norm) {
        refuse("layer " + std::to_string(layer) + " differs from layer 0 (" + sizes_text(read) + " against " + sizes_text(shape) +
               "); npusim generates with identical layers");
      }
    }
    check_norm_count(shape);
    shape.vocab = read_vocab();
    if (shape.hidden < 1 || shape.mlp < 1 || shape.vocab < 1) refuse("an empty size (" + sizes_text(shape) + ", vocabulary " + std::to_string(shape.vocab) + ")");
    return shape;
  }

 private:
  [[noreturn]] void refuse(const std::string& what) const { throw Error(model_.source + ": not a decoder npusim can generate with: " + what); }

  static std::string sizes_text(const DecoderShape& s) {
    return "hidden " + std::to_string(s.hidden) + ", " + std::to_string(s.heads) + " heads (" + std::to_string(s.kv_heads) + " kv) of " +
           std::to_string(s.head_dim) + ", MLP " + std::to_string(s.mlp) + " " + std::string(workloads::op_type_name(s.activation)) + ", " +
           std::string(workloads::op_type_name(s.norm));
  }

  bool multiplies_activations(const Node& node) const {
    return decoder_node_is(node, "MatMul") && node.inputs.size() == 2 && dependent_.count(node.inputs[0]) != 0 && dependent_.count(node.inputs[1]) != 0;
  }

  const Node* producer(const std::string& tensor) const {
    const auto it = producer_.find(tensor);
    return it == producer_.end() ? nullptr : &model_.nodes[it->second];
  }

  std::vector<int64_t> shape_of(const std::string& tensor, const std::string& what) const {
    const ValueInfo* v = model_.value(tensor);
    if (v == nullptr || !v->shape_known || v->shape.empty()) refuse(what + " '" + tensor + "' has no static shape");
    return v->shape;
  }

  // Back through casts and copies to the tensor a pattern or a node produced.
  std::string through_casts(std::string tensor) const {
    for (const Node* n = producer(tensor); n != nullptr && (decoder_node_is(*n, "Cast") || decoder_node_is(*n, "Identity")); n = producer(tensor)) {
      tensor = n->inputs[0];
    }
    return tensor;
  }

  // The kind of the norm instance producing `tensor` (through casts), if one does.
  std::optional<NonlinearKind> norm_of(const std::string& tensor) const {
    const auto it = instance_of_output_.find(through_casts(tensor));
    if (it == instance_of_output_.end()) return std::nullopt;
    const NonlinearKind kind = instances_[it->second].kind;
    if (kind != NonlinearKind::rmsnorm && kind != NonlinearKind::layernorm) return std::nullopt;
    return kind;
  }

  // Back from `tensor` along the values it carries to the projection it comes from; where a node reads
  // several such tensors (rotary embeddings: q * cos + rotate_half(q) * sin) the largest is followed.
  DecoderProjection projection_of(const std::string& tensor, const std::string& what) const {
    DecoderProjection p;
    std::string t = tensor;
    for (size_t step = 0; step <= model_.nodes.size(); ++step) {
      const Node* n = producer(t);
      if (n == nullptr) break;
      if ((decoder_node_is(*n, "MatMul") || decoder_node_is(*n, "Gemm")) && n->inputs.size() >= 2 && dependent_.count(n->inputs[0]) != 0 &&
          dependent_.count(n->inputs[1]) == 0) {
        if (p.width == 0) p.width = shape_of(t, what).back();
        p.input = n->inputs[0];
        return p;
      }
      if (decoder_node_is(*n, "Split") && p.width == 0) p.width = shape_of(t, what).back();  // this output's share of a fused projection
      std::string next;
      int64_t largest = -1;
      for (const auto& in : n->inputs) {
        if (in.empty() || dependent_.count(in) == 0) continue;
        const ValueInfo* v = model_.value(in);
        const int64_t elements = v != nullptr && v->shape_known ? shape_elements(v->shape) : 0;
        if (elements > largest) next = in, largest = elements;
      }
      if (next.empty()) break;
      t = next;
    }
    refuse(what + " '" + tensor + "' comes from no projection (a MatMul with constant weights)");
  }

  // Whether `term`, added to or selected into the scores, masks the keys after each query.
  bool is_causal(const std::string& term) const {
    if (const Tensor* c = model_.constant(term)) return triangular(*c);
    std::set<std::string> seen;
    std::vector<std::string> todo = {term};
    while (!todo.empty()) {
      const std::string t = todo.back();
      todo.pop_back();
      if (!seen.insert(t).second) continue;
      const Node* n = producer(t);
      if (n == nullptr) continue;
      if (decoder_node_is(*n, "Trilu")) return true;
      const bool compares = n->op_type == "Greater" || n->op_type == "Less" || n->op_type == "GreaterOrEqual" || n->op_type == "LessOrEqual";
      bool of_values = false;
      for (const auto& in : n->inputs) of_values = of_values || dependent_.count(in) != 0;
      if (compares && !of_values) return true;  // positions against positions, computed from shapes alone
      for (const auto& in : n->inputs) {
        if (!in.empty()) todo.push_back(in);
      }
    }
    return false;
  }

  // A constant [.., T, T] mask: large negative (floats) or set (booleans, either sense) exactly where
  // the key comes after the query.
  static bool triangular(const Tensor& c) {
    const size_t rank = c.shape.size();
    if (rank < 2 || c.shape[rank - 1] != c.shape[rank - 2] || c.shape[rank - 1] < 2) return false;
    const int64_t n = c.shape[rank - 1];
    bool future_set = true, past_set = true;
    for (int64_t i = 0; i < c.element_count(); ++i) {
      const int64_t row = i / n % n, col = i % n;
      const bool future = col > row;
      const bool set = c.is_float() ? c.number(i) <= -1e4 : c.integer(i) != 0;
      future_set = future_set && set == future;
      past_set = past_set && set == !future;
    }
    return future_set || (past_set && !c.is_float());
  }

  DecoderShape read_layer(int layer, const NonlinearInstance& softmax, size_t end) {
    const std::string where = "layer " + std::to_string(layer) + " (softmax '" + softmax.layer + "')";
    // Back from the softmax to the scores MatMul, collecting what is added to or selected into them.
    std::vector<std::string> mask_terms;
    std::string t = softmax.input;
    const Node* qk = nullptr;
    for (size_t step = 0; qk == nullptr; ++step) {
      const Node* n = producer(t);
      if (n == nullptr || scores_.count(t) == 0 || step > model_.nodes.size()) {
        refuse(where + ": no attention scores (a MatMul of two activations) before the softmax");
      }
      if (multiplies_activations(*n)) {
        qk = n;
        break;
      }
      std::string next;
      for (const auto& in : n->inputs) {
        if (in.empty()) continue;
        if (next.empty() && scores_.count(in) != 0) {
          next = in;
        } else if (n->op_type == "Add" || n->op_type == "Sub" || n->op_type == "Where" || n->op_type == "Min" || n->op_type == "Max") {
          mask_terms.push_back(in);
        }
      }
      t = next;
    }
    bool causal = false;
    for (const auto& term : mask_terms) causal = causal || is_causal(term);
    if (!causal) {
      refuse(where + ": no causal mask on the attention scores (a Trilu, a comparison of positions, or a constant triangular mask, added to "
                     "or selected into them)");
    }
    // Heads off Q and K.
    const std::vector<int64_t> q = shape_of(qk->inputs[0], "Q"), k = shape_of(qk->inputs[1], "K");
    if (q.size() < 3 || k.size() < 3) {
      refuse(where + ": attention heads could not be read: the scores MatMul " + qk->label() + " multiplies " + shape_string(q) + " by " +
             shape_string(k) + ", not [.., heads, tokens, head_dim] by [.., heads, head_dim, tokens]");
    }
    DecoderShape s;
    s.heads = q[q.size() - 3];
    s.head_dim = q.back();
    if (s.heads < 1 || s.head_dim < 1) refuse(where + ": attention heads could not be read: Q is " + shape_string(q));
    if (k[k.size() - 2] != s.head_dim || k.back() != q[q.size() - 2]) {
      refuse(where + ": attention heads could not be read: K " + shape_string(k) + " does not fit Q " + shape_string(q) +
             " (self-attention over the prompt, K transposed; a graph with past key/value inputs is a decode step's, export the prompt's)");
    }
    // V: the MatMul the probabilities feed.
    std::string probs = softmax.output;
    const Node* context = nullptr;
    for (size_t step = 0; context == nullptr && step <= model_.nodes.size(); ++step) {
      const auto readers = consumers_.find(probs);
      if (readers == consumers_.end() || readers->second.size() != 1) break;
      const Node& n = model_.nodes[readers->second.front()];
      if (decoder_node_is(n, "MatMul") && n.inputs.size() == 2 && n.inputs[0] == probs) context = &n;
      else if (decoder_node_is(n, "Cast") || decoder_node_is(n, "Identity") || decoder_node_is(n, "Dropout")) probs = n.outputs[0];
      else break;
    }
    if (context == nullptr) refuse(where + ": the probabilities feed no MatMul with V");
    const int64_t v_width = shape_of(context->inputs[1], "V").back();
    if (v_width != s.head_dim) {
      refuse(where + ": V's heads are " + std::to_string(v_width) + " wide, Q's and K's " + std::to_string(s.head_dim) + " (npusim takes one head_dim)");
    }
    // Widths off the projections.
    const DecoderProjection q_proj = projection_of(qk->inputs[0], where + ": Q");
    const DecoderProjection k_proj = projection_of(qk->inputs[1], where + ": K");
    if (q_proj.width != s.heads * s.head_dim || k_proj.width % s.head_dim != 0 || k_proj.width == 0 || s.heads % (k_proj.width / s.head_dim) != 0) {
      refuse(where + ": attention heads could not be read: Q's projection is " + std::to_string(q_proj.width) + " wide and K's " +
             std::to_string(k_proj.width) + ", for " + std::to_string(s.heads) + " heads of " + std::to_string(s.head_dim));
    }
    s.kv_heads = k_proj.width / s.head_dim;
    s.hidden = shape_of(q_proj.input, "the attention's input").back();
    const auto attention_norm = norm_of(q_proj.input);
    if (!attention_norm) refuse(where + ": the Q projection reads '" + q_proj.input + "', not a norm's output (npusim reads pre-norm decoders)");
    s.norm = *attention_norm == NonlinearKind::rmsnorm ? OpType::rmsnorm : OpType::layernorm;
    read_mlp(where, softmax.nodes.back(), end, s);
    return s;
  }

  // The layer's MLP: its one activation among the nodes after the softmax, up to `end`.
  void read_mlp(const std::string& where, size_t begin, size_t end, DecoderShape& s) const {
    std::vector<std::pair<std::string, std::string>> found;  // input, output
    std::vector<OpType> types;
    for (const auto& inst : instances_) {
      const bool activation = inst.kind == NonlinearKind::silu || inst.kind == NonlinearKind::gelu || inst.kind == NonlinearKind::gelu_tanh;
      if (!activation || inst.nodes.back() <= begin || inst.nodes.back() >= end) continue;
      found.emplace_back(inst.input, inst.output);
      types.push_back(inst.kind == NonlinearKind::silu ? OpType::silu : OpType::gelu);
    }
    for (size_t i = begin + 1; i < end; ++i) {
      if (decoder_node_is(model_.nodes[i], "Relu")) {
        found.emplace_back(model_.nodes[i].inputs[0], model_.nodes[i].outputs[0]);
        types.push_back(OpType::relu);
      }
    }
    if (found.size() != 1) {
      refuse(where + ": " + std::to_string(found.size()) + " MLP activations (SiLU, GELU or ReLU) after the attention, not one");
    }
    const auto& [input, output] = found.front();
    const DecoderProjection up = projection_of(input, where + ": the MLP activation's input");
    s.mlp = shape_of(input, "the MLP activation's input").back();
    s.activation = types.front();
    const auto mlp_norm = norm_of(up.input);
    if (!mlp_norm || (*mlp_norm == NonlinearKind::rmsnorm) != (s.norm == OpType::rmsnorm)) {
      refuse(where + ": the MLP's projection reads '" + up.input + "', not a norm's output of the attention's kind (npusim reads pre-norm decoders)");
    }
    // Gated: the activation's output times a second projection of the same width.
    bool gated = false;
    const auto readers = consumers_.find(output);
    for (const size_t r : readers == consumers_.end() ? std::vector<size_t>{} : readers->second) {
      const Node& n = model_.nodes[r];
      if (n.op_type != "Mul") continue;
      for (const auto& in : n.inputs) {
        if (in != output && dependent_.count(in) != 0) gated = gated || projection_of(in, where + ": the MLP's gate").width == s.mlp;
      }
    }
    if (gated != (s.activation == OpType::silu)) {
      refuse(where + ": the MLP is " + std::string(workloads::op_type_name(s.activation)) + (gated ? " with" : " without") +
             " a gate; npusim's decoders take SiLU with one (SwiGLU), ReLU or GELU without");
    }
  }

  void check_norm_count(const DecoderShape& s) const {
    int64_t rms = 0, layer = 0;
    for (const auto& inst : instances_) {
      rms += inst.kind == NonlinearKind::rmsnorm ? 1 : 0;
      layer += inst.kind == NonlinearKind::layernorm ? 1 : 0;
    }
    const int64_t expected = 2 * static_cast<int64_t>(s.layers) + 1;
    if ((s.norm == OpType::rmsnorm ? rms : layer) != expected || (s.norm == OpType::rmsnorm ? layer : rms) != 0) {
      refuse(std::to_string(rms) + " RMSNorms and " + std::to_string(layer) + " LayerNorms for " + std::to_string(s.layers) +
             " layers; a pre-norm decoder has two of one kind per layer and a final one");
    }
  }

  int64_t read_vocab() const {
    if (model_.outputs.empty()) refuse("no LM head (the graph has no output)");
    const std::string logits = through_casts(model_.outputs.front());
    const Node* head = producer(logits);
    if (head == nullptr || !(decoder_node_is(*head, "MatMul") || decoder_node_is(*head, "Gemm")) || head->inputs.size() < 2 ||
        dependent_.count(head->inputs[1]) != 0) {
      refuse("no LM head: the graph's first output '" + model_.outputs.front() + "' is not a MatMul with constant weights");
    }
    if (!norm_of(head->inputs[0])) refuse("the LM head reads '" + head->inputs[0] + "', not the final norm's output");
    return shape_of(logits, "the logits").back();
  }

  const Model& model_;
  std::map<std::string, std::vector<size_t>> consumers_;
  std::vector<NonlinearInstance> instances_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, size_t> instance_of_output_;
  std::set<std::string> dependent_;  // carry the inputs' values
  std::set<std::string> scores_;     // carry attention scores
};

}  // namespace

workloads::DecoderShape read_decoder_shape(const Model& model, const std::string& name) { return DecoderGraphReader(model).read(name); }

workloads::DecoderShape load_decoder_shape(const std::string& path, const std::string& name) {
  return parse_decoder_shape(read_file(path, read_limits::onnx_model), path, name);
}

workloads::DecoderShape parse_decoder_shape(const std::string& bytes, const std::string& source_name, const std::string& name) {
  const std::string& path = source_name;
  InputShapes shapes;
  for (const auto& [input, declared] : declared_input_dims(bytes, path)) {
    std::vector<int64_t> dims = declared;
    bool dynamic = false;
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] >= 0) continue;
      dynamic = true;
      dims[i] = i == 0 && dims.size() > 1 ? 1 : kDecoderReadTokens;
    }
    if (dynamic) shapes[input] = dims;
  }
  return read_decoder_shape(parse_model(bytes, path, shapes), name);
}

}  // namespace npusim::onnx_import
