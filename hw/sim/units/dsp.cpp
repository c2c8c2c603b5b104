#include "hw/sim/units/dsp.hpp"

#include <cmath>

#include "hw/cost/transfer_time.hpp"
#include "hw/sim/units/dsp_kernels.hpp"

namespace npusim::hw {

DspLink::DspLink(sc_core::sc_module_name name, const UnitContext& context)
    : Unit(name, UnitRole::link),
      schedule_(path(), UnitRole::link, context.config.cycle_ns(), context.log, context.arbiter),
      bandwidth_gbps_(context.config.dsp.onchip_bandwidth_gbps),
      cycle_ns_(context.config.cycle_ns()) {}

void DspLink::serve(tlm::tlm_generic_payload& payload) {
  const EngineCommand& c = command_of(payload);
  if (c.action != EngineCommand::Action::compute || c.bytes <= 0) return;
  const auto cycles = static_cast<int64_t>(std::ceil(transfer_ns(c.bytes, bandwidth_gbps_) / cycle_ns_));
  schedule_.run(c.turn, cycles, Category::mau_dsp_communication);
}

Dsp::Dsp(sc_core::sc_module_name name, const UnitContext& context)
    : Unit(name, UnitRole::dsp),
      link("link", context),
      schedule_(path(), UnitRole::dsp, context.config.cycle_ns(), context.log, context.arbiter) {}

void Dsp::serve(tlm::tlm_generic_payload& payload) {
  EngineCommand& c = command_of(payload);
  if (c.action == EngineCommand::Action::compute) {
    schedule_.run(c.turn, c.cycles, Category::nonlinear_compute, 0, c.elements);
  } else if (c.action == EngineCommand::Action::lookup) {
    const auto* row = reinterpret_cast<const double*>(payload.get_data_ptr());
    c.dsp_outputs = dsp_kernel<float>(c.kernel, std::vector<double>(row, row + payload.get_data_length() / sizeof(double)));
  }
}

}  // namespace npusim::hw
