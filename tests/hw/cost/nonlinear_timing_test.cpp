// The non-linear engines' cost model in closed form, without a simulation.
#include <gtest/gtest.h>

#include "hw/cost/nonlinear_timing.hpp"

namespace npusim::hw {
namespace {

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

TEST(NonlinearTiming, NnLutSequentialSearchHoldsTheLane) {
  HwConfig c;
  c.nnlut_unit.lanes = 4;
  c.nnlut_unit.cycles_per_lookup = 3;
  c.nnlut_unit.segments = 16;
  c.nnlut_unit.search = ComparatorSearch::sequential;
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
