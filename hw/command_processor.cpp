#include "hw/command_processor.hpp"

#include <algorithm>
#include <cmath>

namespace npusim::hw {

CommandProcessor::CommandProcessor(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan,
                                   Units units, ActivityLog& log, FunctionalChecker* functional)
    : sc_core::sc_module(name),
      config_(config),
      plan_(plan),
      units_(units),
      functional_(functional),
      nonlinear_timing_(config),
      onchip_link_("dsp.link", config.cycle_ns(), log),
      done_(plan.ops.size(), false),
      tiles_loaded_(plan.ops.size(), 0) {
  for (size_t i = 0; i < plan.ops.size(); ++i) done_events_.push_back(std::make_unique<sc_core::sc_event>());
  // Two halves of the weight SRAM: one fills from DRAM while the MAU computes from the other.
  weight_buffers_ = std::make_unique<sc_core::sc_semaphore>("weight_buffers", 2);
  SC_HAS_PROCESS(CommandProcessor);
  SC_THREAD(run);
}

void CommandProcessor::run() {
  sc_core::sc_spawn([this] { stream_weights(); }, "weight_streamer");
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    sc_core::sc_spawn([this, i] { execute(static_cast<int>(i)); }, sc_core::sc_gen_unique_name("op"));
  }
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    if (!done_[i]) sc_core::wait(*done_events_[i]);
  }
  finished_ = true;
  sc_core::sc_stop();  // a co-simulated RTL unit's free-running clock would otherwise never let sc_start return
}

void CommandProcessor::stream_weights() {
  for (size_t i = 0; i < plan_.ops.size(); ++i) {
    const PlannedOp& op = plan_.ops[i];
    if (op.work != OpWork::gemm || op.weight_bytes == 0) continue;
    const int64_t tile_bytes = (op.weight_bytes + op.weight_tiles - 1) / op.weight_tiles;
    for (int t = 0; t < op.weight_tiles; ++t) {
      weight_buffers_->wait();
      const int64_t bytes = std::min(tile_bytes, op.weight_bytes - t * tile_bytes);
      units_.dma.transfer(kWeightChannel, bytes, DmaDirection::from_dram, Category::weight_dma, static_cast<int>(i));
      ++tiles_loaded_[i];
      tile_loaded_.notify(sc_core::SC_ZERO_TIME);
    }
  }
}

void CommandProcessor::execute(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  for (const int dep : op.deps) {
    if (!done_[static_cast<size_t>(dep)]) sc_core::wait(*done_events_[static_cast<size_t>(dep)]);
  }
  units_.dma.transfer(kActivationChannel, op.reload_bytes, DmaDirection::from_dram, Category::activation_dma, index);
  switch (op.work) {
    case OpWork::gemm: execute_gemm(index); break;
    case OpWork::nonlinear: execute_nonlinear(index); break;
    case OpWork::vector:
      units_.mau.vector(index, units_.mau.timing().vector_cycles(op.vector_elements, op.vector_passes),
                        Category::mau_compute, op.vector_elements);
      break;
    case OpWork::none: break;
  }
  units_.dma.transfer(kActivationChannel, op.spill_bytes, DmaDirection::to_dram, Category::activation_dma, index);
  done_[static_cast<size_t>(index)] = true;
  done_events_[static_cast<size_t>(index)]->notify(sc_core::SC_ZERO_TIME);
}

void CommandProcessor::execute_gemm(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  if (op.weight_bytes == 0) {  // activation x activation (attention): operands are already on chip
    units_.mau.gemm(index, op.gemm);
    return;
  }
  // Each weight tile's share of the GEMM runs once the tile is loaded.
  for (int t = 0; t < op.weight_tiles; ++t) {
    while (tiles_loaded_[static_cast<size_t>(index)] <= t) sc_core::wait(tile_loaded_);
    units_.mau.gemm(index, op.gemm, t, op.weight_tiles);
    weight_buffers_->post();
  }
}

