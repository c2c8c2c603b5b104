// The Bespoke LUT unit inside the MAU pipeline: lanes of 2-cycle pipelined lookups, resident table
// slots filled by DMA, no comparator. In functional mode it computes real outputs through the same
// lookup code as the reference (models/lut/lut_interpolation), so the two cannot disagree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "hw/config/hw_config.hpp"
#include "hw/sim/units/lut_unit_rtl.hpp"
#include "hw/cost/nonlinear_timing.hpp"
#include "hw/sim/units/table_slots.hpp"
#include "hw/sim/unit_schedule.hpp"
#include "models/lut/bespoke_lut.hpp"

namespace npusim::hw {

class LutUnit : public sc_core::sc_module {
 public:
  LutUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  // True when the table must be loaded before use (it becomes resident, evicting the oldest).
  bool needs_load(const std::string& table_key) { return slots_.use(table_key); }

  // Blocks the calling thread for `cycles` of pipelined lookups over `elements`.
  void run(const Turn& turn, int64_t cycles, int64_t elements);

  // Functional mode: the unit's outputs for `codes`, from the C++ lookup or, with lut_unit.model rtl,
  // from the Verilated RTL (which advances simulated time by its cycles).
  std::vector<int16_t> compute(const BespokeLut& lut, const std::vector<uint16_t>& codes);

 private:
  std::unique_ptr<LutUnitRtl> rtl_;
  UnitSchedule schedule_;
  TableSlots slots_;
};

}  // namespace npusim::hw
