// --plugin FILE (repeatable): shared libraries that register unit models (hw/sim/unit_registry.hpp), for
// every subcommand that reads a config which may name them.
#pragma once

#include <string>
#include <vector>

#include "tools/cli.hpp"

namespace npusim::cli {

void add_plugin_option(po::options_description& options);
// Loads the plugins named, in order; returns their paths.
std::vector<std::string> load_plugins(const po::variables_map& values);

}  // namespace npusim::cli
