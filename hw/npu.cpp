#include "hw/npu.hpp"

namespace npusim::hw {

Npu::Npu(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, ActivityLog& log,
         FunctionalChecker* functional)
    : sc_core::sc_module(name),
      dram("dram", config, log),
      dma("dma", config, log),
      mau("mau", config, log),
      lut_unit("lut_unit", config, log),
      nnlut_unit("nnlut_unit", config, log),
      dsp("dsp", config, log),
      command_processor("command_processor", config, plan, Units{mau, lut_unit, nnlut_unit, dsp, dma}, log,
                        functional) {
  dma.socket.bind(dram.socket);
}

}  // namespace npusim::hw
