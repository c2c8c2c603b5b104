// The command processor: follows the plan's dependencies, streams weights through the double-buffered
// weight SRAM ahead of the MAU (overlapping DMA with compute), reloads and spills activations, loads
// per-layer tables, moves data between the MAU and the DSP, and issues work to the engines.
#pragma once

#include <memory>
#include <vector>

#include <systemc>

#include "hw/dma.hpp"
#include "hw/dsp.hpp"
#include "hw/execution_plan.hpp"
#include "hw/functional_check.hpp"
#include "hw/lut_unit.hpp"
#include "hw/mau.hpp"
#include "hw/nnlut_unit.hpp"

namespace npusim::hw {

struct Units {
  Mau& mau;
  LutUnit& lut_unit;
  NnLutUnit& nnlut_unit;
  Dsp& dsp;
  Dma& dma;
};

class CommandProcessor : public sc_core::sc_module {
 public:
  static constexpr int kWeightChannel = 0;
  static constexpr int kActivationChannel = 1;

  CommandProcessor(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, Units units,
                   ActivityLog& log, FunctionalChecker* functional);

  bool finished() const { return finished_; }

 private:
  void run();
  void stream_weights();
  void execute(int index);
  void execute_gemm(int index);
  void execute_nonlinear(int index);
  void execute_on_dsp(int index);
  void transfer_mau_dsp(int index, int64_t bytes);

  HwConfig config_;
  const ExecutionPlan& plan_;
  Units units_;
  FunctionalChecker* functional_;
  NonlinearTiming nonlinear_timing_;
  UnitSchedule onchip_link_;

  std::vector<bool> done_;
  std::vector<std::unique_ptr<sc_core::sc_event>> done_events_;
  std::vector<int> tiles_loaded_;     // per op
  sc_core::sc_event tile_loaded_;
  std::unique_ptr<sc_core::sc_semaphore> weight_buffers_;
  bool finished_ = false;
};

}  // namespace npusim::hw
