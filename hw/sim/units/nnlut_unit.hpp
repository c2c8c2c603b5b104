// The NN-LUT unit: the LUT unit's position in the MAU pipeline, but a comparator stage (parallel
// comparators or a sequential search over the breakpoints) before the multiply-add.
#pragma once

#include <string>
#include <vector>

#include <systemc>

#include "hw/config/hw_config.hpp"
#include "hw/cost/nonlinear_timing.hpp"
#include "hw/sim/units/table_slots.hpp"
#include "hw/sim/unit_schedule.hpp"
#include "models/nnlut/nn_lut.hpp"

namespace npusim::hw {

class NnLutUnit : public sc_core::sc_module {
 public:
  NnLutUnit(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  bool needs_load(const std::string& table_key) { return slots_.use(table_key); }
  void run(const Turn& turn, int64_t cycles, int64_t elements);
  // Functional mode: the unit's INT32 outputs through the reference's NN-LUT evaluation.
  std::vector<int32_t> compute(const NnLutTable& table, const std::vector<int32_t>& inputs) const;
  // Bytes of one table: breakpoints, slopes and intercepts as INT32.
  int64_t table_bytes() const { return table_bytes_; }

 private:
  UnitSchedule schedule_;
  TableSlots slots_;
  int64_t table_bytes_;
};

}  // namespace npusim::hw
