#include "hw/sim/units/nnlut_unit.hpp"

namespace npusim::hw {

NnLutUnit::NnLutUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name),
      schedule_("nnlut_unit", config.cycle_ns(), log, arbiter),
      slots_(config.nnlut_unit.table_slots),
      // segments - 1 breakpoints plus a slope and an intercept per segment, 4 bytes each
      table_bytes_(4 * (3 * int64_t{config.nnlut_unit.segments} - 1)) {}

void NnLutUnit::run(const Turn& turn, int64_t cycles, int64_t elements) {
  schedule_.run(turn, cycles, Category::nonlinear_compute, 0, elements);
}

std::vector<int32_t> NnLutUnit::compute(const NnLutTable& table, const std::vector<int32_t>& inputs) const {
  std::vector<int32_t> out;
  out.reserve(inputs.size());
  for (const int32_t x : inputs) out.push_back(table.evaluate_q(x));
  return out;
}

}  // namespace npusim::hw
