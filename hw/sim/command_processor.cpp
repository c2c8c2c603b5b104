#include "hw/sim/command_processor.hpp"
#include "hw/cost/transfer_time.hpp"

#include <algorithm>
#include <cmath>

#include "models/lut/range_reduced_lut.hpp"

namespace npusim::hw {

namespace {

int weight_halves(const PlannedOp& op) { return op.weights_double_buffered ? 1 : 2; }

// Progress of an op's output rows is counted in these units (its steps' shares of them).
constexpr int64_t kRowUnits = int64_t{1} << 20;

int64_t rows_through(const StepSplit& split, int64_t step) {
  int64_t units = 0;
  for (int64_t s = 0; s <= step; ++s) units += split.part(kRowUnits, s);
  return units;
}

Category category_of(TrafficKind kind) {
  return kind == TrafficKind::dsp_exchange ? Category::mau_dsp_communication : Category::activation_dma;
}

}  // namespace

CommandProcessor::CommandProcessor(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan,
                                   Units units, ActivityLog& log, FunctionalChecker* functional)
    : sc_core::sc_module(name),
      config_(config),
      plan_(plan),
      units_(units),
      functional_(functional),
      nonlinear_timing_(config),
      onchip_link_("dsp.link", config.cycle_ns(), log, units.arbiter),
      weight_tiles_loaded_(plan.ops.size(), 0),
      steps_started_(plan.ops.size(), 0),
      rows_done_(plan.ops.size(), 0),
      blockers_(plan.ops.size(), 0),
      done_consumers_(plan.ops.size()),
      started_consumers_(plan.ops.size()) {
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    rows_events_.push_back(std::make_unique<sc_core::sc_event>());
  }
  SC_HAS_PROCESS(CommandProcessor);
  SC_THREAD(run);
}

// An op's thread exists only from when it may start until it is done, so live threads follow the
// ops in flight, not the length of the trace: an op is ready once every input it waits for whole is
// done and every input it streams has started. This thread is the dispatcher: it starts ready ops, in
// the order they became ready (their threads are its children, so SystemC names stay short).
void CommandProcessor::run() {
  sc_core::sc_spawn([this] { stream_weights(); }, "weight_streamer");
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    const PlannedOp& op = plan_.ops[i];
    for (size_t j = 0; j < op.deps.size(); ++j) {
      const bool streamed = !op.streamed_deps.empty() && op.streamed_deps[j];
      (streamed ? started_consumers_ : done_consumers_)[static_cast<size_t>(op.deps[j])].push_back(static_cast<int>(i));
      ++blockers_[i];
    }
  }
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    if (blockers_[i] == 0) ready_.push_back(static_cast<int>(i));
  }
  while (true) {
    for (; !ready_.empty(); ready_.pop_front()) start(ready_.front());
    if (ops_done_ == plan_.ops.size()) break;
    sc_core::wait(ready_event_);
  }
  finished_ = true;
  sc_core::sc_stop();  // a co-simulated RTL unit's free-running clock would otherwise never let sc_start return
}

void CommandProcessor::start(int index) {
  const bool released = !plan_.ops[static_cast<size_t>(index)].deps.empty();
  sc_core::sc_spawn(
      [this, index, released] {
        // Begin in the delta after the release, as a thread waiting on its inputs' events would.
        if (released) sc_core::wait(sc_core::SC_ZERO_TIME);
        release(started_consumers_[static_cast<size_t>(index)]);
        execute(index);
      },
      sc_core::sc_gen_unique_name("op"));
}

void CommandProcessor::release(const std::vector<int>& consumers) {
  for (const int consumer : consumers) {
    if (--blockers_[static_cast<size_t>(consumer)] == 0) {
      ready_.push_back(consumer);
      ready_event_.notify();
    }
  }
}

