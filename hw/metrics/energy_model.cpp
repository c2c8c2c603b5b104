#include "hw/metrics/energy_model.hpp"

namespace npusim::hw {

namespace {
constexpr double kUjPerPj = 1e-6;
double uj(int64_t count, double pj_each) { return static_cast<double>(count) * pj_each * kUjPerPj; }
}  // namespace

EnergyBreakdown EnergyModel::energy(const EnergyEvents& e) const {
  EnergyBreakdown b;
  b.mac_uj = uj(e.int8_macs, config_.mac_int8_pj);
  b.vector_uj = uj(e.vector_lane_cycles, config_.vector_lane_op_pj);
  const std::array<double, kSramBufferCount> sram_pj = {config_.weight_sram_pj_per_byte, config_.activation_sram_pj_per_byte,
                                                        config_.accumulator_sram_pj_per_byte};
  for (size_t buffer = 0; buffer < sram_pj.size(); ++buffer) {
    b.sram_uj += uj(e.sram.read_bytes[buffer] + e.sram.write_bytes[buffer], sram_pj[buffer]);
  }
  b.dram_uj = uj(e.dram_bytes, config_.dram_pj_per_byte);
  b.lut_uj = uj(e.lut_lookups, config_.lut_lookup_pj);
  b.nnlut_uj = uj(e.nnlut_lookups, config_.nnlut_lookup_pj);
  b.lutnn_uj = uj(e.lutnn_lookups, config_.lutnn_lookup_pj);
  b.dsp_uj = uj(e.dsp_lane_cycles, config_.dsp_lane_cycle_pj) + uj(e.sram.dsp_local_bytes, config_.dsp_local_memory_pj_per_byte);
  return b;
}

}  // namespace npusim::hw
