#include "workloads/lut_inventory.hpp"

#include "models/lut/bespoke_lut.hpp"

namespace npusim::workloads {

LutInventory lut_inventory(const Trace& trace, double threshold) {
  LutInventory inv;
  inv.model = trace.model;
  inv.threshold = threshold;
  LutOptions options;
  options.threshold = threshold;
  for (const TraceOp& op : trace.ops) {
    inv.parameters += element_count(op.weights);
    for (const Function f : lut_functions(op.type)) {
      const CalibratedRange& r = op.ranges.at(f);
      const BespokeLut lut = BespokeLut::build(f, r.min, r.max, options);
      InventoryRow* row = nullptr;
      for (auto& existing : inv.functions) {
        if (existing.function == f) row = &existing;
      }
      if (row == nullptr) {
        inv.functions.push_back({f, 0, 0, 0, 0});
        row = &inv.functions.back();
      }
      ++row->tables;
      row->base_bytes += 2 * static_cast<int64_t>(lut.base_table().size());
      if (lut.has_dual_range()) {
        ++row->dual_tables;
        row->dual_bytes += 2 * static_cast<int64_t>(lut.dual_table().size());
      }
    }
  }
  for (const auto& row : inv.functions) {
    inv.tables += row.tables;
    inv.base_bytes += row.base_bytes;
    inv.dual_tables += row.dual_tables;
    inv.dual_bytes += row.dual_bytes;
  }
  const double lut_bytes = static_cast<double>(inv.total_bytes());
  inv.lut_share = lut_bytes / (static_cast<double>(inv.parameters) + lut_bytes);
  return inv;
}

}  // namespace npusim::workloads
