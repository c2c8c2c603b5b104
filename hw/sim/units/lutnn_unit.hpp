// The LUT-NN table-lookup unit (linear.engine lutnn, SPEC 2.7): lanes that read one INT8 table entry
// and add it into an INT16 block accumulator per cycle. It is placed in time as the LUT unit is: the plan
// prices its work in cycles (hw/cost/lutnn_timing), this module holds the unit busy for them in order.
#pragma once

#include <cstdint>

#include <systemc>

#include "hw/config/hw_config.hpp"
#include "hw/sim/unit_schedule.hpp"

namespace npusim::hw {

class LutnnUnit : public sc_core::sc_module {
 public:
  LutnnUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  // Blocks the calling thread for `cycles` of pipelined lookups (`lookups` table reads and adds).
  void run(const Turn& turn, int64_t cycles, int64_t lookups);

 private:
  UnitSchedule schedule_;
};

}  // namespace npusim::hw
