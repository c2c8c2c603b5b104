// The traces of LLM generation (docs/generation.md): the prompt's pass, one decode step at a given
// context, with the KV cache in DRAM. Built from a decoder's sizes alone (DecoderShape): a zoo
// decoder's are read off the zoo's own trace, so a change to the zoo reaches generation, and an
// imported decoder ONNX model's off its graph (workloads/onnx/decoder_shape_reader.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/trace.hpp"

namespace npusim::workloads {

// A pre-norm decoder-only model's sizes: every layer norm1, attention, residual, norm2, MLP, residual;
// then the final norm and the LM head.
struct DecoderShape {
  std::string model;  // the zoo name, or an imported model's name
  int layers = 0;
  int64_t hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, mlp = 0, vocab = 0;
  OpType activation = OpType::silu;  // silu (gated MLP: LLaMA's SwiGLU), or relu or gelu (not gated)
  OpType norm = OpType::rmsnorm;     // rmsnorm or layernorm
};

// The zoo's decoder-only models (tinyllama, smollm, opt_1_3b).
const std::vector<std::string>& decoder_model_names();
// Throws npusim::Error for a model that is not a decoder-only zoo model (naming the ones that are).
DecoderShape decoder_shape(const std::string& model);

// How the KV cache sits in DRAM: rows in `dtype`, read in whole pages of `page_tokens` rows.
struct KvCacheLayout {
  Precision dtype = Precision::int8;
  int64_t page_tokens = 64;
  // The rows a step reads at `context_tokens`: whole pages.
  int64_t padded(int64_t context_tokens) const { return (context_tokens + page_tokens - 1) / page_tokens * page_tokens; }
};

// The prompt's pass: the first `layers` layers at `prompt_tokens` with the causal mask, the same ops as
// the zoo's trace of those blocks for a zoo decoder (the model's final norm and LM head run on the last
// row only, in head_trace), with each layer's K and V rows requantised to the cache's dtype on the
// vector path and written to DRAM (ops "blocks.N.attn.k_cache_write", "...v_cache_write", whose outputs
// nothing on chip reads).
Trace prefill_trace(const DecoderShape& shape, int layers, int64_t prompt_tokens, const KvCacheLayout& kv);

// One generated token with `context_tokens` rows in the cache (its own K/V row included): every layer
// on one row, GEMV-shaped projections whose weights stream from DRAM, this token's K and V rows written
// to the cache, attention of the one query against the cache read from DRAM padded to whole pages
// (grouped-query: the heads / kv_heads queries of a cached head are the rows of one matmul against it; a
// vector-path mask zeroes the padding rows), then the final norm, the LM head and the argmax on the vector path. Synthetic ranges are
// those of the prefill at `calibration_tokens`, layer by layer. Every context in one page gives the same
// trace.
Trace decode_step_trace(const DecoderShape& shape, int layers, int64_t context_tokens, int64_t calibration_tokens,
                        const KvCacheLayout& kv);

// Layer `layer` (from 0) of decode_step_trace on its own, its input the residual row in DRAM: a decode
// step runs as its layers one after another, then head_trace.
Trace decode_layer_trace(const DecoderShape& shape, int layer, int64_t context_tokens, int64_t calibration_tokens,
                         const KvCacheLayout& kv);

// The final norm, LM head and argmax on one row: after the prefill (the first token) and after every
// decode step's layers.
Trace head_trace(const DecoderShape& shape, int64_t calibration_tokens);

// Ops of a generation trace by role (the bytes per kind in generation reports).
bool reads_kv_cache(const std::string& layer);   // the attention matmuls: their activation loads are cache rows
bool writes_kv_cache(const std::string& layer);  // the cache writes

}  // namespace npusim::workloads
