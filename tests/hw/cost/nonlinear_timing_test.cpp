// The non-linear engines' cost model in closed form, without a simulation.
#include <gtest/gtest.h>

#include "hw/cost/nonlinear_timing.hpp"

namespace npusim::hw {
namespace {

TEST(NonlinearTiming, TableUnitsArePipelined) {
  HwConfig c;
  c.lut_unit.lanes = 8;
  c.lut_unit.cycles_per_lookup = 2;
  c.lut_unit.command_cycles = 0;
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

TEST(NonlinearTiming, NnLutSequentialSearchHoldsTheLane) {
  HwConfig c;
  c.nnlut_unit.lanes = 4;
  c.nnlut_unit.cycles_per_lookup = 3;
  c.nnlut_unit.segments = 16;
  c.nnlut_unit.search = ComparatorSearch::sequential;
  c.nnlut_unit.command_cycles = 0;
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
  c.mau.vector_command_cycles = 0;
  c.dsp.costs.command_cycles = c.dsp.costs.chunk_setup_cycles = c.dsp.costs.pass_setup_cycles = 0;
  const NonlinearTiming t(c);
  EXPECT_EQ(t.cost(NonlinearEngine::dsp, {NonlinearKind::gelu, 1600, 1}).dsp_cycles, 72 * 100);
  EXPECT_EQ(t.cost(NonlinearEngine::ibert, {NonlinearKind::gelu, 640, 1}).integer_cycles, 18 * 10);
}

TEST(NonlinearTiming, EveryUnitPaysItsCommandOncePerCommand) {
  HwConfig c;
  c.lut_unit.lanes = 8;
  c.lut_unit.cycles_per_lookup = 2;
  c.lut_unit.command_cycles = 30;
  c.nnlut_unit.command_cycles = 40;
  c.mau.vector_command_cycles = 10;
  c.mau.vector_lanes = 64;
  c.ibert.gelu_ops = 18;
  const NonlinearTiming t(c);
  NonlinearWork gelu{NonlinearKind::gelu, 1000, 10};
  EXPECT_EQ(t.cost(NonlinearEngine::lut, gelu).lookup_cycles, 125 + 1 + 30);
  gelu.commands = 4;  // a fused attention issues its softmax once per row block
  EXPECT_EQ(t.cost(NonlinearEngine::lut, gelu).lookup_cycles, 125 + 1 + 4 * 30);
  EXPECT_EQ(t.cost(NonlinearEngine::nnlut, gelu).lookup_cycles, 125 + 2 + 4 * 40);
  EXPECT_EQ(t.cost(NonlinearEngine::ibert, gelu).integer_cycles, (18 * 1000 + 63) / 64 + 4 * 10);
}

// A 16-lane DSP with round per-element and fixed costs, so the tests below can count cycles by hand.
HwConfig dsp_with_hand_counted_costs() {
  HwConfig c;
  c.dsp.lanes = 16;
  DspCostConfig& k = c.dsp.costs;
  k.softmax_cycles = 80;
  k.rmsnorm_cycles = 30;
  k.gelu_cycles = 60;
  k.int_to_float_cycles = k.float_to_int_cycles = 1;
  k.command_cycles = 100;
  k.chunk_setup_cycles = 50;
  k.pass_setup_cycles = 12;
  k.reduction_cycles = 16;
  k.row_scalar_cycles = 20;
  return c;
}

TEST(NonlinearTiming, TheDspPaysPerCommandChunkRowPassAndReduction) {
  const HwConfig c = dsp_with_hand_counted_costs();
  const DspCostModel dsp(c.dsp);
  // Softmax over 4 rows of 2048 in 2 chunks: 100 + 2 x 50 + 4 x (3 x 12 + 2 x 16 + 20) + 8192 x 82 / 16.
  NonlinearWork softmax{NonlinearKind::softmax, 4 * 2048, 4};
  softmax.chunks = 2;
  EXPECT_EQ(dsp.cycles(softmax), 100 + 100 + 4 * 88 + 8192 * 82 / 16);
  // RMSNorm: two passes, one reduction per row.
  NonlinearWork norm{NonlinearKind::rmsnorm, 4 * 2048, 4};
  EXPECT_EQ(dsp.cycles(norm), 100 + 50 + 4 * (2 * 12 + 16 + 20) + 8192 * 32 / 16);
  // GELU is element-wise: one pass per chunk, rows do not matter.
  NonlinearWork gelu{NonlinearKind::gelu, 4 * 2048, 4};
  gelu.chunks = 3;
  EXPECT_EQ(dsp.cycles(gelu), 100 + 3 * 50 + 3 * 12 + 8192 * 62 / 16);
  // Per element, a long row costs less than a short one: the row's fixed passes spread over it.
  NonlinearWork short_rows{NonlinearKind::softmax, 32 * 256, 32};
  EXPECT_GT(dsp.cycles(short_rows), dsp.cycles(softmax));
  EXPECT_EQ(NonlinearTiming(c).cost(NonlinearEngine::dsp, softmax).dsp_cycles, dsp.cycles(softmax));
}

// A vector DSP's softmax walks a row three times (max, exp and sum, normalise) with two cross-lane
// reductions and one scalar reciprocal: one row of L elements costs a fixed part per row plus L times
// the per-element instructions over the lanes, so the cost grows with the row length by passes, not
// by a per-op constant. Hand count with 16 lanes, 80 + 1 + 1 cycles per element.
TEST(NonlinearTiming, DspSoftmaxGrowsWithTheRowLengthAsItsPasses) {
  const HwConfig c = dsp_with_hand_counted_costs();
  const DspCostModel dsp(c.dsp);
  const int64_t per_row_fixed = 3 * 12 + 2 * 16 + 20;  // three passes, two reductions, one reciprocal
  for (const int64_t length : {16, 256, 2048, 8192}) {
    const NonlinearWork row{NonlinearKind::softmax, length, 1};
    EXPECT_EQ(dsp.cycles(row), 100 + 50 + per_row_fixed + length * 82 / 16) << length;
  }
  // The same 8192 elements as 512 rows of 16 pay the row's passes 512 times.
  const NonlinearWork short_rows{NonlinearKind::softmax, 8192, 512};
  EXPECT_EQ(dsp.cycles(short_rows), 100 + 50 + 512 * per_row_fixed + 8192 * 82 / 16);
}

}  // namespace
}  // namespace npusim::hw
