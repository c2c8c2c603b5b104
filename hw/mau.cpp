#include "hw/mau.hpp"

namespace npusim::hw {

Mau::Mau(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log)
    : sc_core::sc_module(name),
      array_("mau.array", config.cycle_ns(), log),
      vector_path_("mau.vector", config.cycle_ns(), log) {}

void Mau::array(int op_index, int64_t cycles, int64_t macs) {
  array_.run(cycles, Category::mau_compute, op_index, macs, 0);
}

void Mau::vector(int op_index, int64_t cycles, Category category, int64_t elements) {
  vector_path_.run(cycles, category, op_index, 0, elements);
}

}  // namespace npusim::hw
