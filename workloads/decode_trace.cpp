#include "workloads/decode_trace.hpp"

#include "common/did_you_mean.hpp"
#include "common/error.hpp"
#include "workloads/model_zoo.hpp"
#include "workloads/trace_builder.hpp"

namespace npusim::workloads {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

const TraceOp& op_named(const Trace& trace, const std::string& layer) {
  for (const TraceOp& op : trace.ops) {
    if (op.layer == layer) return op;
  }
  throw Error(trace.model + ": the zoo's trace has no op " + layer + " (generation reads the decoder's sizes from it)");
}

std::string layer_path(int i) { return "blocks." + std::to_string(i); }

double layer_depth(int layer, int layers) { return layers > 1 ? static_cast<double>(layer) / (layers - 1) : 0.0; }

void check_layers(const DecoderShape& shape, int layers) {
  if (layers < 1 || layers > shape.layers) {
    throw Error(shape.model + " has " + std::to_string(shape.layers) + " layers; a generation of " + std::to_string(layers) + " selects none or too many");
  }
}

// This token's K or V row, requantised to the cache's dtype and written to DRAM (nothing reads it on chip).
void write_cache_row(TraceBuilder& b, const std::string& layer, const std::string& row, const KvCacheLayout& kv) {
  b.vector(layer, row, b.shape_of(row), kv.dtype);
}

}  // namespace

const std::vector<std::string>& decoder_model_names() {
  static const std::vector<std::string> names = {"tinyllama", "smollm", "opt_1_3b"};
  return names;
}

DecoderShape decoder_shape(const std::string& model) {
  bool known = false;
  for (const auto& name : decoder_model_names()) known = known || name == model;
  if (!known) {
    throw Error("generation needs a decoder-only model; '" + model + "' is not one" + did_you_mean(model, decoder_model_names()) +
                " (decoders: " + join_names(decoder_model_names()) + ")");
  }
  ZooOptions one_token;
  one_token.tokens = 1;
  one_token.full = true;
  const Trace trace = generate_model(model, one_token);
  DecoderShape s;
  s.model = model;
  s.layers = zoo_model_info(model).blocks;
  const TraceOp& q = op_named(trace, "blocks.0.attn.q_proj");
  const TraceOp& scores = op_named(trace, "blocks.0.attn.scores");
  s.hidden = q.weights[0];
  s.heads = scores.inputs[0][0];
  s.kv_heads = scores.inputs[1][0];
  s.head_dim = scores.inputs[0][2];
  s.norm = op_named(trace, "blocks.0.norm1").type;
  s.vocab = op_named(trace, "lm_head").weights[1];
  for (const TraceOp& op : trace.ops) {
    if (op.layer == "blocks.0.mlp.gate_proj" || op.layer == "blocks.0.mlp.fc1") s.mlp = op.weights[1];
    if (op.layer == "blocks.0.mlp.silu") s.activation = OpType::silu;
    if (op.layer == "blocks.0.mlp.relu") s.activation = OpType::relu;
  }
  if (s.mlp == 0) throw Error(model + ": the zoo's trace has no MLP generation knows (gate_proj or fc1)");
  return s;
}

bool reads_kv_cache(const std::string& layer) { return ends_with(layer, ".attn.scores") || ends_with(layer, ".attn.context"); }
bool writes_kv_cache(const std::string& layer) { return ends_with(layer, ".attn.k_cache_write") || ends_with(layer, ".attn.v_cache_write"); }

