// The config a run simulates, made once by whoever starts the run and handed to it whole: a base config
// with overrides applied in order, named after them, with the engine chosen for every non-linear op.
#pragma once

#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"

namespace npusim::run {

struct EffectiveConfig {
  hw::HwConfig config;
  std::string label;  // the config's name and each override: "paper_npu dram.bandwidth_gbps=6"
};

// `base` with "key.path=value" overrides applied in order; a run with overrides must not read as the
// config it started from, hence the label. Throws npusim::Error "--set key.path=value: ..." for an
// unknown key (with a did-you-mean) or a value out of its range.
EffectiveConfig with_overrides(const hw::HwConfig& base, const std::vector<std::string>& overrides);

// `config` with every non-linear op kind on `engine` (the config's per-kind choices dropped).
hw::HwConfig on_engine(hw::HwConfig config, hw::NonlinearEngine engine);

}  // namespace npusim::run
