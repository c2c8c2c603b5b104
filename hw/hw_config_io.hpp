// Reading, overriding and writing hardware configs. One schema lists every field (its path such as
// `dram.bandwidth_gbps`, its type and allowed values), so the YAML reader, `--set key.path=value`,
// sweep axes and the effective-config dump all accept exactly the same keys.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hw/hw_config.hpp"

namespace npusim::hw {

struct ConfigField {
  enum class Kind { integer, real, choice, text };
  std::string path;
  std::string help;
  Kind kind = Kind::real;
  double min = 0.0;              // integer and real: inclusive bounds...
  double max = 0.0;
  bool min_exclusive = false;    // ...except a lower bound that may only be approached (bandwidth > 0)
  std::vector<std::string> choices;
  std::function<void(HwConfig&, const std::string&)> set;  // value already validated
  std::function<std::string(const HwConfig&)> get;
};

const std::vector<ConfigField>& config_fields();
const ConfigField* find_config_field(const std::string& path);

// Sets one field from text; throws npusim::Error "<where>: <message>" for an unknown path (with a
// did-you-mean) or a value of the wrong type or out of range.
void set_config_value(HwConfig& config, const std::string& path, const std::string& value, const std::string& where);

// Applies "key.path=value" overrides in order.
void apply_overrides(HwConfig& config, const std::vector<std::string>& assignments);

// Parses YAML text over the defaults; every error is "source:line:column: message".
HwConfig parse_hw_config(const std::string& yaml_text, const std::string& source_name);
HwConfig load_hw_config(const std::string& path);

// The complete effective config as YAML (every field), which parse_hw_config reads back to the same config.
std::string dump_hw_config(const HwConfig& config);

}  // namespace npusim::hw
