// The options of `npusim run` and what they resolve to: the effective config, the engines to compare,
// and the arguments each engine's child process gets.
#pragma once

#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "tools/cli.hpp"

namespace npusim::cli {

void add_run_options(po::options_description& options);

struct RunSetup {
  hw::HwConfig config;                   // for a single engine: with that engine for every op kind
  std::string config_label;              // the config's name and the --set overrides: "paper_npu dram.bandwidth_gbps=6"
  std::vector<std::string> engines;      // one entry per simulation
  std::vector<std::string> child_args;   // `run ...` without the per-engine and output options
};

// Also checks, before anything is simulated, that --out, --json, --timeline and --vcd can be written.
RunSetup run_setup(const po::variables_map& values);

}  // namespace npusim::cli
