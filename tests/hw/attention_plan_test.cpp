// How the plan builder maps attention: operand precisions as their producers wrote them, grouped-query
// key/value heads shared by their query heads, and (compiler.attention: fused) row blocks of QK^T,
// softmax and PV with the scores kept on chip; each against a hand count.
#include <gtest/gtest.h>

#include "hw/plan_builder.hpp"
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

HwConfig unfused() { return HwConfig{}; }

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

}  // namespace
}  // namespace npusim::hw
