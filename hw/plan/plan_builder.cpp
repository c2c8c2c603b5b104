#include "hw/plan/plan_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "hw/plan/buffer_plan.hpp"
#include "hw/cost/lutnn_timing.hpp"
#include "hw/cost/mau_timing.hpp"
#include "common/error.hpp"

namespace npusim::hw {

namespace {

using workloads::OpType;
using workloads::TraceOp;

// Transfers of one op are cut into at most this many pipeline steps: enough for the double-buffered
// overlap of transfers and compute, few enough that long traces simulate quickly.
constexpr int64_t kMaxSteps = 32;

int64_t bytes_of(const std::vector<int64_t>& shape, workloads::Precision p) {
  return workloads::element_count(shape) * workloads::precision_bytes(p);
}

NonlinearKind kind_of(OpType type) {
  switch (type) {
    case OpType::gelu: return NonlinearKind::gelu;
    case OpType::silu: return NonlinearKind::silu;
    case OpType::softmax: return NonlinearKind::softmax;
    case OpType::layernorm: return NonlinearKind::layernorm;
    default: return NonlinearKind::rmsnorm;
  }
}

// Where a tensor lives between its producer and its consumers.
struct TensorState {
  bool on_chip = false;
  TrafficKind dram_kind = TrafficKind::activations;  // why it is in DRAM when it is not on chip
};

class Planner {
 public:
  Planner(const workloads::Trace& trace, const HwConfig& config, const PreparedTables& tables)
      : trace_(trace),
        config_(config),
        tables_(tables),
        nonlinear_timing_(config),
        gemms_(config),
        sram_(int64_t{config.sram.activation_kib} * 1024),
        tensors_(trace.ops.size()),
        consumers_(trace.ops.size(), 0) {
    for (const TraceOp& op : trace.ops) {
      for (const auto& dep : op.deps) ++consumers_[static_cast<size_t>(index_.at(dep))];
      index_[op.id] = static_cast<int>(index_.size());
    }
  }

  ExecutionPlan build() {
    ExecutionPlan plan;
    plan.workload = trace_.model;
    for (size_t i = 0; i < trace_.ops.size(); ++i) planned_.push_back(plan_op(static_cast<int>(i)));
    plan.ops = std::move(planned_);
    return plan;
  }

 private:
  const TensorState& input_state(const PlannedOp& p, size_t j) const {
    static const TensorState model_input{false, TrafficKind::activations};
    return j < p.deps.size() ? tensors_[static_cast<size_t>(p.deps[j])] : model_input;
  }
  bool input_on_chip(const PlannedOp& p, size_t j) const { return input_state(p, j).on_chip; }
  TrafficKind output_kind(int i) const {
    return consumers_[static_cast<size_t>(i)] == 0 ? TrafficKind::activations : TrafficKind::spills;
  }

  PlannedOp plan_op(int i) {
    const TraceOp& op = trace_.ops[static_cast<size_t>(i)];
    PlannedOp p;
    p.id = op.id;
    p.layer = op.layer;
    p.type = std::string(workloads::op_type_name(op.type));
    for (const auto& dep : op.deps) p.deps.push_back(index_.at(dep));
    p.input_element_bytes = p.weight_element_bytes = workloads::precision_bytes(op.input_precision);
    p.output_element_bytes = workloads::precision_bytes(op.output_precision);
    for (const auto& input : op.inputs) p.input_elements += workloads::element_count(input);
    p.output_elements = workloads::element_count(op.output);
    switch (op.type) {
      case OpType::matmul:
      case OpType::batched_matmul:
      case OpType::conv: plan_gemm(i, op, p); break;
      case OpType::gelu:
      case OpType::silu:
      case OpType::softmax:
      case OpType::layernorm:
      case OpType::rmsnorm: {
        p.work = OpWork::nonlinear;
        const int64_t elements = workloads::element_count(op.output);
        p.nonlinear = {kind_of(op.type), elements, elements / op.output.back()};
        p.engine = config_.nonlinear.engine_for(p.nonlinear.kind);
        p.nonlinear_cost = nonlinear_timing_.cost(p.engine, p.nonlinear);
        for (const auto& [function, range] : op.ranges) {
          const bool reduced = uses_range_reduced_table(config_, p.engine, function);
          TableUse use{table_key(op.layer, function, reduced), function, 0, reduced};
          if (p.engine == NonlinearEngine::lut) use.bytes = static_cast<int64_t>(tables_.lut(i, function).table_bytes());
          p.tables.push_back(use);
        }
        if (p.engine == NonlinearEngine::dsp) {
          plan_dsp(i, op, p);
        } else {
          plan_streamed(i, op, p);
        }
        break;
      }
      case OpType::relu:
      case OpType::add:
      case OpType::mul:
      case OpType::vector:  // an imported op npusim has no kernel for: one vector-path pass per output element
      case OpType::pooling:
        p.work = OpWork::vector;
        p.vector_elements = workloads::element_count(op.output);
        // One sweep per element; pooling sweeps once per window tap.
        p.vector_cycles = MauTiming(config_.mau).vector_cycles(
            p.vector_elements, op.type == OpType::pooling ? op.kernel[0] * op.kernel[1] : 1);
        plan_streamed(i, op, p);
        break;
      case OpType::batchnorm:  // folded into the preceding conv's weights and bias at inference
      case OpType::reshape:    // the same buffer under a new shape
        alias(i, p);
        return p;
    }
    for (const int dep : p.deps) sram_.consume(dep);
    mark_streaming(op, p);
    return p;
  }

