#include "hw/sim/units/nnlut_unit.hpp"

namespace npusim::hw {

NnLutUnit::NnLutUnit(sc_core::sc_module_name name, const UnitContext& context)
    : Unit(name, UnitRole::nnlut),
      schedule_(path(), UnitRole::nnlut, context.config.cycle_ns(), context.log, context.arbiter),
      slots_(context.config.nnlut_unit.table_slots),
      // segments - 1 breakpoints plus a slope and an intercept per segment, 4 bytes each
      table_bytes_(4 * (3 * int64_t{context.config.nnlut_unit.segments} - 1)) {}

void NnLutUnit::serve(tlm::tlm_generic_payload& payload) {
  EngineCommand& c = command_of(payload);
  switch (c.action) {
    case EngineCommand::Action::compute:
      schedule_.run(c.turn, c.cycles, Category::nonlinear_compute, 0, c.elements);
      break;
    case EngineCommand::Action::load_table:
      c.load_bytes = slots_.use(c.table_key) ? table_bytes_ : 0;
      break;
    case EngineCommand::Action::lookup: {
      const auto* inputs = reinterpret_cast<const int32_t*>(payload.get_data_ptr());
      const size_t count = payload.get_data_length() / sizeof(int32_t);
      c.nnlut_outputs.clear();
      c.nnlut_outputs.reserve(count);
      for (size_t i = 0; i < count; ++i) c.nnlut_outputs.push_back(c.nnlut->evaluate_q(inputs[i]));
      break;
    }
  }
}

}  // namespace npusim::hw
