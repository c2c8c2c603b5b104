// npusim lut-inventory: the per-layer tables a model needs and what they cost in memory.
#include <iostream>

#include "models/lut/bespoke_lut.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"
#include "tools/workload_options.hpp"
#include "workloads/lut_inventory.hpp"

namespace npusim::cli {

int run_lut_inventory_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_workload_options(options, true);
  options.add_options()("threshold", po::value<double>()->default_value(kDefaultDualThreshold),
                        "MAPE_0 above which an instance gets a dual-range table");
  po::variables_map values;
  if (!parse_options("lut-inventory", "npusim lut-inventory --workload FILE | --model NAME [--threshold T]", options,
                     args, values)) {
    return kExitOk;
  }
  const double threshold = values["threshold"].as<double>();
  if (!(threshold >= 0.0)) throw UsageError("lut-inventory: --threshold must be >= 0");
  const workloads::Trace trace = load_workload(values, "lut-inventory");
  const workloads::LutInventory inv = workloads::lut_inventory(trace, threshold);

  TextTable table({"function", "tables", "base bytes", "dual tables", "dual bytes"});
  for (const auto& row : inv.functions) {
    table.add_row({std::string(function_name(row.function)), std::to_string(row.tables), std::to_string(row.base_bytes),
                   std::to_string(row.dual_tables), std::to_string(row.dual_bytes)});
  }
  table.add_row({"total", std::to_string(inv.tables), std::to_string(inv.base_bytes), std::to_string(inv.dual_tables),
                 std::to_string(inv.dual_bytes)});
  std::cout << "LUT inventory of " << trace.model << " (" << trace.ops.size() << " ops, ranges: " << trace.calibration
            << "), dual-range threshold " << format_number(threshold) << "\n\n"
            << table.render() << "\n  tables: one per GELU and SiLU, two per softmax (exp, reciprocal), one per LayerNorm\n"
            << "  and RMSNorm (rsqrt); ReLU and folded BatchNorm need none. " << 514 << " bytes per base table, 34 per\n"
            << "  dual-range table.\n"
            << "  parameters " << inv.parameters << " (INT8 weights), LUT memory " << inv.total_bytes() << " bytes = "
            << format_number(100.0 * inv.lut_share, 3) << " % of the model's size\n";
  return kExitOk;
}

}  // namespace npusim::cli
