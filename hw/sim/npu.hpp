// The NPU top: the command processor (TLM-2.0 initiator) bound to every unit's target socket, the DMA
// engine's initiator bound to DRAM. Each slot's module comes from the unit registry under the model the
// config names (`dram.model`, `lut_unit.model`; hw/sim/unit_registry.hpp), in the order the reports list
// the units: MAU (array, vector path), LUT unit, NN-LUT unit, DSP (and its link), LUT-NN unit (with
// linear.engine lutnn), DMA, DRAM.
#pragma once

#include <memory>
#include <vector>

#include <systemc>

#include "hw/sim/command_processor.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class Npu : public sc_core::sc_module {
 public:
  Npu(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, ActivityLog& log,
      FunctionalChecker* functional);

  bool finished() const { return command_processor_->finished(); }

  // Every unit's activity names, in elaboration order (the order of the reports' unit columns).
  std::vector<UnitInfo> units() const;

 private:
  Arbiter arbiter_;
  UnitContext context_;
  std::vector<std::unique_ptr<sc_core::sc_module>> parts_;
  std::unique_ptr<CommandProcessor> command_processor_;
};

}  // namespace npusim::hw
