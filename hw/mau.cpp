#include "hw/mau.hpp"

namespace npusim::hw {

Mau::Mau(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log)
    : sc_core::sc_module(name),
      timing_(config.mau),
      array_("mau.array", config.cycle_ns(), log),
      vector_path_("mau.vector", config.cycle_ns(), log) {}

void Mau::gemm(int op_index, const GemmShape& shape, int part, int parts) {
  const GemmCost cost = timing_.gemm(shape);
  const auto share = [&](int64_t total) { return total / parts + (part < total % parts ? 1 : 0); };
  array_.run(share(cost.cycles), Category::mau_compute, op_index, share(shape.m * shape.k * shape.n * shape.batch), 0);
}

void Mau::vector(int op_index, int64_t cycles, Category category, int64_t elements) {
  vector_path_.run(cycles, category, op_index, 0, elements);
}

}  // namespace npusim::hw
