// The DSP beside the MAU: vector lanes with a per-function instruction cost per element and
// int/float conversions (NonlinearTiming), and a local memory that bounds how much of an op's data
// it holds at once; data reaches it from the MAU's buffers over DRAM or an on-chip link.
#pragma once

#include <systemc>

#include "hw/config/hw_config.hpp"
#include "hw/cost/nonlinear_timing.hpp"
#include "hw/sim/unit_schedule.hpp"

namespace npusim::hw {

class Dsp : public sc_core::sc_module {
 public:
  Dsp(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  void run(const Turn& turn, int64_t cycles, int64_t elements);
  // Bytes of one chunk: half the local memory, so one chunk moves while the other computes.
  int64_t chunk_bytes() const { return chunk_bytes_; }

 private:
  UnitSchedule schedule_;
  int64_t chunk_bytes_;
};

}  // namespace npusim::hw
