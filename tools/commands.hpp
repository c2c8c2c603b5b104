// One entry point per subcommand; each lives in tools/commands/<name>_command.cpp (sweeps in tools/sweep/).
#pragma once

#include <string>
#include <vector>

namespace npusim::cli {

int run_default_command(const std::vector<std::string>& args);  // `npusim` with no subcommand
int run_lut_block_command(const std::vector<std::string>& args);
int run_lut_command(const std::vector<std::string>& args);
int run_accuracy_command(const std::vector<std::string>& args);
int run_ablation_command(const std::vector<std::string>& args);
int run_run_command(const std::vector<std::string>& args);
int run_sweep_command(const std::vector<std::string>& args);
int run_sweep_merge_command(const std::vector<std::string>& args);
int run_bench_sim_command(const std::vector<std::string>& args);
int run_golden_command(const std::vector<std::string>& args);
int run_check_rtl_command(const std::vector<std::string>& args);
int run_area_command(const std::vector<std::string>& args);
int run_trace_command(const std::vector<std::string>& args);
int run_trace_stats_command(const std::vector<std::string>& args);
int run_lut_inventory_command(const std::vector<std::string>& args);
int run_lutnn_command(const std::vector<std::string>& args);
int run_import_command(const std::vector<std::string>& args);
int run_infer_command(const std::vector<std::string>& args);
int run_calibrate_command(const std::vector<std::string>& args);
int run_compare_command(const std::vector<std::string>& args);

}  // namespace npusim::cli
