// The LUT-NN table-lookup unit (linear.engine lutnn, SPEC 2.7): lanes that read one INT8 table entry
// and add it into an INT16 block accumulator per cycle, busy for the cycles the plan priced
// (hw/cost/lutnn_timing). Its time is the linear layer's own work (it replaces the array's
// multiplies), which the command processor charges as MAU compute.
#pragma once

#include "hw/sim/units/busy_unit.hpp"

namespace npusim::hw {

class LutnnUnit : public BusyUnit {
 public:
  LutnnUnit(sc_core::sc_module_name name, const UnitContext& context) : BusyUnit(name, UnitRole::lutnn, context) {}
};

}  // namespace npusim::hw
