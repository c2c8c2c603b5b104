// The options of `npusim run` and the run request they describe (run/run_request.hpp).
#pragma once

#include "run/run_request.hpp"
#include "tools/cli.hpp"

namespace npusim::cli {

void add_run_options(po::options_description& options);

// The request the options describe; option-level mistakes (an empty --engines, a --linear that is
// neither mau nor lutnn, --tokens with --workload) are UsageErrors. Everything else - the config, the
// engines' names, the workload, where outputs go - is checked by run::resolve.
// "dsp,lut" -> {"dsp", "lut"}; the names are checked by run::resolve. An empty list is a UsageError.
std::vector<std::string> engine_list(const std::string& list, const std::string& command);

run::RunRequest run_request(const po::variables_map& values);

}  // namespace npusim::cli
