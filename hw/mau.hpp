// The MAC array (MAU): the systolic array for matrix multiplies and its vector path for element-wise
// work, decomposition steps and the I-BERT / I-ViT integer sequences. Timing comes from MauTiming.
#pragma once

#include <systemc>

#include "hw/hw_config.hpp"
#include "hw/mau_timing.hpp"
#include "hw/unit_schedule.hpp"

namespace npusim::hw {

class Mau : public sc_core::sc_module {
 public:
  Mau(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log);

  // Blocks the calling thread until done. A GEMM computed in `parts` pieces (one per weight tile)
  // runs its share of the whole GEMM's cycles per piece: tiling partitions the work, it does not
  // change the array's utilisation.
  void gemm(int op_index, const GemmShape& shape, int part = 0, int parts = 1);
  void vector(int op_index, int64_t cycles, Category category, int64_t elements);

  const MauTiming& timing() const { return timing_; }

 private:
  MauTiming timing_;
  UnitSchedule array_;
  UnitSchedule vector_path_;
};

}  // namespace npusim::hw
