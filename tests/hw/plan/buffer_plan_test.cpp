// The buffer model in closed form: which tiles and loop order a GEMM gets under given SRAM sizes, and
// the DRAM traffic that follows, against hand counts; spills and reloads through the plan builder.
#include <gtest/gtest.h>

#include "hw/plan/buffer_plan.hpp"
#include "hw/plan/plan_builder.hpp"
#include "common/error.hpp"

namespace npusim::hw {
namespace {

HwConfig paper_like(int weight_kib, int activation_kib, int accumulator_kib) {
  HwConfig c;
  c.sram.weight_kib = weight_kib;
  c.sram.activation_kib = activation_kib;
  c.sram.accumulator_kib = accumulator_kib;
  c.sram.double_buffered = false;
  return c;
}

GemmOperands matmul(int64_t m, int64_t k, int64_t n, bool input_on_chip, bool output_on_chip) {
  GemmOperands o;
  o.shape = {m, k, n, 1};
  o.input_bytes = m * k;
  o.weight_bytes = k * n;
  o.input_on_chip = input_on_chip;
  o.output_on_chip = output_on_chip;
  return o;
}

TEST(GemmPlanner, AWeightBlockCoveringTheReductionStreamsOnce) {
  // ViT-Base fc1 with its input and output on chip: a 768 x 128 weight block (96 KiB) fits the
  // 128 KiB buffer, serves all 197 rows, and the accumulator (64 KiB) holds all 197 rows of a fold.
  const GemmPlan p = GemmPlanner(paper_like(128, 128, 64)).plan(matmul(197, 768, 3072, true, true), 64 * 1024);
  EXPECT_EQ(p.weight_dram_bytes, 768 * 3072);
  EXPECT_EQ(p.input_dram_bytes, 0);
  EXPECT_EQ(p.output_dram_bytes, 0);
  EXPECT_EQ(p.k_tiles, 1);
  EXPECT_EQ(p.row_tiles, 1);
  EXPECT_EQ(p.cost.tiling_cycles, 0);
}

TEST(GemmPlanner, WeightsStreamAgainForEveryRowTileWhenTheReductionDoesNotFit) {
  // ViT-Base fc2: a 3072 x 64 weight block (192 KiB) exceeds a 64 KiB buffer, so the reduction is cut
  // and the partial sums of a row tile wait in the accumulator: 16 KiB holds 64 rows x 64 INT32
  // columns, so 197 rows take 4 row tiles and the 2.36 MB of weights stream 4 times.
  const GemmPlan p = GemmPlanner(paper_like(64, 128, 16)).plan(matmul(197, 3072, 768, true, true), 64 * 1024);
  EXPECT_GT(p.k_tiles, 1);
  EXPECT_EQ(p.row_tiles, 4);
  EXPECT_EQ(p.weight_dram_bytes, 4 * 3072 * 768);
  EXPECT_EQ(p.input_dram_bytes, 0);
  EXPECT_GT(p.cost.tiling_cycles, 0);  // each row tile restarts the folds
}

TEST(GemmPlanner, AnInputThatDoesNotFitIsReadAgainForEveryColumnBlock) {
  // fc1 whose input was spilled: 151 KB does not fit the 64 KiB free, so either the rows loop
  // outside (weights again for each of 3 row tiles of at most 85 rows: 3 x 2.36 MB + 151 KB) or the
  // weights do (each 768 x 128 block once, the input again for each of 24 blocks: 2.36 MB + 24 x
  // 151 KB). At 3 GB/s the second moves fewer bytes and is faster.
  const GemmPlan p = GemmPlanner(paper_like(128, 128, 64)).plan(matmul(197, 768, 3072, false, true), 64 * 1024);
  EXPECT_EQ(p.order, LoopOrder::weights_outer);
  EXPECT_EQ(p.col_tiles, 24);
  EXPECT_EQ(p.weight_dram_bytes, 768 * 3072);
  EXPECT_EQ(p.input_dram_bytes, 24 * 197 * 768);
  EXPECT_LE(p.working_activation_bytes, 64 * 1024);
}

TEST(GemmPlanner, BuffersTooSmallForOneTileAreAClearError) {
  EXPECT_THROW(GemmPlanner(paper_like(1, 1, 1)).plan(matmul(197, 768, 768, false, false), 1024), Error);
}

TEST(GemmPlanner, GroupedQueryAttentionLoadsASharedOperandOncePerGroup) {
  // 32 heads share 4 spilled key blocks of [64 x 2048]: each 128 KiB block fits the 256 KiB buffer once.
  GemmOperands o;
  o.shape = {2048, 64, 2048, 32};
  o.input_bytes = 32 * 2048 * 64;
  o.weight_bytes = 4 * 64 * 2048;
  o.weight_sharing = 8;
  o.input_on_chip = true;
  o.output_on_chip = false;
  const GemmPlan p = GemmPlanner(paper_like(256, 512, 64)).plan(o, 256 * 1024);
  EXPECT_TRUE(p.weights_resident);
  EXPECT_EQ(p.weight_dram_bytes, 4 * 64 * 2048);
  EXPECT_EQ(p.output_dram_bytes, 32LL * 2048 * 2048);
}

TEST(GemmPlanner, AUnifiedScratchpadHoldsTheWeightsBesideTheActivationTiles) {
  // ViT-Base q_proj, input and output on chip: its 768 x 768 weights (576 KiB) stay whole when the free
  // scratchpad holds them, and take their room from it; with 256 KiB free only tiles rotate, each of
  // them room taken from the same 256 KiB.
  HwConfig c = paper_like(1, 1, 64);
  c.sram.unified = true;
  const GemmPlan whole = GemmPlanner(c).plan(matmul(197, 768, 768, true, true), 1024 * 1024);
  EXPECT_TRUE(whole.weights_resident);
  EXPECT_EQ(whole.weight_dram_bytes, 768 * 768);
  EXPECT_GE(whole.working_activation_bytes, 768 * 768);
  const GemmPlan tiled = GemmPlanner(c).plan(matmul(197, 768, 768, true, true), 256 * 1024);
  EXPECT_FALSE(tiled.weights_resident);
  EXPECT_LE(tiled.working_activation_bytes, 256 * 1024);
  EXPECT_GE(tiled.weight_dram_bytes, 768 * 768);
  // Separate buffers ignore the activation room for weights: sram.weight_kib = 1 holds no tile at all.
  EXPECT_THROW(GemmPlanner(paper_like(1, 1024, 64)).plan(matmul(197, 768, 768, true, true), 1024 * 1024), Error);
}

TEST(ActivationSram, KeepsTensorsUntilTheirLastConsumer) {
  ActivationSram sram(1000);
  sram.keep(1, 400, 2);
  sram.keep(2, 300, 1);
  EXPECT_EQ(sram.free_bytes(), 300);
  sram.consume(1);
  EXPECT_TRUE(sram.holds(1));
  sram.alias(2, 3, 2);  // a reshape of tensor 2 (its only use) with two consumers of its own
  EXPECT_TRUE(sram.holds(3));
  EXPECT_EQ(sram.buffer_of(3), 2);
  sram.consume(1);
  EXPECT_EQ(sram.free_bytes(), 700);
  sram.consume(3);
  EXPECT_EQ(sram.free_bytes(), 700);  // one use of the reshaped name left
  sram.consume(3);
  EXPECT_EQ(sram.free_bytes(), 1000);
  EXPECT_FALSE(sram.holds(2));
  EXPECT_FALSE(sram.holds(3));
}

TEST(ActivationSram, EvictingABufferReturnsEveryNameOfIt) {
  ActivationSram sram(1000);
  sram.keep(4, 600, 1);
  sram.alias(4, 5, 2);
  sram.keep(6, 100, 1);
  EXPECT_EQ(sram.kept().front(), (std::pair<int, int64_t>{4, 600}));
  EXPECT_EQ(sram.evict(5), (std::vector<int>{4, 5}));
  EXPECT_EQ(sram.free_bytes(), 900);
  EXPECT_FALSE(sram.holds(5));
}

// fc1 -> gelu -> fc2, the MLP of a ViT-Base block, with a 128 KiB activation SRAM.
workloads::Trace mlp_trace() {
  using workloads::OpType;
  using workloads::Precision;
  workloads::Trace t;
  t.model = "mlp";
  workloads::TraceOp x;
  x.id = x.layer = "x";
  x.type = OpType::reshape;
  x.inputs = {{197, 768}};
  x.output = {197, 768};
  t.ops.push_back(x);
  workloads::TraceOp fc1 = x;
  fc1.id = fc1.layer = "fc1";
  fc1.type = OpType::matmul;
  fc1.output = {197, 3072};
  fc1.weights = {768, 3072};
  fc1.deps = {"x"};
  t.ops.push_back(fc1);
  workloads::TraceOp gelu;
  gelu.id = gelu.layer = "gelu";
  gelu.type = OpType::gelu;
  gelu.inputs = {{197, 3072}};
  gelu.output = {197, 3072};
  gelu.output_precision = Precision::int16;
  gelu.deps = {"fc1"};
  gelu.ranges[Function::gelu] = {-6.5, 7.5, {}, {}};
  t.ops.push_back(gelu);
  workloads::TraceOp fc2;
  fc2.id = fc2.layer = "fc2";
  fc2.type = OpType::matmul;
  fc2.inputs = {{197, 3072}};
  fc2.output = {197, 768};
  fc2.weights = {3072, 768};
  fc2.input_precision = Precision::int16;
  fc2.deps = {"gelu"};
  t.ops.push_back(fc2);
  return t;
}

int64_t bytes_of(const std::vector<Transfer>& transfers, TrafficKind kind) {
  int64_t total = 0;
  for (const Transfer& t : transfers) total += t.kind == kind ? t.bytes : 0;
  return total;
}

TEST(PlanBuilder, TensorsThatDoNotFitAreSpilledAndReloaded) {
  const ExecutionPlan plan = build_plan(mlp_trace(), paper_like(128, 128, 64));
  const PlannedOp& fc1 = plan.ops[1];
  const PlannedOp& gelu = plan.ops[2];
  const PlannedOp& fc2 = plan.ops[3];
  // The block input comes from DRAM; fc1's 605 KB output does not fit 128 KiB: written out...
  EXPECT_GE(bytes_of(fc1.loads, TrafficKind::activations), 197 * 768);
  EXPECT_EQ(bytes_of(fc1.stores, TrafficKind::spills), 197 * 3072);
  // ...read back by the GELU, whose 16-bit output (1.2 MB) is spilled in turn...
  EXPECT_EQ(bytes_of(gelu.loads, TrafficKind::spills), 197 * 3072);
  EXPECT_EQ(bytes_of(gelu.stores, TrafficKind::spills), 197 * 3072 * 2);
  // ...and read by fc2 at least once, as INT16: two passes of the INT8 array.
  EXPECT_GE(bytes_of(fc2.loads, TrafficKind::spills), 197 * 3072 * 2);
  EXPECT_EQ(fc2.gemm_plan.cost.int16_cycles, fc2.gemm_plan.cost.array_cycles + fc2.gemm_plan.cost.tiling_cycles);
  // The block's output has no consumer here: it goes to DRAM as an activation.
  EXPECT_EQ(bytes_of(fc2.stores, TrafficKind::activations), 197 * 768);
  // The GELU streams fc1's rows as they finish; fc2 consumes the GELU's rows in order only when its
  // rows are its outer loop.
  EXPECT_TRUE(gelu.streamed_deps[0]);
  EXPECT_EQ(fc2.streamed_deps[0], fc2.gemm_plan.order == LoopOrder::rows_outer || fc2.gemm_plan.col_tiles == 1);
}

TEST(PlanBuilder, WithoutKeptActivationsEveryOpGoesThroughDram) {
  HwConfig c = paper_like(1024, 4096, 256);
  c.compiler.keep_activations = false;
  const ExecutionPlan plan = build_plan(mlp_trace(), c);
  EXPECT_EQ(bytes_of(plan.ops[1].stores, TrafficKind::spills), 197 * 3072);
  EXPECT_EQ(bytes_of(plan.ops[2].loads, TrafficKind::spills), 197 * 3072);
  EXPECT_EQ(bytes_of(plan.ops[2].stores, TrafficKind::spills), 197 * 3072 * 2);
  EXPECT_GE(bytes_of(plan.ops[3].loads, TrafficKind::spills), 197 * 3072 * 2);
}

TEST(PlanBuilder, TensorsThatFitStayOnChip) {
  const ExecutionPlan plan = build_plan(mlp_trace(), paper_like(1024, 4096, 256));
  EXPECT_TRUE(plan.ops[1].stores.empty());
  EXPECT_TRUE(plan.ops[2].loads.empty());
  EXPECT_TRUE(plan.ops[2].stores.empty());
  EXPECT_TRUE(plan.ops[3].loads.empty());
  EXPECT_EQ(plan.ops[1].weight_bytes, 768 * 3072);
  EXPECT_EQ(plan.ops[3].weight_bytes, 3072 * 768);
}

}  // namespace
}  // namespace npusim::hw
