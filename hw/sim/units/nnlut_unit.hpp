// The NN-LUT unit: the LUT unit's position in the MAU pipeline, but a comparator stage (parallel
// comparators or a sequential search over the breakpoints) before the multiply-add. Its tables are one
// per function (NN-LUT is universal): breakpoints, slopes and intercepts as INT32.
#pragma once

#include "hw/sim/unit_schedule.hpp"
#include "hw/sim/units/table_slots.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class NnLutUnit : public Unit {
 public:
  NnLutUnit(sc_core::sc_module_name name, const UnitContext& context);

 protected:
  void serve(tlm::tlm_generic_payload& payload) override;

 private:
  UnitSchedule schedule_;
  TableSlots slots_;
  int64_t table_bytes_;
};

}  // namespace npusim::hw