// Weight tiles in plan order, as far ahead of the MAU as the weight SRAM's free halves allow.
void CommandProcessor::stream_weights() {
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    const PlannedOp& op = plan_.ops[i];
    if (op.work != OpWork::gemm || op.weight_bytes == 0) continue;
    const int halves = weight_halves(op);
    for (int64_t t = 0; t < op.split.steps; ++t) {
      // Only the head tile loads before the op starts; later steps follow its compute one step ahead.
      while (t > 0 && steps_started_[i] < t) sc_core::wait(step_started_);
      while (weight_halves_free_ < halves) sc_core::wait(weight_half_freed_);
      weight_halves_free_ -= halves;
      // A LUT-NN layer's tables stream where a dense layer's weights would.
      units_.dma.transfer(kWeightChannel, op.split.part(op.weight_bytes, t), DmaDirection::from_dram,
                          op.lutnn ? Category::table_load : Category::weight_dma, op.lutnn ? TrafficKind::tables : TrafficKind::weights,
                          {static_cast<int>(i), t, Turn::load});
      ++weight_tiles_loaded_[i];
      weight_tile_loaded_.notify(sc_core::SC_ZERO_TIME);
    }
  }
}

void CommandProcessor::execute(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (op.work == OpWork::nonlinear && op.engine == NonlinearEngine::dsp) {
    execute_on_dsp(index);
  } else if (op.work != OpWork::none) {
    execute_pipelined(index);
  }
  release(done_consumers_[static_cast<size_t>(index)]);
  if (++ops_done_ == plan_.ops.size()) ready_event_.notify();
  rows_done_[static_cast<size_t>(index)] = kRowUnits;
  rows_events_[static_cast<size_t>(index)]->notify(sc_core::SC_ZERO_TIME);
}

void CommandProcessor::wait_for_rows(int index, const StepSplit& split, int64_t step) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const int64_t needed = rows_through(split, step);
  for (size_t j = 0; j < op.streamed_deps.size(); ++j) {
    if (!op.streamed_deps[j]) continue;
    const auto dep = static_cast<size_t>(op.deps[j]);
    while (rows_done_[dep] < needed) sc_core::wait(*rows_events_[dep]);
  }
}

void CommandProcessor::publish_rows(int index, const StepSplit& split, int64_t step) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (!op.rows_in_order) return;
  rows_done_[static_cast<size_t>(index)] = rows_through(split, step);
  rows_events_[static_cast<size_t>(index)]->notify(sc_core::SC_ZERO_TIME);
}

// Steps flow through three stages: a loader brings each step's input tiles (at most two steps ahead
// with double buffering, one without), the compute units work on it, a storer requantises and writes
// its outputs out while the next step computes.
void CommandProcessor::execute_pipelined(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const int64_t steps = op.split.steps;
  int64_t loaded = op.loads.empty() ? steps : 0, computed = 0, finished = 0;
  sc_core::sc_event loaded_event, computed_event, finished_event;
  sc_core::sc_semaphore input_buffers("input_buffers", op.activations_double_buffered ? 2 : 1);
  if (!op.loads.empty()) {
    sc_core::sc_spawn([&] {
      for (int64_t t = 0; t < steps; ++t) {
        input_buffers.wait();
        wait_for_rows(index, op.split, t);
        for (const Transfer& load : op.loads) {
          move({index, t, Turn::load}, load, DmaDirection::from_dram, category_of(load.kind), op.split);
        }
        ++loaded;
        loaded_event.notify(sc_core::SC_ZERO_TIME);
      }
    });
  }
  const bool streamed_weights = op.work == OpWork::gemm && op.weight_bytes > 0;
  // A weight tile is free once the array has used it; a LUT-NN table tile once its lookups are done.
  const auto free_weight_tile = [&] {
    weight_halves_free_ += weight_halves(op);
    weight_half_freed_.notify(sc_core::SC_ZERO_TIME);
  };
  sc_core::sc_spawn([&] {
    for (int64_t t = 0; t < steps; ++t) {
      while (computed <= t) sc_core::wait(computed_event);
      finish_step(index, t);
      if (streamed_weights && op.lutnn) free_weight_tile();
      publish_rows(index, op.split, t);
      ++finished;
      finished_event.notify(sc_core::SC_ZERO_TIME);
    }
  });
  if (op.work == OpWork::nonlinear) load_tables(index);
  for (int64_t t = 0; t < steps; ++t) {
    while (loaded <= t) sc_core::wait(loaded_event);
    wait_for_rows(index, op.split, t);
    // One output buffer: the next step's results wait until this one's have left.
    while (!op.activations_double_buffered && finished < t) sc_core::wait(finished_event);
    if (streamed_weights) {
      while (weight_tiles_loaded_[static_cast<size_t>(index)] <= t) sc_core::wait(weight_tile_loaded_);
    }
    ++steps_started_[static_cast<size_t>(index)];
    step_started_.notify(sc_core::SC_ZERO_TIME);
    compute_step(index, t);
    if (!op.loads.empty()) input_buffers.post();
    if (streamed_weights && !op.lutnn) free_weight_tile();
    ++computed;
    computed_event.notify(sc_core::SC_ZERO_TIME);
  }
  while (finished < steps) sc_core::wait(finished_event);
}

