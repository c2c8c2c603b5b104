// The MAC array (MAU): the systolic array for matrix multiplies and its vector path for element-wise
// work, decomposition steps and the I-BERT / I-ViT integer sequences. Timing comes from MauTiming.
#pragma once

#include <systemc>

#include "hw/config/hw_config.hpp"
#include "hw/sim/unit_schedule.hpp"

namespace npusim::hw {

class Mau : public sc_core::sc_module {
 public:
  Mau(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  // Each blocks the calling thread until its work is done; the plan has priced it in cycles.
  void array(const Turn& turn, int64_t cycles, int64_t macs);
  void vector(const Turn& turn, int64_t cycles, Category category, int64_t elements);

 private:
  UnitSchedule array_;
  UnitSchedule vector_path_;
};

}  // namespace npusim::hw