  // A row-wise consumer starts on the rows its producer has finished: element-wise and non-linear ops
  // on any input, a GEMM on its first input when it walks the rows in order. Windows (pooling,
  // convolutions) and reshapes that reorder rows wait for the whole input.
  void mark_streaming(const TraceOp& op, PlannedOp& p) const {
    // A LUT-NN layer's steps are table column tiles over the codes of all rows: it waits for its
    // whole input, and its rows are final only at its end.
    const bool gemm_rows = p.work == OpWork::gemm && !p.lutnn && op.type != OpType::conv &&
                           (p.gemm_plan.order == LoopOrder::rows_outer || p.gemm_plan.col_tiles == 1);
    p.rows_in_order = (p.work == OpWork::gemm && !p.lutnn && (gemm_rows || op.type == OpType::conv)) ||
                      p.work == OpWork::nonlinear || (p.work == OpWork::vector && op.type != OpType::pooling);
    const bool row_wise = p.work == OpWork::nonlinear || (p.work == OpWork::vector && op.type != OpType::pooling);
    for (size_t j = 0; j < p.deps.size(); ++j) {
      const PlannedOp& producer = planned_[static_cast<size_t>(p.deps[j])];
      const bool compatible = producer.work != OpWork::none && producer.rows_in_order;
      p.streamed_deps.push_back(compatible && (row_wise || (gemm_rows && j == 0)));
    }
  }

  // The output is the input's buffer: on chip or in DRAM, it stays where it is.
  void alias(int i, PlannedOp& p) {
    p.work = OpWork::none;
    if (p.deps.empty()) {
      tensors_[static_cast<size_t>(i)] = {false, TrafficKind::activations};  // a model input, in DRAM
      return;
    }
    const int source = p.deps[0];
    tensors_[static_cast<size_t>(i)] = tensors_[static_cast<size_t>(source)];
    if (sram_.holds(source)) sram_.alias(source, i, consumers_[static_cast<size_t>(i)]);
    for (size_t j = 1; j < p.deps.size(); ++j) sram_.consume(p.deps[j]);
  }

