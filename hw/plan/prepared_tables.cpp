#include "hw/plan/prepared_tables.hpp"

#include "common/error.hpp"
#include "models/lut/range_reduced_lut.hpp"

namespace npusim::hw {

namespace {

bool is_nonlinear(workloads::OpType type, NonlinearKind& kind) {
  switch (type) {
    case workloads::OpType::gelu: kind = NonlinearKind::gelu; return true;
    case workloads::OpType::silu: kind = NonlinearKind::silu; return true;
    case workloads::OpType::softmax: kind = NonlinearKind::softmax; return true;
    case workloads::OpType::layernorm: kind = NonlinearKind::layernorm; return true;
    case workloads::OpType::rmsnorm: kind = NonlinearKind::rmsnorm; return true;
    default: return false;
  }
}

}  // namespace

std::string table_key(const std::string& layer, Function function, bool range_reduced) {
  const std::string name(function_name(function));
  return range_reduced ? "bespoke_rr." + name : layer + "." + name;
}

bool uses_range_reduced_table(const HwConfig& config, NonlinearEngine engine, Function function) {
  return engine == NonlinearEngine::lut && config.lut_unit.range_reduces(function_name(function)) &&
         RangeReducedLut::supports(function);
}

void PreparedTables::add_lut(int op_index, Function function, BespokeLut lut) {
  storage_.push_back(std::move(lut));
  by_op_[{op_index, function}] = &storage_.back();
}

void PreparedTables::add_shared_lut(int op_index, Function function) {
  const BespokeLut*& shared = shared_[function];
  if (shared == nullptr) {
    storage_.push_back(RangeReducedLut::build(function).table());
    shared = &storage_.back();
  }
  by_op_[{op_index, function}] = shared;
}

void PreparedTables::add_nnlut(Function function, NnLutTable table) { nnluts_.insert_or_assign(function, std::move(table)); }

const BespokeLut& PreparedTables::lut(int op_index, Function function) const {
  const auto it = by_op_.find({op_index, function});
  if (it == by_op_.end()) {
    throw Error("prepared tables: no " + std::string(function_name(function)) + " table for op " + std::to_string(op_index) +
                " (the plan was prepared for another config)");
  }
  return *it->second;
}

const NnLutTable& PreparedTables::nnlut(Function function) const {
  const auto it = nnluts_.find(function);
  if (it == nnluts_.end()) {
    throw Error("prepared tables: no NN-LUT table for " + std::string(function_name(function)) + " (prepared without functional tables)");
  }
  return it->second;
}

PreparedTables prepare_tables(const workloads::Trace& trace, const HwConfig& config, const PrepareOptions& options) {
  PreparedTables tables;
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    const workloads::TraceOp& op = trace.ops[i];
    NonlinearKind kind;
    if (!is_nonlinear(op.type, kind)) continue;
    const NonlinearEngine engine = config.nonlinear.engine_for(kind);
    for (const auto& [function, range] : op.ranges) {
      if (engine == NonlinearEngine::nnlut && options.functional && !tables.has_nnlut(function)) {
        tables.add_nnlut(function, build_nnlut(function));
      }
      if (engine != NonlinearEngine::lut) continue;
      if (uses_range_reduced_table(config, engine, function)) {
        tables.add_shared_lut(static_cast<int>(i), function);
      } else {
        tables.add_lut(static_cast<int>(i), function, BespokeLut::build(function, range.min, range.max));
      }
    }
  }
  return tables;
}

}  // namespace npusim::hw