void CommandProcessor::compute_step(int index, int64_t t) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const StepSplit& split = op.split;
  const Turn turn{index, t, Turn::compute};
  switch (op.work) {
    case OpWork::gemm:
      if (op.lutnn) {  // distances on the array, their argmin on the vector path; lookups in finish_step
        units_.mau.array(turn, split.part(op.lutnn_cost.distance_cycles, t), split.part(op.macs(), t));
        units_.mau.vector(turn, split.part(op.lutnn_cost.argmin_cycles, t), Category::mau_compute,
                          split.part(op.lutnn_cost.counts.argmin_ops, t));
        break;
      }
      units_.mau.array(turn, split.part(op.gemm_plan.cost.array_busy_cycles, t), split.part(op.macs(), t));
      break;
    case OpWork::vector:
      units_.mau.vector(turn, split.part(op.vector_cycles, t), Category::mau_compute,
                        split.part(op.vector_elements, t));
      break;
    case OpWork::nonlinear: {
      const NonlinearCost cost = nonlinear_timing_.cost(op.engine, op.nonlinear);
      const int64_t elements = split.part(op.nonlinear.elements, t);
      switch (op.engine) {
        case NonlinearEngine::lut:
        case NonlinearEngine::nnlut:
          units_.mau.vector(turn, split.part(cost.decomposition_cycles, t), Category::decomposition, elements);
          if (op.engine == NonlinearEngine::lut) {
            units_.lut_unit.run(turn, split.part(cost.lookup_cycles, t), elements);
          } else {
            units_.nnlut_unit.run(turn, split.part(cost.lookup_cycles, t), elements);
          }
          break;
        case NonlinearEngine::ibert:
        case NonlinearEngine::ivit:
          units_.mau.vector(turn, split.part(cost.integer_cycles, t), Category::nonlinear_compute, elements);
          break;
        case NonlinearEngine::dsp: break;  // execute_on_dsp
      }
      break;
    }
    case OpWork::none: break;
  }
}

// Outputs leave through the vector path (requantisation and write-back of a GEMM's accumulators),
// then to DRAM when they do not stay on chip.
void CommandProcessor::finish_step(int index, int64_t t) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (op.work == OpWork::gemm) {
    const int64_t outputs = op.gemm.m * op.gemm.n * op.gemm.batch;
    // LUT-NN: the step's table lookups and accumulation while the array computes the next step's distances.
    if (op.lutnn) {
      units_.lutnn_unit.run({index, t, Turn::store}, op.split.part(op.lutnn_cost.lookup_cycles, t),
                            op.split.part(op.lutnn_cost.counts.lookup_ops, t));
    }
    const int64_t requant_cycles = op.lutnn ? op.lutnn_cost.requant_cycles : op.gemm_plan.cost.requant_cycles;
    units_.mau.vector({index, t, Turn::store}, op.split.part(requant_cycles, t), Category::mau_compute, op.split.part(outputs, t));
  }
  for (const Transfer& store : op.stores) {
    move({index, t, Turn::store}, store, DmaDirection::to_dram, category_of(store.kind), op.split);
  }
}

