#include "hw/config/hw_config.hpp"

#include "common/error.hpp"
#include "common/did_you_mean.hpp"

namespace npusim::hw {

std::string_view nonlinear_kind_name(NonlinearKind kind) {
  for (const auto& [value, name] : names_of(NonlinearKind{})) {
    if (value == kind) return name;
  }
  return "?";
}

const std::vector<NonlinearKind>& all_nonlinear_kinds() {
  static const std::vector<NonlinearKind> kinds = [] {
    std::vector<NonlinearKind> list;
    for (const auto& named : names_of(NonlinearKind{})) list.push_back(named.value);
    return list;
  }();
  return kinds;
}

std::string_view engine_name(NonlinearEngine engine) {
  for (const auto& [value, name] : names_of(NonlinearEngine{})) {
    if (value == engine) return name;
  }
  return "?";
}

std::vector<std::string> all_engine_names() {
  std::vector<std::string> names;
  for (const auto& named : names_of(NonlinearEngine{})) names.emplace_back(named.name);
  return names;
}

NonlinearEngine parse_engine(std::string_view name) {
  for (const auto& named : names_of(NonlinearEngine{})) {
    if (named.name == name) return named.value;
  }
  throw Error("unknown non-linear engine '" + std::string(name) + "'" + did_you_mean(name, all_engine_names()) +
              "; known: " + join_names(all_engine_names()));
}

bool LutUnitConfig::range_reduces(std::string_view function) const {
  for (const auto& f : range_reduced) {
    if (f == function) return true;
  }
  return false;
}

NonlinearEngine NonlinearConfig::engine_for(NonlinearKind kind) const {
  const auto it = per_kind.find(kind);
  return it != per_kind.end() ? it->second : default_engine;
}

}  // namespace npusim::hw
