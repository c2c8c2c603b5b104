#include "hw/sim/units/dsp.hpp"

namespace npusim::hw {

Dsp::Dsp(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name),
      schedule_("dsp", config.cycle_ns(), log, arbiter),
      chunk_bytes_(int64_t{config.dsp.local_memory_kib} * 1024 / 2) {}

void Dsp::run(const Turn& turn, int64_t cycles, int64_t elements) {
  schedule_.run(turn, cycles, Category::nonlinear_compute, 0, elements);
}

}  // namespace npusim::hw
