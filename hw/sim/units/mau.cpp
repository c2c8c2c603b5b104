#include "hw/sim/units/mau.hpp"

namespace npusim::hw {

Mau::Mau(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name),
      array_("mau.array", config.cycle_ns(), log, arbiter),
      vector_path_("mau.vector", config.cycle_ns(), log, arbiter) {}

void Mau::array(const Turn& turn, int64_t cycles, int64_t macs) {
  array_.run(turn, cycles, Category::mau_compute, macs, 0);
}

void Mau::vector(const Turn& turn, int64_t cycles, Category category, int64_t elements) {
  vector_path_.run(turn, cycles, category, 0, elements);
}

}  // namespace npusim::hw
