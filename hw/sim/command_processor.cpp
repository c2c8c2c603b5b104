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

int64_t rows_through(const StepSplit& split, int64_t step) { return split.through(kRowUnits, step); }

Category category_of(TrafficKind kind) {
  return kind == TrafficKind::dsp_exchange ? Category::mau_dsp_communication : Category::activation_dma;
}

}  // namespace

const std::array<const char*, CommandProcessor::kTargetCount> CommandProcessor::kTargetPaths = {
    "mau.array", "mau.vector", "lut_unit", "nnlut_unit", "lutnn_unit", "dsp", "dsp.link", "dma"};

CommandProcessor::CommandProcessor(sc_core::sc_module_name name, const ExecutionPlan& plan, FunctionalChecker* functional)
    : sc_core::sc_module(name),
      units("units"),
      plan_(plan),
      functional_(functional),
      weight_tiles_loaded_(plan.ops.size(), 0),
      steps_started_(plan.ops.size(), 0),
      rows_done_(plan.ops.size(), 0),
      blockers_(plan.ops.size(), 0),
      done_consumers_(plan.ops.size()),
      started_consumers_(plan.ops.size()) {
  socket_index_.fill(-1);
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    rows_events_.push_back(std::make_unique<sc_core::sc_event>());
  }
  SC_HAS_PROCESS(CommandProcessor);
  SC_THREAD(run);
}

void CommandProcessor::bind(Target target, tlm::tlm_target_socket<32>& socket) {
  socket_index_[target] = static_cast<int>(units.size());
  units.bind(socket);
}

void CommandProcessor::send(Target target, EngineCommand& command, unsigned char* data, size_t data_bytes) {
  const int index = socket_index_[target];
  if (index < 0) {
    SC_REPORT_ERROR("npusim/sim", (std::string("the plan needs the unit ") + kTargetPaths[target] + ", which this NPU does not have").c_str());
    return;
  }
  tlm::tlm_generic_payload payload;
  payload.set_command(tlm::TLM_WRITE_COMMAND);
  payload.set_address(0);
  payload.set_data_ptr(data);
  payload.set_data_length(static_cast<unsigned>(data_bytes));
  payload.set_streaming_width(static_cast<unsigned>(data_bytes));
  payload.set_extension(&command);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  units[static_cast<unsigned>(index)]->b_transport(payload, delay);
  payload.clear_extension(&command);
  if (delay != sc_core::SC_ZERO_TIME) sc_core::wait(delay);
}

void CommandProcessor::compute(Target target, const Turn& turn, int64_t cycles, Category category, int64_t macs, int64_t elements) {
  EngineCommand command;
  command.turn = turn;
  command.cycles = cycles;
  command.category = category;
  command.macs = macs;
  command.elements = elements;
  send(target, command);
}

void CommandProcessor::transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic,
                                const Turn& turn) {
  const int index = socket_index_[dma];
  if (index < 0) {
    SC_REPORT_ERROR("npusim/sim", "the plan moves data, and this NPU has no DMA unit");
    return;
  }
  DmaCommand command = DmaCommand::make(turn, channel, bytes, direction, category, traffic);
  tlm::tlm_generic_payload payload;
  payload.set_command(tlm::TLM_WRITE_COMMAND);
  payload.set_data_ptr(nullptr);
  payload.set_data_length(0);
  payload.set_extension(&command);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  units[static_cast<unsigned>(index)]->b_transport(payload, delay);
  payload.clear_extension(&command);
  if (delay != sc_core::SC_ZERO_TIME) sc_core::wait(delay);
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
    dispatch_ready();
    if (ops_done_ == plan_.ops.size()) break;
    sc_core::wait(ready_event_);
  }
  finished_ = true;
  sc_core::sc_stop();  // a co-simulated RTL unit's free-running clock would otherwise never let sc_start return
}

// Ready ops start in the order they became ready while the command queue has room. An op older than one
// already in flight starts even when it is full: ops wait only on older ones (their inputs, the weight
// streamer's plan order), so the oldest waiting op can always make progress and the queue never deadlocks.
void CommandProcessor::dispatch_ready() {
  for (auto it = ready_.begin(); it != ready_.end();) {
    const bool room = static_cast<int>(in_flight_.size()) < kMaxOpsInFlight;
    if (room || (!in_flight_.empty() && *it < *in_flight_.rbegin())) {
      start(*it);
      it = ready_.erase(it);
    } else {
      ++it;
    }
  }
}

