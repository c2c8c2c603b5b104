// The command processor: follows the plan's dependencies and runs each op as a pipeline of steps
// (load the step's inputs, compute, store its outputs), overlapping transfers with compute only as
// far as the buffers allow: weight tiles stream ahead of the MAU through the weight SRAM's two halves
// (one when a tile needs the whole buffer), activation tiles through double-buffered halves of what the
// activation SRAM has free. It also loads per-layer tables and moves data between the MAU and the DSP.
//
// It is the TLM-2.0 initiator of every unit: one multi-socket bound to each unit's target socket, one
// generic payload per command (hw/sim/engine_command.hpp). It reads every cycle count from the plan and
// knows no unit's cost; which unit serves a command is the unit's path below the NPU top.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include "hw/plan/execution_plan.hpp"
#include "hw/sim/engine_command.hpp"
#include "hw/sim/functional_check.hpp"

namespace npusim::hw {

class CommandProcessor : public sc_core::sc_module {
 public:
  static constexpr int kWeightChannel = 0;
  static constexpr int kActivationChannel = 1;
  // Ops the command processor tracks at once (each with its SystemC threads): far more than the 3 to 5
  // that overlap in the model zoo's blocks, few enough that any trace's threads fit in a process.
  static constexpr int kMaxOpsInFlight = 64;

  // The units it sends commands to, by their path below the NPU top.
  enum Target { mau_array, mau_vector, lut_unit, nnlut_unit, lutnn_unit, dsp, dsp_link, dma, kTargetCount };
  static const std::array<const char*, kTargetCount> kTargetPaths;

  tlm_utils::multi_passthrough_initiator_socket<CommandProcessor> units;

  CommandProcessor(sc_core::sc_module_name name, const ExecutionPlan& plan, FunctionalChecker* functional);

  // Binds `units` to `socket` as `target`'s unit (the NPU top calls it once per unit it elaborated).
  void bind(Target target, tlm::tlm_target_socket<32>& socket);

  bool finished() const { return finished_; }

 private:
  void run();
  void stream_weights();
  void dispatch_ready();
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

  // One command to a unit through its socket; blocks until the unit has done it.
  void send(Target target, EngineCommand& command, unsigned char* data = nullptr, size_t data_bytes = 0);
  void compute(Target target, const Turn& turn, int64_t cycles, Category category, int64_t macs = 0, int64_t elements = 0);
  void transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic, const Turn& turn);

  const ExecutionPlan& plan_;
  FunctionalChecker* functional_;
  std::array<int, kTargetCount> socket_index_;  // into `units`, -1 while unbound

  // Weight SRAM: two halves; a tile that cannot be double-buffered takes both.
  std::vector<int64_t> weight_tiles_loaded_;  // per op
  sc_core::sc_event weight_tile_loaded_;
  int weight_halves_free_ = 2;
  sc_core::sc_event weight_half_freed_;
  std::vector<int64_t> steps_started_;  // per op: steps whose compute has begun
  std::vector<int64_t> rows_done_;      // per op: its finished output, in units of kRowUnits
  std::vector<std::unique_ptr<sc_core::sc_event>> rows_events_;
  std::deque<int> ready_;  // ops whose inputs allow them to start, for the dispatcher
  std::set<int> in_flight_;  // started, not done
  sc_core::sc_event ready_event_;
  size_t ops_done_ = 0;
  std::vector<int> blockers_;                       // per op: inputs it still waits for before it may start
  std::vector<std::vector<int>> done_consumers_;     // per op: who may start once it is done
  std::vector<std::vector<int>> started_consumers_;  // per op: who streams its rows once it has started
  sc_core::sc_event step_started_;
  bool finished_ = false;
};

}  // namespace npusim::hw
