// npusim trace-stats: MACs, non-linear elements, weight and activation bytes per op, layer and model.
#include <iostream>

#include "tools/commands.hpp"
#include "report/text_table.hpp"
#include "tools/workload_options.hpp"
#include "workloads/trace_stats.hpp"

namespace npusim::cli {

namespace {

std::vector<std::string> stats_cells(const std::string& name, const workloads::WorkStats& s) {
  std::vector<std::string> row = {name, std::to_string(s.macs)};
  for (const int64_t e : s.nonlinear_elements) row.push_back(std::to_string(e));
  row.push_back(std::to_string(s.weight_bytes));
  row.push_back(std::to_string(s.activation_in_bytes));
  row.push_back(std::to_string(s.activation_out_bytes));
  return row;
}

}  // namespace

int run_trace_stats_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_workload_options(options, true);
  options.add_options()("per-op", po::bool_switch(), "one row per op as well");
  po::variables_map values;
  if (!parse_options("trace-stats", "npusim trace-stats --workload FILE | --model NAME [options]", options, args, values)) {
    return kExitOk;
  }
  const workloads::Trace trace = load_workload(values, "trace-stats");
  const workloads::TraceStats stats = workloads::trace_stats(trace);
  const std::vector<std::string> header = {"", "MACs", "gelu", "silu", "softmax", "layernorm", "rmsnorm",
                                           "weight B", "act in B", "act out B"};
  std::cout << trace.model << " (" << trace.ops.size() << " ops; " << trace.source << ")\n";
  if (values["per-op"].as<bool>()) {
    TextTable ops(header);
    for (size_t i = 0; i < trace.ops.size(); ++i) ops.add_row(stats_cells(trace.ops[i].id, stats.ops[i]));
    std::cout << "\nper op:\n" << ops.render();
  }
  TextTable layers(header);
  for (const auto& l : stats.layers) layers.add_row(stats_cells(l.layer, l.stats));
  layers.add_row(stats_cells("model", stats.total));
  std::cout << "\nper layer (non-linear columns count elements):\n" << layers.render();
  return kExitOk;
}

}  // namespace npusim::cli
