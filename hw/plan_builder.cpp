#include "hw/plan_builder.hpp"

#include <map>

#include "hw/sram.hpp"
#include "models/bespoke_lut.hpp"

namespace npusim::hw {

namespace {

using workloads::OpType;
using workloads::TraceOp;

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

void plan_gemm(PlannedOp& p, const TraceOp& op, const SramPlanner& sram) {
  p.work = OpWork::gemm;
  const bool int16 = op.input_precision == workloads::Precision::int16 || op.weight_precision == workloads::Precision::int16;
  const int in_bytes = workloads::precision_bytes(op.input_precision);
  const int out_bytes = workloads::precision_bytes(op.output_precision);
  int64_t weight_bytes = 0;
  switch (op.type) {
    case OpType::matmul: {
      const int64_t k = op.weights[0], n = op.weights[1];
      p.gemm = {workloads::element_count(op.inputs[0]) / k, k, n, 1, int16};
      weight_bytes = k * n * workloads::precision_bytes(op.weight_precision);
      break;
    }
    case OpType::batched_matmul:
      p.gemm = {op.inputs[0][1], op.inputs[0][2], op.inputs[1][2], op.inputs[0][0], int16};
      break;
    default: {  // conv as implicit GEMM, one per group
      const int64_t rows = op.output[1] * op.output[2];
      p.gemm = {rows, op.weights[1] * op.weights[2] * op.weights[3], op.weights[0] / op.groups, op.groups, int16};
      weight_bytes = workloads::element_count(op.weights) * workloads::precision_bytes(op.weight_precision);
      break;
    }
  }
  const GemmTiling tiling =
      sram.plan_gemm(p.gemm.m * p.gemm.batch, p.gemm.k * in_bytes, p.gemm.n * out_bytes, weight_bytes);
  p.weight_bytes = weight_bytes == 0 ? 0 : tiling.weight_bytes_streamed;
  p.weight_tiles = weight_bytes == 0 ? 0
                                     : static_cast<int>(tiling.weight_tiles *
                                                        (tiling.weight_bytes_streamed / std::max<int64_t>(1, weight_bytes)));
}

}  // namespace

ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config) {
  ExecutionPlan plan;
  plan.workload = trace.model;
  const SramPlanner sram(config.sram);
  std::map<std::string, int> index;
  std::vector<int> consumers(trace.ops.size(), 0);
  for (const TraceOp& op : trace.ops) {
    for (const auto& dep : op.deps) ++consumers[static_cast<size_t>(index.at(dep))];
    index[op.id] = static_cast<int>(index.size());
  }
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    const TraceOp& op = trace.ops[i];
    PlannedOp p;
    p.id = op.id;
    p.layer = op.layer;
    p.type = std::string(workloads::op_type_name(op.type));
    for (const auto& dep : op.deps) p.deps.push_back(index.at(dep));
    const int64_t elements = workloads::element_count(op.output);
    switch (op.type) {
      case OpType::matmul:
      case OpType::batched_matmul:
      case OpType::conv: plan_gemm(p, op, sram); break;
      case OpType::gelu:
      case OpType::silu:
      case OpType::softmax:
      case OpType::layernorm:
      case OpType::rmsnorm: {
        p.work = OpWork::nonlinear;
        p.nonlinear = {kind_of(op.type), elements, elements / op.output.back()};
        p.engine = config.nonlinear.engine_for(p.nonlinear.kind);
        for (const auto& [function, range] : op.ranges) {
          const BespokeLut lut = BespokeLut::build(function, range.min, range.max);
          p.tables.push_back({op.layer + "." + std::string(function_name(function)), function, range.min, range.max,
                              static_cast<int64_t>(lut.table_bytes())});
        }
        p.dsp_in_bytes = bytes_of(op.inputs[0], op.input_precision);
        p.dsp_out_bytes = bytes_of(op.output, op.output_precision);
        break;
      }
      case OpType::relu:
      case OpType::add:
      case OpType::mul:
        p.work = OpWork::vector;
        p.vector_elements = elements;
        p.vector_passes = 1;
        break;
      case OpType::pooling:
        p.work = OpWork::vector;
        p.vector_elements = elements;
        p.vector_passes = op.kernel[0] * op.kernel[1];  // one sweep per window tap
        break;
      case OpType::batchnorm:  // folded into the preceding conv's weights and bias at inference
      case OpType::reshape: p.work = OpWork::none; break;
    }
    // Model inputs arrive from DRAM; outputs nobody consumes, and outputs too large for the activation
    // SRAM, go to DRAM (the latter reloaded by every consumer).
    if (op.deps.empty()) p.reload_bytes += bytes_of(op.inputs[0], op.input_precision);
    const int64_t out_bytes = bytes_of(op.output, op.output_precision);
    if (consumers[i] == 0 || !sram.stays_on_chip(out_bytes)) p.spill_bytes = out_bytes;
    plan.ops.push_back(p);
  }
  for (PlannedOp& p : plan.ops) {
    for (const int dep : p.deps) {
      if (plan.ops[static_cast<size_t>(dep)].spill_bytes > 0 && consumers[static_cast<size_t>(dep)] > 0) {
        p.reload_bytes += plan.ops[static_cast<size_t>(dep)].spill_bytes;
      }
    }
  }
  return plan;
}

}  // namespace npusim::hw
