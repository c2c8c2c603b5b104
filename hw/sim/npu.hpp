// The NPU top: DRAM, DMA, MAU, LUT unit, NN-LUT unit, LUT-NN unit, DSP and the command processor, wired with
// TLM-2.0 sockets (DMA initiator -> DRAM target).
#pragma once

#include <memory>

#include <systemc>

#include "hw/sim/command_processor.hpp"
#include "hw/sim/units/dram.hpp"

namespace npusim::hw {

class Npu : public sc_core::sc_module {
 public:
  Npu(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, ActivityLog& log,
      FunctionalChecker* functional);

  bool finished() const { return command_processor.finished(); }

  Arbiter arbiter;
  Dram dram;
  Dma dma;
  Mau mau;
  LutUnit lut_unit;
  NnLutUnit nnlut_unit;
  LutnnUnit lutnn_unit;
  Dsp dsp;
  CommandProcessor command_processor;
};

}  // namespace npusim::hw
