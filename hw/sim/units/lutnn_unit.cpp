#include "hw/sim/units/lutnn_unit.hpp"

namespace npusim::hw {

LutnnUnit::LutnnUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name), schedule_("lutnn_unit", config.cycle_ns(), log, arbiter) {}

// The linear layer's own work (it replaces the array's multiplies), not non-linear compute.
void LutnnUnit::run(const Turn& turn, int64_t cycles, int64_t lookups) {
  schedule_.run(turn, cycles, Category::mau_compute, 0, lookups);
}

}  // namespace npusim::hw
