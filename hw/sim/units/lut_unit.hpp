// The Bespoke LUT unit inside the MAU pipeline: lanes of 2-cycle pipelined lookups, resident table
// slots filled by DMA (least recently used evicted first), no comparator. In functional mode it computes
// real outputs through the same lookup code as the reference (models/lut/lut_interpolation), so the two
// cannot disagree; with `lut_unit.model: rtl` through the Verilated RTL instead (hw/sim/units/lut_unit_rtl),
// a pin-level model behind this unit's TLM socket.
#pragma once

#include <memory>

#include "hw/sim/unit_schedule.hpp"
#include "hw/sim/units/lut_unit_rtl.hpp"
#include "hw/sim/units/table_slots.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class LutUnit : public Unit {
 public:
  // `rtl`: look up through the Verilated RTL (functional mode) instead of the C++ datapath.
  LutUnit(sc_core::sc_module_name name, const UnitContext& context, bool rtl);

 protected:
  void serve(tlm::tlm_generic_payload& payload) override;

 private:
  UnitSchedule schedule_;
  TableSlots slots_;
  std::unique_ptr<LutUnitRtl> rtl_;
};

}  // namespace npusim::hw
