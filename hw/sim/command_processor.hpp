// The command processor: follows the plan's dependencies and runs each op as a pipeline of steps
// (load the step's inputs, compute, store its outputs), overlapping transfers with compute only as
// far as the buffers allow: weight tiles stream ahead of the MAU through the weight SRAM's two halves
// (one when a tile needs the whole buffer), activation tiles through double-buffered halves of what the
// activation SRAM has free. It also loads per-layer tables and moves data between the MAU and the DSP.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include <systemc>

#include "hw/sim/units/dma.hpp"
#include "hw/sim/units/dsp.hpp"
#include "hw/plan/execution_plan.hpp"
#include "hw/sim/functional_check.hpp"
#include "hw/sim/units/lut_unit.hpp"
#include "hw/sim/units/lutnn_unit.hpp"
#include "hw/sim/units/mau.hpp"
#include "hw/sim/units/nnlut_unit.hpp"

namespace npusim::hw {

struct Units {
  Mau& mau;
  LutUnit& lut_unit;
  NnLutUnit& nnlut_unit;
  LutnnUnit& lutnn_unit;
  Dsp& dsp;
  Dma& dma;
  Arbiter& arbiter;
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
  void start(int index);
  void release(const std::vector<int>& consumers);
  void execute(int index);
  // Blocks until every streamed input holds the rows this op's `step` of `split` reads.
  void wait_for_rows(int index, const StepSplit& split, int64_t step);
  void publish_rows(int index, const StepSplit& split, int64_t step);
  void execute_pipelined(int index);
  void compute_step(int index, int64_t step);
  void finish_step(int index, int64_t step);
  void load_tables(int index);
  void execute_on_dsp(int index);
  // `turn.step`'s share of `transfer` over the activation channel.
  void move(const Turn& turn, const Transfer& transfer, DmaDirection direction, Category category, const StepSplit& split);

  HwConfig config_;
  const ExecutionPlan& plan_;
  Units units_;
  FunctionalChecker* functional_;
  NonlinearTiming nonlinear_timing_;
  UnitSchedule onchip_link_;

  // Weight SRAM: two halves; a tile that cannot be double-buffered takes both.
  std::vector<int64_t> weight_tiles_loaded_;  // per op
  sc_core::sc_event weight_tile_loaded_;
  int weight_halves_free_ = 2;
  sc_core::sc_event weight_half_freed_;
  std::vector<int64_t> steps_started_;  // per op: steps whose compute has begun
  std::vector<int64_t> rows_done_;      // per op: its finished output, in units of kRowUnits
  std::vector<std::unique_ptr<sc_core::sc_event>> rows_events_;
  std::deque<int> ready_;  // ops whose inputs allow them to start, for the dispatcher
  sc_core::sc_event ready_event_;
  size_t ops_done_ = 0;
  std::vector<int> blockers_;                       // per op: inputs it still waits for before it may start
  std::vector<std::vector<int>> done_consumers_;     // per op: who may start once it is done
  std::vector<std::vector<int>> started_consumers_;  // per op: who streams its rows once it has started
  sc_core::sc_event step_started_;
  bool finished_ = false;
};

}  // namespace npusim::hw
