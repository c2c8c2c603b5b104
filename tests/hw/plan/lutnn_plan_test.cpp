// The plan of linear layers under linear.engine lutnn, against hand counts from SPEC 2.7's operation
// counts and the unit's configuration (not against LutnnTiming's own output).
#include <gtest/gtest.h>

#include "hw/cost/mau_timing.hpp"
#include "hw/plan/plan_builder.hpp"

namespace npusim::hw {
namespace {

using workloads::OpType;

workloads::TraceOp op_of(const std::string& id, OpType type, std::vector<std::vector<int64_t>> inputs, std::vector<int64_t> output,
                         std::vector<std::string> deps) {
  workloads::TraceOp o;
  o.id = o.layer = id;
  o.type = type;
  o.inputs = std::move(inputs);
  o.output = std::move(output);
  o.deps = std::move(deps);
  return o;
}

// x [197, 768] -> fc1 [768, 3072] -> scores: a batched matmul of two activations.
workloads::Trace fc_trace() {
  workloads::Trace trace;
  trace.model = "fc";
  trace.ops.push_back(op_of("x", OpType::reshape, {{197, 768}}, {197, 768}, {}));
  auto fc1 = op_of("fc1", OpType::matmul, {{197, 768}}, {197, 3072}, {"x"});
  fc1.weights = {768, 3072};
  trace.ops.push_back(fc1);
  trace.ops.push_back(op_of("scores", OpType::batched_matmul, {{12, 197, 256}, {12, 256, 197}}, {12, 197, 197}, {"fc1"}));
  return trace;
}

TEST(LutnnPlan, OneMatmulHasTheHandCountedMacsLookupsAndTableBytes) {
  HwConfig config;  // the paper NPU: 32 x 64 array, 128 KiB table buffer single-buffered, 64 KiB accumulators
  config.linear.engine = LinearEngine::lutnn;
  const ExecutionPlan plan = build_plan(fc_trace(), config);
  const PlannedOp& fc1 = plan.ops[1];
  ASSERT_TRUE(fc1.lutnn);
  EXPECT_EQ(fc1.work, OpWork::gemm);
  const int64_t n = 197, d = 768, m = 3072, v = 32, k = 16, c = d / v;  // C = 24 codebooks
  EXPECT_EQ(fc1.macs(), n * d * k);                                       // distances: N x D x K MACs
  EXPECT_EQ(fc1.lutnn_cost.counts.lookup_ops, n * c * m);                 // one table read and add per code and output
  EXPECT_EQ(fc1.lutnn_cost.counts.table_bytes, c * k * m);                // INT8 tables
  // Tables, INT8 centroids and float32 column scales, streamed once: the 197 x 24 codes fit in 64 KiB.
  EXPECT_EQ(fc1.weight_bytes, c * k * m + c * k * v + 4 * m);
  EXPECT_EQ(fc1.weight_bytes, 1204224);
  // Column tiles: min(128 KiB / (24 x 16), 64 KiB / (4 x 197)) = min(341, 83) = 83 columns, 38 tiles,
  // at most 32 pipeline steps.
  EXPECT_EQ(fc1.lutnn_cost.table_tiles, 38);
  EXPECT_EQ(fc1.split.steps, 32);
  // 64 lanes: the lookups plus one INT16 -> INT32 flush per output (24 codebooks: one block), + latency 2 - 1.
  EXPECT_EQ(fc1.lutnn_cost.lookup_cycles, (n * c * m + n * m + 63) / 64 + 1);
  EXPECT_EQ(fc1.lutnn_cost.argmin_cycles, 2 * n * c * k / 64);  // bias add and compare per centroid
  EXPECT_EQ(fc1.lutnn_cost.requant_cycles, (n * m + 63) / 64);
  // v = 32 fills the 32 rows: one codebook per fold, a [197, 32] x [32, 16] GEMM per codebook.
  const GemmShape distances{n, v, k, c, false, false};
  EXPECT_EQ(fc1.lutnn_cost.distance_cycles,
            MauTiming(config.mau).gemm(distances, {distances.m, distances.k, distances.n}, 0).array_busy_cycles);
  // The model input is read once; no weights stream.
  ASSERT_EQ(fc1.loads.size(), 1u);
  EXPECT_EQ(fc1.loads[0].bytes, n * d);
  // Attention's activation-by-activation product stays on the dense array.
  EXPECT_FALSE(plan.ops[2].lutnn);
  EXPECT_EQ(plan.ops[2].macs(), 12 * 197 * 256 * 197);
}

TEST(LutnnPlan, TheDenseEngineIsUnchangedByDefault) {
  const HwConfig config;
  EXPECT_EQ(config.linear.engine, LinearEngine::mau);
  const ExecutionPlan plan = build_plan(fc_trace(), config);
  EXPECT_FALSE(plan.ops[1].lutnn);
  EXPECT_EQ(plan.ops[1].macs(), 197 * 768 * 3072);
  EXPECT_GE(plan.ops[1].weight_bytes, 768 * 3072);  // the INT8 weights, re-streams included
}

TEST(LutnnPlan, TablesThatOutgrowTheCodeBufferStreamOncePerPassOfRows) {
  HwConfig config;
  config.linear.engine = LinearEngine::lutnn;
  config.sram.activation_kib = 4;  // 2 KiB for codes: 197 x 24 = 4728 code bytes take 3 passes
  const ExecutionPlan plan = build_plan(fc_trace(), config);
  const PlannedOp& fc1 = plan.ops[1];
  EXPECT_EQ(fc1.lutnn_cost.table_passes, 3);
  EXPECT_EQ(fc1.weight_bytes, 3 * 24 * 16 * 3072 + 24 * 16 * 32 + 4 * 3072);
}

TEST(LutnnPlan, AConvUsesItsWindowAsTheSubvector) {
  workloads::Trace trace;
  trace.model = "conv";
  trace.ops.push_back(op_of("x", OpType::reshape, {{16, 32, 32}}, {16, 32, 32}, {}));
  auto conv = op_of("conv", OpType::conv, {{16, 32, 32}}, {32, 32, 32}, {"x"});
  conv.weights = {32, 16, 3, 3};
  conv.kernel = {3, 3};
  trace.ops.push_back(conv);
  HwConfig config;
  config.linear.engine = LinearEngine::lutnn;
  const ExecutionPlan plan = build_plan(trace, config);  // kept alive: p refers into it
  const PlannedOp& p = plan.ops[1];
  ASSERT_TRUE(p.lutnn);
  const int64_t pixels = 32 * 32, d = 16 * 9, c = 16;  // v = 9: one input channel's 3 x 3 window
  EXPECT_EQ(p.macs(), pixels * c * 9 * 16);
  EXPECT_EQ(p.lutnn_cost.counts.lookup_ops, pixels * c * 32);
  EXPECT_EQ(p.weight_bytes, c * 16 * 32 + c * 16 * 9 + 4 * 32);
  EXPECT_EQ(p.lutnn_cost.counts.dense_ops, 2 * pixels * d * 32);
}

}  // namespace
}  // namespace npusim::hw
