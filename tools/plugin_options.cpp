#include "tools/plugin_options.hpp"

#include "hw/sim/unit_registry.hpp"

namespace npusim::cli {

void add_plugin_option(po::options_description& options) {
  options.add_options()("plugin", po::value<std::vector<std::string>>()->composing(),
                        "load a shared library that registers unit models a config can name (repeatable; docs/user-guide.md: Bring your own unit)");
}

std::vector<std::string> load_plugins(const po::variables_map& values) {
  std::vector<std::string> plugins;
  if (values.count("plugin")) plugins = values["plugin"].as<std::vector<std::string>>();
  for (const auto& plugin : plugins) hw::load_plugin(plugin);
  return plugins;
}

}  // namespace npusim::cli
