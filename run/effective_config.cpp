#include "run/effective_config.hpp"

#include "hw/config/hw_config_io.hpp"

namespace npusim::run {

EffectiveConfig with_overrides(const hw::HwConfig& base, const std::vector<std::string>& overrides) {
  EffectiveConfig effective{base, base.name};
  hw::apply_overrides(effective.config, overrides);
  for (const auto& o : overrides) effective.label += " " + o;
  return effective;
}

hw::HwConfig on_engine(hw::HwConfig config, hw::NonlinearEngine engine) {
  config.nonlinear.default_engine = engine;
  config.nonlinear.per_kind.clear();
  return config;
}

}  // namespace npusim::run
