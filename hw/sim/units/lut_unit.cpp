#include "hw/sim/units/lut_unit.hpp"

namespace npusim::hw {

LutUnit::LutUnit(sc_core::sc_module_name name, const UnitContext& context, bool rtl)
    : Unit(name, UnitRole::lut),
      schedule_(path(), UnitRole::lut, context.config.cycle_ns(), context.log, context.arbiter),
      slots_(context.config.lut_unit.table_slots) {
  if (rtl) rtl_ = std::make_unique<LutUnitRtl>("rtl", context.config.cycle_ns());
}

void LutUnit::serve(tlm::tlm_generic_payload& payload) {
  EngineCommand& c = command_of(payload);
  switch (c.action) {
    case EngineCommand::Action::compute:
      schedule_.run(c.turn, c.cycles, Category::nonlinear_compute, 0, c.elements);
      break;
    case EngineCommand::Action::load_table:
      c.load_bytes = slots_.use(c.table_key) ? c.table_bytes : 0;
      break;
    case EngineCommand::Action::lookup: {
      const auto* codes = reinterpret_cast<const uint16_t*>(payload.get_data_ptr());
      const size_t count = payload.get_data_length() / sizeof(uint16_t);
      if (rtl_) {
        c.lut_outputs = rtl_->compute(*c.lut, std::vector<uint16_t>(codes, codes + count));
      } else {
        c.lut_outputs.resize(count);
        c.lut->lookup_batch(codes, c.lut_outputs.data(), count);
      }
      break;
    }
  }
}

}  // namespace npusim::hw
