// A unit that is busy, in arrival order, for the cycles each command names (the plan priced them):
// the MAC array, the vector path and the LUT-NN lookup lanes are such units.
#pragma once

#include "hw/sim/unit_schedule.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class BusyUnit : public Unit {
 public:
  BusyUnit(sc_core::sc_module_name name, UnitRole role, const UnitContext& context)
      : Unit(name, role), schedule_(path(), role, context.config.cycle_ns(), context.log, context.arbiter) {}

 protected:
  void serve(tlm::tlm_generic_payload& payload) override {
    const EngineCommand& c = command_of(payload);
    if (c.action == EngineCommand::Action::compute) schedule_.run(c.turn, c.cycles, c.category, c.macs, c.elements);
  }

  UnitSchedule schedule_;
};

}  // namespace npusim::hw
