#include "hw/sim/units/lut_unit.hpp"

namespace npusim::hw {

LutUnit::LutUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name), schedule_("lut_unit", config.cycle_ns(), log, arbiter), slots_(config.lut_unit.table_slots) {
  if (config.lut_unit.model == "rtl") rtl_ = std::make_unique<LutUnitRtl>("rtl", config.cycle_ns());
}

void LutUnit::run(const Turn& turn, int64_t cycles, int64_t elements) {
  schedule_.run(turn, cycles, Category::nonlinear_compute, 0, elements);
}

std::vector<int16_t> LutUnit::compute(const BespokeLut& lut, const std::vector<uint16_t>& codes) {
  if (rtl_) return rtl_->compute(lut, codes);
  std::vector<int16_t> out(codes.size());
  lut.lookup_batch(codes.data(), out.data(), codes.size());
  return out;
}

}  // namespace npusim::hw
