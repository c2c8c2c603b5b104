#include "hw/dsp.hpp"

namespace npusim::hw {

Dsp::Dsp(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log)
    : sc_core::sc_module(name),
      schedule_("dsp", config.cycle_ns(), log),
      chunk_bytes_(int64_t{config.dsp.local_memory_kib} * 1024 / 2) {}

void Dsp::run(int op_index, int64_t cycles, int64_t elements) {
  schedule_.run(cycles, Category::nonlinear_compute, op_index, 0, elements);
}

}  // namespace npusim::hw
