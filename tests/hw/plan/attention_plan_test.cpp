// How the plan builder maps attention: operand precisions as their producers wrote them, grouped-query
// key/value heads shared by their query heads, and (compiler.attention: fused) row blocks of QK^T,
// softmax and PV with the scores kept on chip; each against a hand count.
#include <gtest/gtest.h>

#include "hw/plan/attention_plan.hpp"
#include "hw/plan/plan_builder.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim::hw {
namespace {

const PlannedOp& op_named(const ExecutionPlan& plan, const std::string& id) {
  for (const PlannedOp& op : plan.ops) {
    if (op.id == id) return op;
  }
  throw std::runtime_error("no op " + id);
}

workloads::Trace tinyllama(int64_t tokens) {
  workloads::ZooOptions o;
  o.tokens = tokens;
  return workloads::generate_model("tinyllama", o);
}

int64_t load_bytes(const PlannedOp& op) {
  int64_t total = 0;
  for (const Transfer& t : op.loads) total += t.bytes;
  return total;
}

HwConfig unfused() {
  HwConfig c;
  c.compiler.attention = AttentionMapping::unfused;
  return c;
}

TEST(AttentionPlan, ValuesKeepTheirPrecisionAndAreSharedByTheirQueryHeads) {
  // TinyLlama, 256 tokens: 32 query heads over 4 key/value heads of [256 x 64]. The LUT's 16-bit
  // probabilities make the PV multiply INT16 x INT8 (V stays INT8, as v_proj wrote it); the 8 query heads
  // of a group run as one multiply of 8 x 256 stacked rows against their shared V.
  const ExecutionPlan plan = build_plan(tinyllama(256), unfused());
  const PlannedOp& context = op_named(plan, "blocks.0.attn.context");
  EXPECT_TRUE(context.gemm.input_int16);
  EXPECT_FALSE(context.gemm.weight_int16);
  EXPECT_EQ(context.weight_element_bytes, 1);
  EXPECT_EQ(context.gemm.m, 8 * 256);
  EXPECT_EQ(context.gemm.batch, 4);
  EXPECT_EQ(context.macs(), 32LL * 256 * 256 * 64);
  // V comes from DRAM at most once per row tile of the stacked rows; never once per query head.
  const int64_t v_bytes = 4 * 256 * 64;
  const int64_t probs_bytes = 32LL * 256 * 256 * 2;
  EXPECT_LE(load_bytes(context), probs_bytes * context.gemm_plan.col_tiles + v_bytes * context.gemm_plan.row_tiles);
  const PlannedOp& scores = op_named(plan, "blocks.0.attn.scores");
  EXPECT_EQ(scores.gemm.m, 8 * 256);
  EXPECT_FALSE(scores.gemm.input_int16);
}

TEST(AttentionPlan, IntegerSoftmaxesWriteEightBitProbabilities) {
  // I-BERT and I-ViT end their softmax in an INT8 requantisation: PV runs INT8 x INT8.
  for (const NonlinearEngine engine : {NonlinearEngine::ibert, NonlinearEngine::ivit}) {
    HwConfig c = unfused();
    c.nonlinear.default_engine = engine;
    const ExecutionPlan plan = build_plan(tinyllama(256), c);
    EXPECT_EQ(op_named(plan, "blocks.0.attn.softmax").output_element_bytes, 1);
    EXPECT_FALSE(op_named(plan, "blocks.0.attn.context").gemm.input_int16);
  }
  EXPECT_EQ(op_named(build_plan(tinyllama(256), unfused()), "blocks.0.attn.softmax").output_element_bytes, 2);
}

int64_t kind_bytes(const std::vector<Transfer>& transfers, TrafficKind kind) {
  int64_t total = 0;
  for (const Transfer& t : transfers) total += t.kind == kind ? t.bytes : 0;
  return total;
}

TEST(AttentionPlan, ADspResultTravelsBackOnceTheRestAreTheConsumersReReads) {
  // TinyLlama's first RMSNorm on the DSP over DRAM: its 256 x 2048 INT8 output is read by the Q, K and
  // V projections, maybe several times each; only its first 512 KiB are the DSP's exchange.
  HwConfig c;
  c.nonlinear.default_engine = NonlinearEngine::dsp;
  const ExecutionPlan plan = build_plan(tinyllama(256), c);
  int64_t exchange = 0, reads = 0;
  for (const char* id : {"blocks.0.attn.q_proj", "blocks.0.attn.k_proj", "blocks.0.attn.v_proj"}) {
    exchange += kind_bytes(op_named(plan, id).loads, TrafficKind::dsp_exchange);
    reads += load_bytes(op_named(plan, id));
  }
  EXPECT_EQ(exchange, 256 * 2048);
  EXPECT_GE(reads, 3 * 256 * 2048);
  EXPECT_EQ(op_named(plan, "blocks.0.norm1").dsp_out.kind, TrafficKind::dsp_exchange);
}

TEST(AttentionPlanner, CausalTilesCountedByHand) {
  // Two query heads of 4 queries stacked into 8 rows, 4 keys, blocks of 2 rows x 2 keys. In each head,
  // rows 0-1 are queries 0-1 (they need keys 0-1: one key block), rows 2-3 queries 2-3 (keys 0-3). A
  // key block needs the mask unless every row of the block sees all of it (its first query does).
  AttentionShape s;
  s.group_size = 2;
  s.queries = 4;
  s.keys = 4;
  s.causal = true;
  s.causal_skip = true;
  // Skipping: blocks of queries 0-1 compute 2 x 2 scores (masked: all 4, key block 0 is not visible to
  // query 0 in full); queries 2-3 compute 2 x 4 (masked: the 2 x 2 of key block 1).
  AttentionPlanner::CausalCount c = AttentionPlanner::causal_count(s, 2, 2);
  EXPECT_EQ(c.computed, 2 * (4 + 8));
  EXPECT_EQ(c.masked, 2 * (4 + 4));
  // Without skipping every score is computed; the mask covers what a row block cannot all see.
  s.causal_skip = false;
  c = AttentionPlanner::causal_count(s, 2, 2);
  EXPECT_EQ(c.computed, 32);
  EXPECT_EQ(c.masked, 2 * (2 * 4 + 2 * 2));
  // A row block across the two heads holds query 3 of one and query 0 of the other: it needs every key.
  s.causal_skip = true;
  c = AttentionPlanner::causal_count(s, 3, 2);
  // Blocks: rows 0-2 (queries 0-2: keys 0-3 -> 12), rows 3-5 (across: 12), rows 6-7 (queries 2-3: 8).
  EXPECT_EQ(c.computed, 12 + 12 + 8);
}

TEST(AttentionPlan, FusedScoresNeverReachDram) {
  // TinyLlama at 2048 tokens with the LUT: QK^T reads Q and K, PV reads V and writes its output; the
  // 32 x 2048 x 2048 scores and probabilities stay in row blocks on chip.
  const ExecutionPlan plan = build_plan(tinyllama(2048), HwConfig{});
  const PlannedOp& scores = op_named(plan, "blocks.0.attn.scores");
  const PlannedOp& mask = op_named(plan, "blocks.0.attn.causal_mask");
  const PlannedOp& softmax = op_named(plan, "blocks.0.attn.softmax");
  const PlannedOp& context = op_named(plan, "blocks.0.attn.context");
  EXPECT_TRUE(scores.stores.empty());
  EXPECT_TRUE(mask.loads.empty() && mask.stores.empty());
  EXPECT_TRUE(softmax.loads.empty() && softmax.stores.empty());
  const int64_t q_bytes = 32LL * 2048 * 64, kv_bytes = 4LL * 2048 * 64;
  EXPECT_GE(load_bytes(scores), 0);
  EXPECT_LE(load_bytes(scores), q_bytes + kv_bytes * scores.gemm_plan.row_tiles);
  EXPECT_LE(load_bytes(context), kv_bytes * context.gemm_plan.row_tiles);
  // Every score is computed once (no causal skipping by default) and normalised by the softmax.
  EXPECT_EQ(softmax.nonlinear.elements, 32LL * 2048 * 2048);
  EXPECT_EQ(softmax.nonlinear.rows, 32LL * 2048);
  EXPECT_EQ(scores.macs(), 32LL * 2048 * 2048 * 64);
  EXPECT_EQ(context.macs(), 32LL * 2048 * 2048 * 64);
  // The row blocks stream through the group in order.
  EXPECT_TRUE(mask.streamed_deps[0]);
  EXPECT_TRUE(softmax.streamed_deps[0]);
  EXPECT_EQ(context.streamed_deps, (std::vector<bool>{true, false}));
}

TEST(AttentionPlan, TheDspSoftmaxReadsWholeRowsOverTheOnChipLink) {
  HwConfig c;
  c.nonlinear.default_engine = NonlinearEngine::dsp;
  c.sram.activation_kib = 1024;
  c.sram.accumulator_kib = 256;
  c.dsp.onchip_bandwidth_gbps = 64;
  for (const TransferPath path : {TransferPath::dram, TransferPath::onchip}) {
    c.dsp.transfer_path = path;
    const ExecutionPlan plan = build_plan(tinyllama(512), c);
    const PlannedOp& softmax = op_named(plan, "blocks.0.attn.softmax");
    EXPECT_EQ(softmax.nonlinear.key_blocks, 1);
    EXPECT_EQ(softmax.nonlinear.value_width, 0);
    // The group keeps its row blocks on chip: they reach the DSP and come back over the link, even
    // where other ops exchange through DRAM; nothing of them touches DRAM.
    const int64_t scores = 32LL * 512 * 512, probs = 2 * scores;
    EXPECT_EQ(softmax.dsp_link_in_bytes, scores);
    EXPECT_EQ(softmax.dsp_link_out_bytes, probs);
    EXPECT_EQ(softmax.dsp_in.bytes + softmax.dsp_out.bytes + softmax.dsp_stage_bytes, 0);
    EXPECT_LE(load_bytes(op_named(plan, "blocks.0.attn.context")), 4 * 512 * 64 * op_named(plan, "blocks.0.attn.context").gemm_plan.row_tiles);
  }
}

TEST(AttentionPlan, CausalSkipComputesAboutHalfOfTheScores) {
  HwConfig c;
  c.compiler.causal_skip = true;
  const ExecutionPlan plan = build_plan(tinyllama(2048), c);
  const PlannedOp& softmax = op_named(plan, "blocks.0.attn.softmax");
  const int64_t all = 32LL * 2048 * 2048;
  // The lower triangle and the diagonal blocks: at least half, well under all.
  EXPECT_GE(softmax.nonlinear.elements, all / 2);
  EXPECT_LT(softmax.nonlinear.elements, all * 3 / 4);
  EXPECT_EQ(op_named(plan, "blocks.0.attn.scores").macs(), softmax.nonlinear.elements * 64);
  EXPECT_LT(op_named(plan, "blocks.0.attn.causal_mask").vector_elements, softmax.nonlinear.elements);
}

}  // namespace
}  // namespace npusim::hw
