// The MAC array (MAU): two units, the systolic array (`mau.array`: matrix multiplies) and its vector path
// (`mau.vector`: element-wise work, requantisation, the decomposition steps of softmax and the norms,
// the I-BERT / I-ViT integer sequences). Each is busy for the cycles the plan priced
// (hw/cost/mau_timing, hw/cost/nonlinear_timing).
#pragma once

#include <systemc>

#include "hw/sim/units/busy_unit.hpp"

namespace npusim::hw {

class Mau : public sc_core::sc_module {
 public:
  Mau(sc_core::sc_module_name name, const UnitContext& context)
      : sc_core::sc_module(name), array("array", UnitRole::mau_array, context), vector("vector", UnitRole::mau_vector, context) {}

  BusyUnit array;
  BusyUnit vector;
};

}  // namespace npusim::hw
