// Generation traces: the decoder sizes read off the zoo, the prefill with its cache writes, a decode
// step's shapes against the model's sizes counted by hand, and pages that make steps identical.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.hpp"
#include "tests/error_text.hpp"
#include "workloads/decode_trace.hpp"
#include "workloads/model_zoo.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::workloads {
namespace {

const TraceOp& op_at(const Trace& trace, const std::string& layer) {
  for (const auto& o : trace.ops) {
    if (o.layer == layer) return o;
  }
  throw Error("no op " + layer);
}

int count_ending(const Trace& trace, const std::string& tail) {
  int n = 0;
  for (const auto& o : trace.ops) n += o.layer.size() >= tail.size() && o.layer.compare(o.layer.size() - tail.size(), tail.size(), tail) == 0;
  return n;
}

// SPEC 5's rows, typed in independently of the zoo.
TEST(DecoderShape, MatchesTheSpecTable) {
  const DecoderShape t = decoder_shape("tinyllama");
  EXPECT_EQ(t.layers, 22);
  EXPECT_EQ(t.hidden, 2048);
  EXPECT_EQ(t.heads, 32);
  EXPECT_EQ(t.kv_heads, 4);
  EXPECT_EQ(t.head_dim, 64);
  EXPECT_EQ(t.mlp, 5632);
  EXPECT_EQ(t.vocab, 32000);
  EXPECT_EQ(t.activation, OpType::silu);
  EXPECT_EQ(t.norm, OpType::rmsnorm);
  const DecoderShape s = decoder_shape("smollm");
  EXPECT_EQ(s.layers, 24);
  EXPECT_EQ(s.kv_heads, 32);
  EXPECT_EQ(s.mlp, 8192);
  const DecoderShape o = decoder_shape("opt_1_3b");
  EXPECT_EQ(o.activation, OpType::relu);
  EXPECT_EQ(o.norm, OpType::layernorm);
  EXPECT_EQ(o.vocab, 50272);
  EXPECT_EQ(testing::error_of([] { decoder_shape("vit_base"); }),
            "generation needs a decoder-only model; 'vit_base' is not one (decoders: tinyllama, smollm, opt_1_3b)");
}

TEST(PrefillTrace, IsTheZoosBlocksWithTheCacheWrittenInItsDtype) {
  const DecoderShape t = decoder_shape("tinyllama");
  KvCacheLayout kv;
  kv.dtype = Precision::int16;
  const Trace prefill = prefill_trace(t, 2, 16, kv);
  ZooOptions zoo;
  zoo.tokens = 16;
  zoo.first_block = 0;
  zoo.last_block = 2;
  EXPECT_EQ(prefill.ops.size(), generate_model("tinyllama", zoo).ops.size() + 4);  // K and V writes per layer
  const TraceOp& write = op_at(prefill, "blocks.1.attn.v_cache_write");
  EXPECT_EQ(write.type, OpType::vector);
  EXPECT_EQ(write.output, (std::vector<int64_t>{16, 4 * 64}));
  EXPECT_EQ(write.output_precision, Precision::int16);
  EXPECT_EQ(write.deps, std::vector<std::string>{op_at(prefill, "blocks.1.attn.v_proj").id});
  EXPECT_EQ(count_ending(prefill, "lm_head"), 0);  // the head runs on the last row only
}

// The prefill is built from the shape alone; for a zoo decoder it must be the zoo's own trace of those
// blocks op for op (shapes, precisions, dependencies, calibrated ranges), plus the cache writes.
TEST(PrefillTrace, BuiltFromTheShapeIsTheZoosTraceOfEachDecoder) {
  for (const auto& model : decoder_model_names()) {
    const DecoderShape shape = decoder_shape(model);
    Trace prefill = prefill_trace(shape, 3, 40, {});
    ZooOptions zoo;
    zoo.tokens = 40;
    zoo.first_block = 0;
    zoo.last_block = 3;
    const Trace expected = generate_model(model, zoo);
    const size_t with_writes = prefill.ops.size();
    prefill.ops.erase(std::remove_if(prefill.ops.begin(), prefill.ops.end(), [](const TraceOp& op) { return writes_kv_cache(op.layer); }),
                      prefill.ops.end());
    EXPECT_EQ(with_writes, prefill.ops.size() + 6) << model;
    prefill.source = expected.source;
    EXPECT_EQ(trace_to_yaml(prefill), trace_to_yaml(expected)) << model;
  }
}

// An imported decoder may have a GELU MLP (not gated) and a head_dim other than hidden / heads.
TEST(PrefillTrace, TakesAGeluMlpAndItsOwnHeadDim) {
  DecoderShape s;
  s.model = "imported";
  s.layers = 2, s.hidden = 48, s.heads = 4, s.kv_heads = 2, s.head_dim = 16, s.mlp = 96, s.vocab = 100;
  s.activation = OpType::gelu;
  s.norm = OpType::layernorm;
  const Trace prefill = prefill_trace(s, 2, 10, {});
  EXPECT_EQ(op_at(prefill, "blocks.1.mlp.gelu").type, OpType::gelu);
  EXPECT_EQ(op_at(prefill, "blocks.1.mlp.fc1").weights, (std::vector<int64_t>{48, 96}));
  EXPECT_EQ(op_at(prefill, "blocks.0.attn.scores").inputs, (std::vector<std::vector<int64_t>>{{4, 10, 16}, {2, 16, 10}}));
  EXPECT_EQ(op_at(prefill, "blocks.0.attn.out_proj").weights, (std::vector<int64_t>{64, 48}));
  EXPECT_EQ(op_at(prefill, "blocks.0.norm2").type, OpType::layernorm);
  const Trace step = decode_step_trace(s, 2, 30, 10, {});
  EXPECT_EQ(op_at(step, "blocks.1.mlp.gelu").output, (std::vector<int64_t>{1, 96}));
  EXPECT_EQ(op_at(step, "lm_head").weights, (std::vector<int64_t>{48, 100}));
}

TEST(DecodeStepTrace, HasOneRowPerProjectionAndTheCacheReadInWholePages) {
  const DecoderShape t = decoder_shape("tinyllama");
  KvCacheLayout kv;
  kv.page_tokens = 64;
  const Trace step = decode_step_trace(t, t.layers, 100, 512, kv);
  EXPECT_LT(static_cast<int64_t>(step.ops.size()), kMaxTraceOps);
  EXPECT_EQ(count_ending(step, ".attn.scores"), 22);
  EXPECT_EQ(op_at(step, "blocks.3.mlp.gate_proj").inputs[0], (std::vector<int64_t>{1, 2048}));
  EXPECT_EQ(op_at(step, "blocks.3.mlp.gate_proj").weights, (std::vector<int64_t>{2048, 5632}));
  // Grouped-query attention: the 8 query heads of each of the 4 cached heads are 8 rows against its 128
  // cached rows (100 rounded up to pages of 64).
  const TraceOp& scores = op_at(step, "blocks.3.attn.scores");
  EXPECT_EQ(scores.inputs[0], (std::vector<int64_t>{4, 8, 64}));
  EXPECT_EQ(scores.inputs[1], (std::vector<int64_t>{4, 64, 128}));
  EXPECT_EQ(op_at(step, "blocks.3.attn.context").output, (std::vector<int64_t>{4, 8, 64}));
  EXPECT_EQ(op_at(step, "blocks.3.attn.v_cache").output, (std::vector<int64_t>{4, 128, 64}));
  EXPECT_EQ(op_at(step, "blocks.3.attn.mask").output, (std::vector<int64_t>{4, 8, 128}));
  EXPECT_EQ(op_at(step, "blocks.3.attn.k_cache_write").output, (std::vector<int64_t>{1, 256}));
  EXPECT_EQ(op_at(step, "lm_head").weights, (std::vector<int64_t>{2048, 32000}));
  EXPECT_EQ(op_at(step, "argmax").output, (std::vector<int64_t>{1, 32000}));
  // Every context in one page gives the same trace; the next page a longer cache.
  const Trace same = decode_step_trace(t, t.layers, 65, 512, kv), next = decode_step_trace(t, t.layers, 129, 512, kv);
  ASSERT_EQ(same.ops.size(), step.ops.size());
  for (size_t i = 0; i < step.ops.size(); ++i) {
    EXPECT_EQ(same.ops[i].inputs, step.ops[i].inputs) << step.ops[i].layer;
    EXPECT_EQ(same.ops[i].ranges.size(), step.ops[i].ranges.size());
  }
  EXPECT_EQ(op_at(next, "blocks.3.attn.scores").inputs[1][2], 192);
}

// A step runs as its layers one after another: each layer's own trace is that layer of the step.
TEST(DecodeStepTrace, ALayersOwnTraceIsThatLayerOfTheStep) {
  const DecoderShape t = decoder_shape("tinyllama");
  const Trace step = decode_step_trace(t, 3, 300, 64, {});
  const Trace layer = decode_layer_trace(t, 2, 300, 64, {});
  EXPECT_EQ(layer.ops.front().layer, "blocks.2.input");
  for (size_t i = 1; i < layer.ops.size(); ++i) {
    const TraceOp& same = op_at(step, layer.ops[i].layer);
    EXPECT_EQ(same.inputs, layer.ops[i].inputs) << same.layer;
    EXPECT_EQ(same.output, layer.ops[i].output) << same.layer;
    EXPECT_EQ(same.ranges.size(), layer.ops[i].ranges.size()) << same.layer;
    for (const auto& [f, range] : same.ranges) EXPECT_EQ(range.max, layer.ops[i].ranges.at(f).max) << same.layer;
  }
  EXPECT_EQ(count_ending(step, ".mlp_residual"), 3);
  EXPECT_EQ(count_ending(layer, ".mlp_residual"), 1);
}

TEST(DecodeStepTrace, AnInt16CacheMakesTheAttentionMatmulsInt16) {
  const DecoderShape t = decoder_shape("tinyllama");
  KvCacheLayout kv;
  kv.dtype = Precision::int16;
  const Trace step = decode_step_trace(t, 1, 10, 10, kv);
  EXPECT_EQ(op_at(step, "blocks.0.attn.scores").input_precision, Precision::int16);
  EXPECT_EQ(op_at(step, "blocks.0.attn.k_cache").output_precision, Precision::int16);
  kv.dtype = Precision::int8;
  EXPECT_EQ(op_at(decode_step_trace(t, 1, 10, 10, kv), "blocks.0.attn.scores").input_precision, Precision::int8);
}

TEST(DecodeStepTrace, RefusesContextsAndLayersOutOfRange) {
  const DecoderShape t = decoder_shape("tinyllama");
  EXPECT_EQ(testing::error_of([&] { decode_step_trace(t, 23, 10, 10, {}); }), "tinyllama has 22 layers; a generation of 23 selects none or too many");
  EXPECT_EQ(testing::error_of([&] { decode_step_trace(t, 1, 0, 10, {}); }), "a decode step's context must be in 1..65536 tokens, got 0");
}

}  // namespace
}  // namespace npusim::workloads