  void plan_gemm(int i, const TraceOp& op, PlannedOp& p) {
    p.work = OpWork::gemm;
    if (config_.linear.engine == LinearEngine::lutnn && op.type != OpType::batched_matmul) {
      plan_lutnn(i, op, p);
      return;
    }
    GemmOperands o;
    o.input_element_bytes = workloads::precision_bytes(op.input_precision);
    o.output_element_bytes = workloads::precision_bytes(op.output_precision);
    o.input_bytes = bytes_of(op.inputs[0], op.input_precision);
    o.input_on_chip = input_on_chip(p, 0);
    const bool input_int16 = op.input_precision == workloads::Precision::int16;
    switch (op.type) {
      case OpType::matmul: {
        const int64_t k = op.weights[0], n = op.weights[1];
        o.shape = {workloads::element_count(op.inputs[0]) / k, k, n, 1, input_int16,
                   op.weight_precision == workloads::Precision::int16};
        o.weight_element_bytes = workloads::precision_bytes(op.weight_precision);
        o.weight_bytes = bytes_of(op.weights, op.weight_precision);
        break;
      }
      case OpType::batched_matmul:  // both operands are activations; the second is the stationary one
        o.shape = {op.inputs[0][1], op.inputs[0][2], op.inputs[1][2], op.inputs[0][0], input_int16, input_int16};
        o.weight_element_bytes = o.input_element_bytes;
        o.weight_bytes = bytes_of(op.inputs[1], op.input_precision);
        o.weight_sharing = op.inputs[0][0] / op.inputs[1][0];
        o.weights_in_dram = !input_on_chip(p, 1);
        break;
      default: {  // conv as implicit GEMM, one per group
        const int64_t taps = op.weights[2] * op.weights[3];
        o.shape = {op.output[1] * op.output[2], op.weights[1] * taps, op.weights[0] / op.groups, op.groups, input_int16,
                   op.weight_precision == workloads::Precision::int16};
        o.weight_element_bytes = workloads::precision_bytes(op.weight_precision);
        o.weight_bytes = bytes_of(op.weights, op.weight_precision);
        o.im2col_elements = taps > 1 ? o.shape.m * o.shape.k * o.shape.batch : 0;
        break;
      }
    }
    p.gemm = o.shape;
    p.weight_element_bytes = o.weight_element_bytes;

    // Keep the output on chip when that moves fewer bytes overall than writing it out and reading it
    // back for each consumer (keeping it leaves less room for the tiles, which can cost re-streams).
    const int64_t output_bytes = bytes_of(op.output, op.output_precision);
    const int consumers = consumers_[static_cast<size_t>(i)];
    o.output_on_chip = false;
    GemmPlan plan = plan_with_room(o, p);
    if (consumers > 0 && output_bytes <= sram_.free_bytes()) {
      GemmOperands kept = o;
      kept.output_on_chip = true;
      try {
        const GemmPlan keep_plan = gemms_.plan(kept, sram_.free_bytes() - output_bytes);
        if (keep_plan.dram_bytes() <= plan.dram_bytes() + output_bytes * consumers) {
          plan = keep_plan;
          o.output_on_chip = true;
        }
      } catch (const Error&) {  // no tile fits beside the kept output: spill it
      }
    }
    p.gemm_plan = plan;
    if (o.weights_in_dram && op.type != OpType::batched_matmul) {
      p.weight_bytes = plan.weight_dram_bytes;
    } else if (o.weights_in_dram) {
      p.loads.push_back({plan.weight_dram_bytes, input_state(p, 1).dram_kind});
    }
    if (plan.input_dram_bytes > 0) p.loads.push_back({plan.input_dram_bytes, input_state(p, 0).dram_kind});
    finish_output(i, p, o.output_on_chip, output_bytes);
    p.weights_double_buffered = plan.double_buffered || (plan.weights_resident && config_.sram.double_buffered);
    p.activations_double_buffered = plan.double_buffered;
    // The head step is one weight tile when weights stream, else one input or output tile.
    const int64_t outer = plan.order == LoopOrder::rows_outer ? plan.row_tiles : plan.col_tiles;
    int64_t tile_bytes = plan.tile.m * plan.tile.n * o.output_element_bytes, total_bytes = plan.output_dram_bytes;
    if (p.weight_bytes > 0) {
      tile_bytes = plan.tile.k * plan.tile.n * o.weight_element_bytes;
      total_bytes = p.weight_bytes;
    } else if (plan.input_dram_bytes > 0) {
      tile_bytes = plan.tile.m * ((o.input_bytes + o.shape.m * o.shape.batch - 1) / (o.shape.m * o.shape.batch));
      total_bytes = plan.input_dram_bytes;
    }
    p.split = split_of(outer * o.shape.batch, tile_bytes, total_bytes);
  }

