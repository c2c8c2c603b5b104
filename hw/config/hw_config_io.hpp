// Reading, overriding and writing hardware configs. One schema lists every field (its path such as
// `dram.bandwidth_gbps`, its type and allowed values), so the YAML reader, `--set key.path=value`,
// sweep axes and the effective-config dump all accept exactly the same keys.
//
// Every number has a documented physical range [min, max] in its unit (the unit follows from the path's
// suffix: _gbps GB/s, _ghz GHz, _ns ns, _kib KiB, _bytes bytes, _cycles cycles, _ops ops): a value
// outside it (1e-300 GB/s, a 1e-12 GHz clock) is refused with the range named, since the timing model
// divides by rates and multiplies by costs. The range is printed beside each field of the effective
// config. A rate (GB/s, GHz) has a lower bound above zero.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"

namespace npusim::hw {

struct ConfigField {
  enum class Kind { integer, real, choice, text };
  std::string path;
  std::string help;
  Kind kind = Kind::real;
  double min = 0.0;              // integer and real: the documented physical range, inclusive...
  double max = 0.0;
  bool min_exclusive = false;    // ...(kept false: an open bound at 0 admits 1e-300)
  std::string unit;              // from the path's suffix ("GB/s"), or "" for counts and fractions
  bool optional = false;         // an override that is absent unless given (nonlinear.<kind>)
  bool list = false;             // a choice of a set: in YAML also a sequence, whose elements are joined by commas
  std::vector<std::string> choices;
  std::string model_slot;        // a unit model name: the choices are the models registered for this slot
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

// Parses YAML text over the defaults; every error is "source:line:column: message". An empty (or
// comment-only) file, a key given twice and a field given both nested and dotted are errors. With
// `not_given`, receives the paths of the fields the file leaves at the paper NPU's defaults.
HwConfig parse_hw_config(const std::string& yaml_text, const std::string& source_name,
                         std::vector<std::string>* not_given = nullptr);
HwConfig load_hw_config(const std::string& path, std::vector<std::string>* not_given = nullptr);

// One line saying which fields a config file left at the defaults, whole sections named once
// ("c.yaml: not in the file, so the paper NPU's values are used: dma, sram, dram.latency_ns"); "" when
// the file gives every field. A config cut off at a section boundary shows up here.
std::string defaults_note(const std::string& source_name, const std::vector<std::string>& not_given);

// The complete effective config as YAML (every field), which parse_hw_config reads back to the same config.
std::string dump_hw_config(const HwConfig& config);

}  // namespace npusim::hw