void CommandProcessor::start(int index) {
  in_flight_.insert(index);
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
      transfer(kWeightChannel, op.split.part(op.weight_bytes, t), DmaDirection::from_dram,
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
  in_flight_.erase(index);
  if (++ops_done_ == plan_.ops.size() || !ready_.empty()) ready_event_.notify();
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
        compute(mau_array, turn, split.part(op.lutnn_cost.distance_cycles, t), Category::mau_compute, split.part(op.macs(), t));
        compute(mau_vector, turn, split.part(op.lutnn_cost.argmin_cycles, t), Category::mau_compute, 0,
                split.part(op.lutnn_cost.counts.argmin_ops, t));
        break;
      }
      compute(mau_array, turn, split.part(op.gemm_plan.cost.array_busy_cycles, t), Category::mau_compute, split.part(op.macs(), t));
      break;
    case OpWork::vector:
      compute(mau_vector, turn, split.part(op.vector_cycles, t), Category::mau_compute, 0, split.part(op.vector_elements, t));
      break;
    case OpWork::nonlinear: {
      const NonlinearCost& cost = op.nonlinear_cost;
      const int64_t elements = split.part(op.nonlinear.elements, t);
      switch (op.engine) {
        case NonlinearEngine::lut:
        case NonlinearEngine::nnlut:
          compute(mau_vector, turn, split.part(cost.decomposition_cycles, t), Category::decomposition, 0, elements);
        {
          EngineCommand lookups;
          lookups.turn = turn;
          lookups.cycles = split.part(cost.lookup_cycles, t);
          lookups.category = Category::nonlinear_compute;
          lookups.elements = elements;
          lookups.lookups = split.part(cost.lookups, t);
          send(op.engine == NonlinearEngine::lut ? lut_unit : nnlut_unit, lookups);
        }
          break;
        case NonlinearEngine::ibert:
        case NonlinearEngine::ivit:
          compute(mau_vector, turn, split.part(cost.integer_cycles, t), Category::nonlinear_compute, 0, elements);
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
      compute(lutnn_unit, {index, t, Turn::store}, op.split.part(op.lutnn_cost.lookup_cycles, t), Category::mau_compute, 0,
              op.split.part(op.lutnn_cost.counts.lookup_ops, t));
    }
    const int64_t requant_cycles = op.lutnn ? op.lutnn_cost.requant_cycles : op.gemm_plan.cost.requant_cycles;
    compute(mau_vector, {index, t, Turn::store}, op.split.part(requant_cycles, t), Category::mau_compute, 0, op.split.part(outputs, t));
  }
  for (const Transfer& store : op.stores) {
    move({index, t, Turn::store}, store, DmaDirection::to_dram, category_of(store.kind), op.split);
  }
}

// Each table the op needs becomes resident on its unit (which says whether DMA must bring it); in
// functional mode the unit then computes real outputs from it, checked against the reference.
void CommandProcessor::load_tables(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (op.engine != NonlinearEngine::lut && op.engine != NonlinearEngine::nnlut) return;
  const bool lut = op.engine == NonlinearEngine::lut;
  const Target unit = lut ? lut_unit : nnlut_unit;
  for (const TableUse& table : op.tables) {
    EngineCommand load;
    load.action = EngineCommand::Action::load_table;
    load.turn = {index, 0, Turn::load};
    load.table_key = table.key;
    load.table_bytes = table.bytes;
    send(unit, load);
    if (load.load_bytes > 0) {
      transfer(kActivationChannel, load.load_bytes, DmaDirection::from_dram, Category::table_load, TrafficKind::tables, {index, 0, Turn::load});
    }
    if (functional_ == nullptr) continue;
    EngineCommand lookup;
    lookup.action = EngineCommand::Action::lookup;
    lookup.turn = load.turn;
    if (lut) {
      functional_->check_lut(index, table.key, plan_.tables->lut(index, table.function),
                             [&](const BespokeLut& l, const std::vector<uint16_t>& codes) {
                               lookup.lut = &l;
                               std::vector<uint16_t> data = codes;
                               send(unit, lookup, reinterpret_cast<unsigned char*>(data.data()), data.size() * sizeof(uint16_t));
                               return lookup.lut_outputs;
                             });
    } else {
      functional_->check_nnlut(index, table.key, plan_.tables->nnlut(table.function),
                               [&](const NnLutTable& t, const std::vector<int32_t>& x) {
                                 lookup.nnlut = &t;
                                 std::vector<int32_t> data = x;
                                 send(unit, lookup, reinterpret_cast<unsigned char*>(data.data()), data.size() * sizeof(int32_t));
                                 return lookup.nnlut_outputs;
                               });
    }
  }
}

void CommandProcessor::move(const Turn& turn, const Transfer& transfer, DmaDirection direction, Category category,
                            const StepSplit& split) {
  this->transfer(kActivationChannel, split.part(transfer.bytes, turn.step), direction, category, transfer.kind, turn);
}

// The op moves through the DSP's local memory in chunks: chunk c + 1 travels while chunk c computes,
// and every chunk pays its own transfers.
void CommandProcessor::execute_on_dsp(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const int64_t chunks = op.dsp_chunks;
  const StepSplit split{chunks, 1.0 / static_cast<double>(chunks)};
  if (functional_ != nullptr) {
    functional_->check_dsp(index, op.nonlinear.kind, op.nonlinear.elements / std::max<int64_t>(1, op.nonlinear.rows),
                           [&](NonlinearKind kind, const std::vector<double>& row) {
                             EngineCommand lookup;
                             lookup.action = EngineCommand::Action::lookup;
                             lookup.turn = {index, 0, Turn::compute};
                             lookup.kernel = kind;
                             std::vector<double> data = row;
                             send(dsp, lookup, reinterpret_cast<unsigned char*>(data.data()), data.size() * sizeof(double));
                             return lookup.dsp_outputs;
                           });
  }
  const auto link = [&](const Turn& turn, int64_t bytes) {
    EngineCommand command;
    command.turn = turn;
    command.bytes = bytes;
    command.category = Category::mau_dsp_communication;
    send(dsp_link, command);
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
      compute(dsp, {index, c, Turn::compute}, split.part(op.nonlinear_cost.dsp_cycles, c), Category::nonlinear_compute, 0,
              split.part(op.nonlinear.elements, c));
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