  // A matmul or conv as LUT-NN (hw/cost/lutnn_timing.hpp): its input read once, its tables, centroids and
  // column scales streamed through the table buffer in column tiles (one step each, per pass of rows),
  // its output kept on chip beside the codes when there is room.
  void plan_lutnn(int i, const TraceOp& op, PlannedOp& p) {
    const LutnnTiming timing(config_.lutnn_unit, config_);
    const bool input_int16 = op.input_precision == workloads::Precision::int16;
    const LutnnLayerShape shape =
        op.type == OpType::matmul
            ? timing.matmul_shape(workloads::element_count(op.inputs[0]) / op.weights[0], op.weights[0], op.weights[1], input_int16)
            : timing.conv_shape(op.output[1] * op.output[2], op.weights[1], op.weights[2], op.weights[3], op.weights[0], op.groups,
                                input_int16);
    p.lutnn = true;
    p.lutnn_cost = timing.cost(shape);
    p.gemm = {shape.tokens, shape.in_features, shape.out_features, shape.groups, input_int16, false};
    if (!input_on_chip(p, 0)) p.loads.push_back({bytes_of(op.inputs[0], op.input_precision), input_state(p, 0).dram_kind});
    const int64_t output_bytes = bytes_of(op.output, op.output_precision);
    const int64_t code_bytes = std::min(shape.tokens * p.lutnn_cost.counts.codebooks * shape.groups,
                                        int64_t{config_.sram.activation_kib} * 1024 / 2);
    const bool keep = consumers_[static_cast<size_t>(i)] > 0 && output_bytes + code_bytes <= sram_.free_bytes();
    finish_output(i, p, keep, output_bytes);
    p.weight_bytes = p.lutnn_cost.table_dram_bytes;
    p.weights_double_buffered = config_.sram.double_buffered;
    p.activations_double_buffered = config_.sram.double_buffered;
    const int64_t tiles = p.lutnn_cost.table_tiles * p.lutnn_cost.table_passes;
    p.split = split_of(tiles, p.lutnn_cost.counts.table_bytes / p.lutnn_cost.table_tiles, p.weight_bytes);
  }

  // Steps for `pieces` tiles of `tile_bytes` out of `total_bytes`: at most kMaxSteps, the first one tile.
  static StepSplit split_of(int64_t pieces, int64_t tile_bytes, int64_t total_bytes) {
    StepSplit split;
    split.steps = std::clamp<int64_t>(pieces, 1, kMaxSteps);
    if (split.steps > 1 && total_bytes > 0) {
      split.head_fraction = std::min(1.0 / static_cast<double>(split.steps),
                                     static_cast<double>(tile_bytes) / static_cast<double>(total_bytes));
    } else if (split.steps > 1) {
      split.head_fraction = 1.0 / static_cast<double>(split.steps);
    }
    return split;
  }

  // The GEMM's plan; when the tensors kept on chip leave no room for even the smallest tiles, kept
  // tensors are spilled (written out while the op runs), largest first and this op's own inputs last,
  // until the tiles fit. An input spilled this way is then read from DRAM.
  GemmPlan plan_with_room(GemmOperands& o, PlannedOp& p) {
    while (true) {
      try {
        return gemms_.plan(o, sram_.free_bytes());
      } catch (const Error&) {
        const auto read_here = [&](int buffer) {
          return std::any_of(p.deps.begin(), p.deps.end(), [&](int dep) { return sram_.buffer_of(dep) == buffer; });
        };
        const auto kept = sram_.kept();
        auto victim = std::find_if(kept.begin(), kept.end(), [&](const auto& k) { return !read_here(k.first); });
        if (victim == kept.end()) victim = kept.begin();
        if (victim == kept.end()) throw;
        p.stores.push_back({victim->second, TrafficKind::spills});
        if (p.deps.size() > 0 && sram_.buffer_of(p.deps[0]) == victim->first) o.input_on_chip = false;
        if (p.deps.size() > 1 && sram_.buffer_of(p.deps[1]) == victim->first) o.weights_in_dram = true;
        for (const int name : sram_.evict(victim->first)) tensors_[static_cast<size_t>(name)] = {false, TrafficKind::spills};
      }
    }
  }

  // Row-wise ops on the MAU (vector work, and non-linear ops on the table units or as integer
  // sequences): rows stream through double-buffered tiles of what the activation SRAM has free.
  void plan_streamed(int i, const TraceOp& op, PlannedOp& p) {
    const int64_t rows = std::max<int64_t>(1, workloads::element_count(op.output) / std::max<int64_t>(1, op.output.back()));
    int64_t dram_in_bytes = 0;
    for (size_t j = 0; j < op.inputs.size(); ++j) {
      if (input_on_chip(p, j)) continue;
      const int64_t bytes = bytes_of(op.inputs[j], op.input_precision);
      dram_in_bytes += bytes;
      p.loads.push_back({bytes, input_state(p, j).dram_kind});
    }
    const int64_t output_bytes = bytes_of(op.output, op.output_precision);
    const int64_t min_tile_bytes = 2 * (dram_in_bytes + output_bytes) / rows;  // two rows in flight
    const bool keep = consumers_[static_cast<size_t>(i)] > 0 && output_bytes + min_tile_bytes <= sram_.free_bytes();
    finish_output(i, p, keep, output_bytes);
    const int64_t row_bytes = std::max<int64_t>(1, (dram_in_bytes + (keep ? 0 : output_bytes)) / rows);
    const int64_t free_bytes = std::max<int64_t>(2 * row_bytes, sram_.free_bytes());
    const int64_t buffers = config_.sram.double_buffered ? 2 : 1;
    p.activations_double_buffered = config_.sram.double_buffered;
    const int64_t tile_rows = std::clamp<int64_t>(free_bytes / (buffers * row_bytes), 1, rows);
    p.split = split_of((rows + tile_rows - 1) / tile_rows, tile_rows, rows);
  }