namespace {

// Final norm, LM head, argmax (a compare-and-select pass over the logits on the vector path).
void head(TraceBuilder& b, const DecoderShape& s, std::string x) {
  x = b.nonlinear(s.norm, "final_norm", x, 1.0);
  const std::string logits = b.linear("lm_head", x, s.vocab);
  b.vector("argmax", logits, b.shape_of(logits), Precision::int8);
}

// The K and V projections of the normed rows, each followed by its write of the rows to the cache
// (requantised to the cache's dtype; nothing reads them on chip).
std::pair<std::string, std::string> projected_kv(TraceBuilder& b, const DecoderShape& s, const std::string& a, const std::string& normed,
                                                 const KvCacheLayout& kv) {
  const std::string k = b.linear(a + ".k_proj", normed, s.kv_heads * s.head_dim);
  write_cache_row(b, a + ".k_cache_write", k, kv);
  const std::string v = b.linear(a + ".v_proj", normed, s.kv_heads * s.head_dim);
  write_cache_row(b, a + ".v_cache_write", v, kv);
  return {k, v};
}

// One pre-norm decoder layer on the rows `x`; `attention(normed, depth)` builds the attention on the
// normed rows and returns its output projection. Returns the layer's output.
template <class Attention>
std::string decoder_layer(TraceBuilder& b, const DecoderShape& s, int i, const std::string& x, Attention attention) {
  const std::string p = layer_path(i);
  const double depth = layer_depth(i, s.layers);
  const std::string h = b.add(p + ".attn_residual", x, attention(b.nonlinear(s.norm, p + ".norm1", x, depth), depth));
  return b.add(p + ".mlp_residual", h, b.mlp(p + ".mlp", b.nonlinear(s.norm, p + ".norm2", h, depth), s.activation, s.mlp, s.hidden, depth));
}

// Layer i of the prompt's pass over `tokens` rows: causal self-attention, the rows' K and V written to
// the cache. The same ops, in the same order, as the zoo's decoder block (tests check it op by op).
std::string prefill_layer(TraceBuilder& b, const DecoderShape& s, int i, int64_t tokens, const KvCacheLayout& kv, const std::string& x) {
  const std::string a = layer_path(i) + ".attn";
  return decoder_layer(b, s, i, x, [&](const std::string& normed, double depth) {
    const std::string q = b.linear(a + ".q_proj", normed, s.heads * s.head_dim);
    const auto [k, v] = projected_kv(b, s, a, normed, kv);
    const std::string qh = b.reshape(a + ".q_heads", q, {s.heads, tokens, s.head_dim});
    const std::string kt = b.reshape(a + ".k_transpose", k, {s.kv_heads, s.head_dim, tokens});
    const std::string vh = b.reshape(a + ".v_heads", v, {s.kv_heads, tokens, s.head_dim});
    const std::string scores = b.causal_mask(a + ".causal_mask", b.batched_matmul(a + ".scores", qh, kt));
    const std::string probs = b.nonlinear(OpType::softmax, a + ".softmax", scores, depth);
    const std::string context = b.batched_matmul(a + ".context", probs, vh);
    return b.linear(a + ".out_proj", b.reshape(a + ".merge_heads", context, {tokens, s.heads * s.head_dim}), s.hidden);
  });
}

// One layer of a decode step on the row `x` against `rows` cached rows.
std::string decode_layer(TraceBuilder& b, const DecoderShape& s, int i, int64_t rows, const KvCacheLayout& kv, const std::string& x) {
  const std::string a = layer_path(i) + ".attn";
  return decoder_layer(b, s, i, x, [&](const std::string& normed, double depth) {
    const std::string q = b.linear(a + ".q_proj", normed, s.heads * s.head_dim);
    projected_kv(b, s, a, normed, kv);
    // The heads / kv_heads queries that share a cached head are the rows of one matmul against it, so
    // each cached head streams from DRAM once per step (as decode kernels for grouped-query attention do).
    const int64_t group = s.heads / s.kv_heads;
    const std::string qh = b.reshape(a + ".q_heads", q, {s.kv_heads, group, s.head_dim});
    const std::string kt = b.input(a + ".k_cache", {s.kv_heads, s.head_dim, rows}, kv.dtype);
    const std::string vh = b.input(a + ".v_cache", {s.kv_heads, rows, s.head_dim}, kv.dtype);
    const std::string scores = b.batched_matmul(a + ".scores", qh, kt);
    const std::string masked = b.vector(a + ".mask", scores, b.shape_of(scores), Precision::int8);
    const std::string probs = b.nonlinear(OpType::softmax, a + ".softmax", masked, depth);
    const std::string context = b.batched_matmul(a + ".context", probs, vh);
    return b.linear(a + ".out_proj", b.reshape(a + ".merge_heads", context, {1, s.heads * s.head_dim}), s.hidden);
  });
}

int64_t cache_rows(int64_t context_tokens, const KvCacheLayout& kv) {
  if (context_tokens < 1 || context_tokens > kMaxTokens) {
    throw Error("a decode step's context must be in 1.." + std::to_string(kMaxTokens) + " tokens, got " + std::to_string(context_tokens));
  }
  return kv.padded(context_tokens);
}

std::string step_source(const DecoderShape& s, int64_t context_tokens, int64_t rows) {
  return "decode step of " + s.model + " at " + std::to_string(context_tokens) + " tokens of context (cache read as " +
         std::to_string(rows) + " rows)";
}

}  // namespace

Trace prefill_trace(const DecoderShape& s, int layers, int64_t prompt_tokens, const KvCacheLayout& kv) {
  check_layers(s, layers);
  if (prompt_tokens < 1 || prompt_tokens > kMaxTokens) {
    throw Error("a prompt must be in 1.." + std::to_string(kMaxTokens) + " tokens, got " + std::to_string(prompt_tokens));
  }
  TraceBuilder b(s.model, "prefill of " + s.model + " over " + std::to_string(prompt_tokens) + " prompt tokens",
                 SyntheticRanges(ModelFamily::decoder_language, prompt_tokens));
  std::string x = b.input("blocks.0.input", {prompt_tokens, s.hidden}, Precision::int16);  // the prompt's embeddings
  for (int i = 0; i < layers; ++i) x = prefill_layer(b, s, i, prompt_tokens, kv, x);
  return b.finish("synthetic");
}

Trace decode_step_trace(const DecoderShape& s, int layers, int64_t context_tokens, int64_t calibration_tokens,
                        const KvCacheLayout& kv) {
  check_layers(s, layers);
  const int64_t rows = cache_rows(context_tokens, kv);
  TraceBuilder b(s.model, step_source(s, context_tokens, rows), SyntheticRanges(ModelFamily::decoder_language, calibration_tokens));
  std::string x = b.input("blocks.0.input", {1, s.hidden}, Precision::int16);  // this token's embedding
  for (int i = 0; i < layers; ++i) x = decode_layer(b, s, i, rows, kv, x);
  head(b, s, x);
  return b.finish("synthetic");
}

Trace decode_layer_trace(const DecoderShape& s, int layer, int64_t context_tokens, int64_t calibration_tokens, const KvCacheLayout& kv) {
  check_layers(s, layer + 1);
  const int64_t rows = cache_rows(context_tokens, kv);
  TraceBuilder b(s.model, step_source(s, context_tokens, rows) + ", layer " + std::to_string(layer),
                 SyntheticRanges(ModelFamily::decoder_language, calibration_tokens));
  decode_layer(b, s, layer, rows, kv, b.input(layer_path(layer) + ".input", {1, s.hidden}, Precision::int16));
  return b.finish("synthetic");
}

Trace head_trace(const DecoderShape& s, int64_t calibration_tokens) {
  TraceBuilder b(s.model, "final norm, LM head and argmax of " + s.model + " on the prompt's last row",
                 SyntheticRanges(ModelFamily::decoder_language, calibration_tokens));
  head(b, s, b.input("last_row", {1, s.hidden}, Precision::int16));
  return b.finish("synthetic");
}

}  // namespace npusim::workloads
