// npusim trace: generate a zoo model's workload trace.
#include <iostream>

#include "tools/commands.hpp"
#include "tools/workload_options.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::cli {

int run_trace_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_workload_options(options, false);
  options.add_options()("output,o", po::value<std::string>(), "write the trace here (default: standard output)");
  po::variables_map values;
  if (!parse_options("trace", "npusim trace --model NAME [--tokens N] [--blocks A:B | --full] [--batch B] [-o FILE]",
                     options, args, values)) {
    return kExitOk;
  }
  const workloads::Trace trace = load_workload(values, "trace");
  if (values.count("output")) {
    workloads::save_trace(trace, values["output"].as<std::string>());
    std::cerr << "wrote " << trace.ops.size() << " ops of " << trace.model << " to " << values["output"].as<std::string>() << "\n";
  } else {
    std::cout << workloads::trace_to_yaml(trace);
  }
  return kExitOk;
}

}  // namespace npusim::cli