void CommandProcessor::load_tables(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (op.engine != NonlinearEngine::lut && op.engine != NonlinearEngine::nnlut) return;
  for (const TableUse& table : op.tables) {
    const bool lut = op.engine == NonlinearEngine::lut;
    const bool load = lut ? units_.lut_unit.needs_load(table.key) : units_.nnlut_unit.needs_load(table.key);
    const int64_t bytes = lut ? table.bytes : units_.nnlut_unit.table_bytes();
    if (load) {
      units_.dma.transfer(kActivationChannel, bytes, DmaDirection::from_dram, Category::table_load, TrafficKind::tables,
                          {index, 0, Turn::load});
    }
    if (functional_ != nullptr && lut) {
      // A bespoke-rr table's lookup stage is the Bespoke LUT over the mantissa octave.
      const BespokeLut lut_table = table.range_reduced ? RangeReducedLut::build(table.function).table()
                                                       : BespokeLut::build(table.function, table.range_min, table.range_max);
      functional_->check_lut(index, table.key, lut_table, [this](const BespokeLut& l, const std::vector<uint16_t>& codes) {
        return units_.lut_unit.compute(l, codes);
      });
    } else if (functional_ != nullptr) {
      functional_->check_nnlut(index, table.key, functional_->nnlut_table(table.function),
                               [this](const NnLutTable& t, const std::vector<int32_t>& x) { return units_.nnlut_unit.compute(t, x); });
    }
  }
}

void CommandProcessor::move(const Turn& turn, const Transfer& transfer, DmaDirection direction, Category category,
                            const StepSplit& split) {
  units_.dma.transfer(kActivationChannel, split.part(transfer.bytes, turn.step), direction, category, transfer.kind, turn);
}

// The op moves through the DSP's local memory in chunks: chunk c + 1 travels while chunk c computes,
// and every chunk pays its own transfers.
void CommandProcessor::execute_on_dsp(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const NonlinearCost total = nonlinear_timing_.cost(NonlinearEngine::dsp, op.nonlinear);
  const int64_t chunk_bytes = std::max<int64_t>(1, units_.dsp.chunk_bytes());
  const int64_t chunks = std::max<int64_t>(1, (op.dsp_input_bytes + chunk_bytes - 1) / chunk_bytes);
  const StepSplit split{chunks, 1.0 / static_cast<double>(chunks)};
  if (functional_ != nullptr) {
    functional_->check_dsp(index, op.nonlinear.kind, op.nonlinear.elements / std::max<int64_t>(1, op.nonlinear.rows));
  }
  const auto link = [&](const Turn& turn, int64_t bytes) {
    if (bytes <= 0) return;
    const double ns = transfer_ns(bytes, config_.dsp.onchip_bandwidth_gbps);
    onchip_link_.run(turn, static_cast<int64_t>(std::ceil(ns / config_.cycle_ns())), Category::mau_dsp_communication);
  };
  sc_core::sc_semaphore buffers("dsp_buffers", 2);
  sc_core::sc_event arrived, computed;
  int64_t arrived_count = 0, computed_count = 0;
  sc_core::sc_spawn([&] {
    for (int64_t c = 0; c < chunks; ++c) {
      buffers.wait();
      wait_for_rows(index, split, c);
      // Over DRAM, the MAU first writes out what it holds on chip; the DSP then reads it.
      const Turn in{index, c, Turn::load};
      move(in, {op.dsp_stage_bytes, TrafficKind::dsp_exchange}, DmaDirection::to_dram, Category::mau_dsp_communication, split);
      move(in, op.dsp_in, DmaDirection::from_dram, category_of(op.dsp_in.kind), split);
      link(in, split.part(op.dsp_link_in_bytes, c));
      ++arrived_count;
      arrived.notify(sc_core::SC_ZERO_TIME);
    }
  });
  sc_core::sc_spawn([&] {
    for (int64_t c = 0; c < chunks; ++c) {
      while (arrived_count <= c) sc_core::wait(arrived);
      units_.dsp.run({index, c, Turn::compute}, split.part(total.dsp_cycles, c), split.part(op.nonlinear.elements, c));
      ++computed_count;
      computed.notify(sc_core::SC_ZERO_TIME);
    }
  });
  for (int64_t c = 0; c < chunks; ++c) {
    while (computed_count <= c) sc_core::wait(computed);
    const Turn out{index, c, Turn::store};
    link(out, split.part(op.dsp_link_out_bytes, c));
    move(out, op.dsp_out, DmaDirection::to_dram, category_of(op.dsp_out.kind), split);
    publish_rows(index, split, c);
    buffers.post();
  }
}

}  // namespace npusim::hw
