// A decoder-only language model's sizes read off an imported ONNX graph, for generation
// (docs/generation.md, "Imported decoder ONNX models"): npusim then builds its own prefill, head and
// decode-step traces from the sizes, as for a zoo decoder. What is read, layer by layer:
//   - attention: a softmax over scores [.., heads, T, T] that come from a MatMul of two activations (Q and
//     K), with a causal mask added to or selected into the scores on the way (a Trilu, a comparison of
//     positions computed from shapes alone, or a constant triangular mask), and a MatMul of the
//     probabilities with V. heads and head_dim are Q's dims; the KV heads the width of the projection
//     K comes from (a MatMul with constant weights, or its share of a fused QKV split) over head_dim,
//     so a repeat_kv before the scores does not hide grouped-query attention;
//   - hidden: the width the Q projection reads, which must be a norm's output (a pre-norm decoder);
//   - the norm: RMSNorm or LayerNorm, two per layer and one final;
//   - the MLP: its one activation after the attention, SiLU with a gate (its output times a second
//     projection: LLaMA's SwiGLU), or ReLU or GELU without one; its width the activation's input width;
//   - the vocabulary: the last dim of the graph's first output, the LM head's (a MatMul or Gemm).
// Every layer must give the same sizes. A graph where one of these is not found is refused with one
// line saying which, never guessed. The weights' values are not read (they do not change the timing).
#pragma once

#include <string>

#include "workloads/decode_trace.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::onnx_import {

// The sequence length a decoder's dynamic dims are bound to while its shape is read (the sizes read do
// not depend on it; the scores' [T, T] must be square at it).
constexpr int64_t kDecoderReadTokens = 7;

// `name` becomes DecoderShape::model. Throws npusim::Error "source: not a decoder npusim can generate
// with: ..." naming what was not found.
workloads::DecoderShape read_decoder_shape(const Model& model, const std::string& name);

// Loads the file with every dynamic input dim bound (the first to 1, a batch of one sequence; the
// others to kDecoderReadTokens) and reads its shape.
workloads::DecoderShape load_decoder_shape(const std::string& path, const std::string& name);
// The same for a model's bytes (`source_name` names it in messages).
workloads::DecoderShape parse_decoder_shape(const std::string& bytes, const std::string& source_name, const std::string& name);

}  // namespace npusim::onnx_import