void CommandProcessor::execute_nonlinear(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const NonlinearCost cost = nonlinear_timing_.cost(op.engine, op.nonlinear);
  switch (op.engine) {
    case NonlinearEngine::lut:
    case NonlinearEngine::nnlut: {
      for (const TableUse& table : op.tables) {
        const bool load = op.engine == NonlinearEngine::lut ? units_.lut_unit.needs_load(table.key)
                                                             : units_.nnlut_unit.needs_load(table.key);
        const int64_t bytes = op.engine == NonlinearEngine::lut ? table.bytes : units_.nnlut_unit.table_bytes();
        if (load) units_.dma.transfer(kActivationChannel, bytes, DmaDirection::from_dram, Category::table_load, index);
        if (functional_ != nullptr && op.engine == NonlinearEngine::lut) {
          const BespokeLut lut = BespokeLut::build(table.function, table.range_min, table.range_max);
          functional_->check_lut(index, table.key, lut, [this](const BespokeLut& l, const std::vector<uint16_t>& codes) {
            return units_.lut_unit.compute(l, codes);
          });
        } else if (functional_ != nullptr) {
          functional_->check_nnlut(index, table.key, functional_->nnlut_table(table.function),
                                   [this](const NnLutTable& t, const std::vector<int32_t>& x) { return units_.nnlut_unit.compute(t, x); });
        }
      }
      units_.mau.vector(index, cost.decomposition_cycles, Category::decomposition, op.nonlinear.elements);
      if (op.engine == NonlinearEngine::lut) {
        units_.lut_unit.run(index, cost, op.nonlinear.elements);
      } else {
        units_.nnlut_unit.run(index, cost, op.nonlinear.elements);
      }
      break;
    }
    case NonlinearEngine::dsp: execute_on_dsp(index); break;
    case NonlinearEngine::ibert:
    case NonlinearEngine::ivit:
      units_.mau.vector(index, cost.integer_cycles, Category::nonlinear_compute, op.nonlinear.elements);
      break;
  }
}

void CommandProcessor::transfer_mau_dsp(int index, int64_t bytes) {
  if (config_.dsp.transfer_path == TransferPath::dram) {
    units_.dma.transfer(kActivationChannel, bytes, DmaDirection::from_dram, Category::mau_dsp_communication, index);
  } else {
    const double ns = static_cast<double>(bytes) / config_.dsp.onchip_bandwidth_gbps;
    onchip_link_.run(static_cast<int64_t>(std::ceil(ns / config_.cycle_ns())), Category::mau_dsp_communication, index);
  }
}

// The op moves through the DSP's local memory in chunks: chunk c + 1 travels while chunk c computes.
void CommandProcessor::execute_on_dsp(int index) {
  const PlannedOp& op = plan_.ops[static_cast<size_t>(index)];
  const NonlinearCost total = nonlinear_timing_.cost(NonlinearEngine::dsp, op.nonlinear);
  const int64_t chunk_bytes = std::max<int64_t>(1, units_.dsp.chunk_bytes());
  const int64_t chunks = std::max<int64_t>(1, (op.dsp_in_bytes + chunk_bytes - 1) / chunk_bytes);
  if (functional_ != nullptr) {
    functional_->check_dsp(index, op.nonlinear.kind, op.nonlinear.elements / std::max<int64_t>(1, op.nonlinear.rows));
  }
  sc_core::sc_semaphore buffers("dsp_buffers", 2);
  sc_core::sc_event arrived, computed;
  int64_t arrived_count = 0, computed_count = 0;
  const auto share = [chunks](int64_t amount, int64_t c) { return amount / chunks + (c < amount % chunks ? 1 : 0); };
  sc_core::sc_spawn([&] {
    for (int64_t c = 0; c < chunks; ++c) {
      buffers.wait();
      transfer_mau_dsp(index, share(op.dsp_in_bytes, c));
      ++arrived_count;
      arrived.notify(sc_core::SC_ZERO_TIME);
    }
  });
  sc_core::sc_spawn([&] {
    for (int64_t c = 0; c < chunks; ++c) {
      while (arrived_count <= c) sc_core::wait(arrived);
      units_.dsp.run(index, share(total.dsp_cycles, c), share(op.nonlinear.elements, c));
      ++computed_count;
      computed.notify(sc_core::SC_ZERO_TIME);
    }
  });
  for (int64_t c = 0; c < chunks; ++c) {
    while (computed_count <= c) sc_core::wait(computed);
    transfer_mau_dsp(index, share(op.dsp_out_bytes, c));
    buffers.post();
  }
}

}  // namespace npusim::hw
