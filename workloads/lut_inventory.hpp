// The LUT inventory of a model: how many per-layer tables each function needs, their bytes, how many
// get a dual-range table at a threshold (decided by building each instance's table from its range,
// exactly as the LUT unit would), and the LUT share of the model's size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/golden_functions.hpp"
#include "workloads/trace.hpp"

namespace npusim::workloads {

struct InventoryRow {
  Function function = Function::exp;
  int64_t tables = 0;
  int64_t base_bytes = 0;   // 514 per table
  int64_t dual_tables = 0;
  int64_t dual_bytes = 0;   // 34 per dual-range table
};

struct LutInventory {
  std::string model;
  double threshold = 0.0;
  std::vector<InventoryRow> functions;  // in the order they first appear
  int64_t tables = 0;
  int64_t base_bytes = 0;
  int64_t dual_tables = 0;
  int64_t dual_bytes = 0;
  int64_t parameters = 0;         // weight elements of the trace
  double lut_share = 0.0;         // LUT bytes / (INT8 weight bytes + LUT bytes)
  int64_t total_bytes() const { return base_bytes + dual_bytes; }
};

LutInventory lut_inventory(const Trace& trace, double threshold);

}  // namespace npusim::workloads
