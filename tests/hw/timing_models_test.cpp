// Cost models in closed form, without a simulation.
#include <gtest/gtest.h>

#include "hw/mau_timing.hpp"
#include "hw/nonlinear_timing.hpp"

namespace npusim::hw {
namespace {

TEST(MauTiming, WeightStationaryFoldsFollowScaleSim) {
  MauConfig c;
  c.rows = 32;
  c.cols = 64;
  c.compute_efficiency = 1.0;
  const MauTiming t(c);
  // ViT-Base fc1: M=197 tokens, K=768, N=3072.
  const GemmCost cost = t.gemm({197, 768, 3072, 1, false});
  EXPECT_EQ(cost.folds, (768 / 32) * (3072 / 64));
  EXPECT_EQ(cost.cycles, cost.folds * (2 * 32 + 64 + 197 - 2));
  EXPECT_EQ(cost.ideal_cycles, (197LL * 768 * 3072 + 2047) / 2048);
  // Partial folds count whole; batches multiply.
  EXPECT_EQ(t.gemm({10, 33, 65, 3, false}).folds, 2 * 2 * 3);
  // INT16 at a quarter of the rate.
  EXPECT_EQ(t.gemm({197, 768, 3072, 1, true}).cycles, 4 * cost.cycles);
}

TEST(MauTiming, OutputStationaryAndEfficiency) {
  MauConfig c;
  c.rows = 16;
  c.cols = 16;
  c.dataflow = Dataflow::output_stationary;
  c.compute_efficiency = 0.5;
  const MauTiming t(c);
  const GemmCost cost = t.gemm({100, 64, 40, 1, false});
  EXPECT_EQ(cost.folds, 7 * 3);  // ceil(100/16) * ceil(40/16)
  EXPECT_EQ(cost.cycles, 2 * cost.folds * (2 * 16 + 16 + 64 - 2));
  EXPECT_EQ(t.vector_cycles(1000, 3), (3000 + 63) / 64);
}

TEST(NonlinearTiming, TableUnitsArePipelined) {
  HwConfig c;
  c.lut_unit.lanes = 8;
  c.lut_unit.cycles_per_lookup = 2;
  c.mau.vector_lanes = 64;
  const NonlinearTiming t(c);
  const NonlinearCost gelu = t.cost(NonlinearEngine::lut, {NonlinearKind::gelu, 1000, 10});
  EXPECT_EQ(gelu.lookups, 1000);
  EXPECT_EQ(gelu.lookup_cycles, 125 + 1);
  EXPECT_EQ(gelu.decomposition_cycles, 0);
  const NonlinearCost softmax = t.cost(NonlinearEngine::lut, {NonlinearKind::softmax, 197 * 197, 197});
  EXPECT_EQ(softmax.lookups, 197 * 197 + 197);  // exp per element, reciprocal per row
  EXPECT_EQ(softmax.decomposition_cycles, (4 * 197 * 197 + 63) / 64);
  const NonlinearCost norm = t.cost(NonlinearEngine::lut, {NonlinearKind::layernorm, 768 * 197, 197});
  EXPECT_EQ(norm.lookups, 197);
  EXPECT_EQ(norm.decomposition_cycles, (5 * 768 * 197 + 63) / 64);
}

TEST(NonlinearTiming, NnLutIterativeSearchHoldsTheLane) {
  HwConfig c;
  c.nnlut_unit.lanes = 4;
  c.nnlut_unit.cycles_per_lookup = 3;
  c.nnlut_unit.segments = 16;
  c.nnlut_unit.search = ComparatorSearch::iterative;
  const NonlinearTiming t(c);
  // log2(16) = 4 compare steps, then the multiply-add stages: 4 + 3 - 1 cycles per lookup per lane.
  EXPECT_EQ(t.cost(NonlinearEngine::nnlut, {NonlinearKind::gelu, 100, 1}).lookup_cycles, 25 * 6);
  c.nnlut_unit.search = ComparatorSearch::parallel;
  EXPECT_EQ(NonlinearTiming(c).cost(NonlinearEngine::nnlut, {NonlinearKind::gelu, 100, 1}).lookup_cycles, 25 + 2);
}

TEST(NonlinearTiming, DspAndIntegerKernels) {
  HwConfig c;
  c.dsp.lanes = 16;
  c.dsp.costs.gelu_cycles = 70;
  c.dsp.costs.int_to_float_cycles = 1;
  c.dsp.costs.float_to_int_cycles = 1;
  c.ibert.gelu_ops = 18;
  c.mau.vector_lanes = 64;
  const NonlinearTiming t(c);
  EXPECT_EQ(t.cost(NonlinearEngine::dsp, {NonlinearKind::gelu, 1600, 1}).dsp_cycles, 72 * 100);
  EXPECT_EQ(t.cost(NonlinearEngine::ibert, {NonlinearKind::gelu, 640, 1}).integer_cycles, 18 * 10);
}

}  // namespace
}  // namespace npusim::hw

#include "hw/sram.hpp"

namespace npusim::hw {
namespace {

TEST(SramPlanner, RowTilesAndWeightRestreaming) {
  SramConfig c;
  c.weight_kib = 512;
  c.activation_kib = 256;
  const SramPlanner p(c);
  // ViT-Base fc1: 197 rows of 768 in + 3072 out bytes; 256 KiB holds 68 rows -> 3 row tiles.
  const GemmTiling fc1 = p.plan_gemm(197, 768, 3072, 768 * 3072);
  EXPECT_EQ(fc1.row_tiles, 3);
  EXPECT_EQ(fc1.weight_tiles, (768 * 3072 + 256 * 1024 - 1) / (256 * 1024));
  EXPECT_EQ(fc1.weight_bytes_streamed, 3 * 768 * 3072);  // 2.36 MB > 512 KiB: streamed per row tile
  // Weights that fit the buffer are loaded once.
  const GemmTiling small = p.plan_gemm(197, 768, 3072, 400 * 1024);
  EXPECT_EQ(small.weight_bytes_streamed, 400 * 1024);
  // Activation x activation products stream no weights.
  EXPECT_EQ(p.plan_gemm(197, 64, 197, 0).weight_bytes_streamed, 0);
  EXPECT_TRUE(p.stays_on_chip(128 * 1024));
  EXPECT_FALSE(p.stays_on_chip(128 * 1024 + 1));
}

}  // namespace
}  // namespace npusim::hw