  // The DSP reads its input and writes its result through DRAM (or over the on-chip link, where the
  // MAU's SRAM holds the tensor).
  void plan_dsp(int i, const TraceOp& op, PlannedOp& p) {
    const int64_t input_bytes = bytes_of(op.inputs[0], op.input_precision);
    const int64_t output_bytes = bytes_of(op.output, op.output_precision);
    const bool resident = input_on_chip(p, 0);
    const bool last = consumers_[static_cast<size_t>(i)] == 0;
    p.dsp_input_bytes = input_bytes;
    const int64_t chunk_bytes = std::max<int64_t>(1, int64_t{config_.dsp.local_memory_kib} * 1024 / 2);
    p.dsp_chunks = std::max<int64_t>(1, (input_bytes + chunk_bytes - 1) / chunk_bytes);
    if (config_.dsp.transfer_path == TransferPath::dram) {
      if (resident) p.dsp_stage_bytes = input_bytes;
      p.dsp_in = {input_bytes, resident ? TrafficKind::dsp_exchange : input_state(p, 0).dram_kind};
      p.dsp_out = {output_bytes, last ? TrafficKind::activations : TrafficKind::dsp_exchange};
      tensors_[static_cast<size_t>(i)] = {false, p.dsp_out.kind};
      return;
    }
    p.dsp_link_in_bytes = resident ? input_bytes : 0;
    if (!resident) p.dsp_in = {input_bytes, input_state(p, 0).dram_kind};
    const bool keep = !last && output_bytes <= sram_.free_bytes();
    if (keep) {
      p.dsp_link_out_bytes = output_bytes;
      sram_.keep(i, output_bytes, consumers_[static_cast<size_t>(i)]);
      tensors_[static_cast<size_t>(i)] = {true, TrafficKind::spills};
    } else {
      p.dsp_out = {output_bytes, output_kind(i)};
      tensors_[static_cast<size_t>(i)] = {false, output_kind(i)};
    }
  }

  void finish_output(int i, PlannedOp& p, bool keep, int64_t output_bytes) {
    if (keep) {
      sram_.keep(i, output_bytes, consumers_[static_cast<size_t>(i)]);
      tensors_[static_cast<size_t>(i)] = {true, TrafficKind::spills};
    } else {
      p.stores.push_back({output_bytes, output_kind(i)});
      tensors_[static_cast<size_t>(i)] = {false, output_kind(i)};
    }
  }

  const workloads::Trace& trace_;
  HwConfig config_;
  const PreparedTables& tables_;
  NonlinearTiming nonlinear_timing_;
  GemmPlanner gemms_;
  ActivationSram sram_;
  std::map<std::string, int> index_;
  std::vector<TensorState> tensors_;
  std::vector<PlannedOp> planned_;
  std::vector<int> consumers_;
};

// sram.scale_with_array: the buffers the plan sees grow with the array's MACs over the paper NPU's
// (the built-in defaults), so an array-size sweep can keep the buffers in proportion.
HwConfig with_buffers_for_array(HwConfig config) {
  if (!config.sram.scale_with_array) return config;
  const MauConfig paper;
  const double factor = static_cast<double>(config.mau.rows) * config.mau.cols / (static_cast<double>(paper.rows) * paper.cols);
  for (int* kib : {&config.sram.weight_kib, &config.sram.activation_kib, &config.sram.accumulator_kib}) {
    *kib = static_cast<int>(std::clamp<double>(std::round(*kib * factor), 1.0, 1 << 22));
  }
  return config;
}

}  // namespace

ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config, std::shared_ptr<const PreparedTables> tables) {
  if (!tables) throw Error("build_plan: no prepared tables");
  ExecutionPlan plan = Planner(trace, with_buffers_for_array(config), *tables).build();
  plan.tables = std::move(tables);
  return plan;
}

ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config, const PrepareOptions& options) {
  return build_plan(trace, config, std::make_shared<const PreparedTables>(prepare_tables(trace, config, options)));
}

}  // namespace npusim::hw
