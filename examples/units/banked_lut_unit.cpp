// An example of a unit of your own in npusim's timed loop: a Bespoke LUT unit whose tables sit in
// single-ported banks, so its lanes contend. It times a lookup stream itself, from the number of lookups
// a command carries: ceil(lookups / banks) cycles, instead of the cycles npusim's plan priced for the
// configured lanes. Everything else (table slots, functional lookups) is the built-in unit's behaviour.
//
// Build it as a plugin and select it from a config (docs/user-guide.md, "Bring your own unit"):
//   cmake --build build --target npusim_example_units
//   build/npusim run --plugin build/libnpusim_example_units.so --config examples/banked_lut.yaml
#include <cstdint>

#include "hw/sim/unit_registry.hpp"
#include "hw/sim/unit_schedule.hpp"
#include "hw/sim/units/table_slots.hpp"
#include "hw/sim/units/unit.hpp"

namespace example {

using namespace npusim::hw;

class BankedLutUnit : public Unit {
 public:
  static constexpr int64_t kBanks = 4;

  BankedLutUnit(sc_core::sc_module_name name, const UnitContext& context)
      : Unit(name, UnitRole::lut),
        schedule_(path(), UnitRole::lut, context.config.cycle_ns(), context.log, context.arbiter),
        slots_(context.config.lut_unit.table_slots) {}

 protected:
  void serve(tlm::tlm_generic_payload& payload) override {
    EngineCommand& c = command_of(payload);
    switch (c.action) {
      case EngineCommand::Action::compute:
        // A command with no cycles carries no lookups for this unit (the plan had none to price).
        if (c.cycles > 0) schedule_.run(c.turn, (c.lookups + kBanks - 1) / kBanks, c.category, 0, c.elements);
        break;
      case EngineCommand::Action::load_table:
        c.load_bytes = slots_.use(c.table_key) ? c.table_bytes : 0;
        break;
      case EngineCommand::Action::lookup: {
        const auto* codes = reinterpret_cast<const uint16_t*>(payload.get_data_ptr());
        const size_t count = payload.get_data_length() / sizeof(uint16_t);
        c.lut_outputs.resize(count);
        c.lut->lookup_batch(codes, c.lut_outputs.data(), count);
        break;
      }
    }
  }

 private:
  UnitSchedule schedule_;
  TableSlots slots_;
};

}  // namespace example

using example::BankedLutUnit;
NPUSIM_REGISTER_UNIT("lut_unit", "banked", BankedLutUnit);
