#include "hw/metrics/energy_model.hpp"

#include <gtest/gtest.h>

namespace npusim::hw {
namespace {

// Every part by hand: count x pJ each, 1e-6 uJ per pJ, with figures chosen apart so a mix-up shows.
TEST(EnergyModel, EachPartIsItsEventCountTimesItsEnergy) {
  EnergyConfig c;
  c.mac_int8_pj = 0.5;
  c.vector_lane_op_pj = 2.0;
  c.weight_sram_pj_per_byte = 3.0;
  c.activation_sram_pj_per_byte = 5.0;
  c.accumulator_sram_pj_per_byte = 7.0;
  c.dram_pj_per_byte = 100.0;
  c.lut_lookup_pj = 11.0;
  c.nnlut_lookup_pj = 13.0;
  c.lutnn_lookup_pj = 2.0;
  c.dsp_lane_cycle_pj = 17.0;
  c.dsp_local_memory_pj_per_byte = 19.0;
  EnergyEvents e;
  e.int8_macs = 2'000'000;
  e.vector_lane_cycles = 1000;
  e.sram.read_bytes = {100, 200, 300};  // weight, activation, accumulator
  e.sram.write_bytes = {10, 20, 30};
  e.sram.dsp_local_bytes = 40;
  e.dram_bytes = 5000;
  e.lut_lookups = 600;
  e.nnlut_lookups = 700;
  e.lutnn_lookups = 900;
  e.dsp_lane_cycles = 800;
  const EnergyBreakdown b = EnergyModel(c).energy(e);
  EXPECT_DOUBLE_EQ(b.mac_uj, 1.0);                                         // 2e6 x 0.5 pJ
  EXPECT_DOUBLE_EQ(b.vector_uj, 2000e-6);
  EXPECT_DOUBLE_EQ(b.sram_uj, (110 * 3.0 + 220 * 5.0 + 330 * 7.0) * 1e-6);  // 3740 pJ
  EXPECT_DOUBLE_EQ(b.dram_uj, 0.5);
  EXPECT_DOUBLE_EQ(b.lut_uj, 6600e-6);
  EXPECT_DOUBLE_EQ(b.nnlut_uj, 9100e-6);
  EXPECT_DOUBLE_EQ(b.lutnn_uj, 1800e-6);
  EXPECT_DOUBLE_EQ(b.dsp_uj, (800 * 17.0 + 40 * 19.0) * 1e-6);
  EXPECT_DOUBLE_EQ(b.total_uj(), 1.0 + 0.002 + 0.00374 + 0.5 + 0.0066 + 0.0091 + 0.0018 + 0.01436);
}

TEST(EnergyModel, NoEventsCostNothingAndZeroFiguresSwitchAPartOff) {
  EXPECT_EQ(EnergyModel(EnergyConfig{}).energy(EnergyEvents{}).total_uj(), 0.0);
  EnergyConfig c;
  c.dram_pj_per_byte = 0.0;
  EnergyEvents e;
  e.dram_bytes = 1 << 20;
  EXPECT_EQ(EnergyModel(c).energy(e).dram_uj, 0.0);
}

}  // namespace
}  // namespace npusim::hw
