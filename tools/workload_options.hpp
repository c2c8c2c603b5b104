// The workload options every workload-taking subcommand shares:
// --workload FILE | --model NAME [--tokens N] [--blocks A:B | --full] [--batch B] [--calibration FILE]
#pragma once

#include "run/workload_request.hpp"
#include "tools/cli.hpp"
#include "workloads/trace.hpp"

namespace npusim::cli {

void add_workload_options(po::options_description& options, bool with_workload_file);

// The workload the options name; throws UsageError when neither or both of --workload and --model are
// given, or model options come with --workload.
run::WorkloadRequest workload_request(const po::variables_map& values, const std::string& command);

// The trace the options name (generated or read, then calibrated).
workloads::Trace load_workload(const po::variables_map& values, const std::string& command);

}  // namespace npusim::cli
