#include "hw/sim/npu.hpp"

namespace npusim::hw {

Npu::Npu(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, ActivityLog& log,
         FunctionalChecker* functional)
    : sc_core::sc_module(name),
      arbiter("arbiter"),
      dram("dram", config, log),
      dma("dma", config, log, arbiter),
      mau("mau", config, log, arbiter),
      lut_unit("lut_unit", config, log, arbiter),
      nnlut_unit("nnlut_unit", config, log, arbiter),
      lutnn_unit("lutnn_unit", config, log, arbiter),
      dsp("dsp", config, log, arbiter),
      command_processor("command_processor", config, plan, Units{mau, lut_unit, nnlut_unit, lutnn_unit, dsp, dma, arbiter}, log,
                        functional) {
  dma.socket.bind(dram.socket);
}

}  // namespace npusim::hw
