#include "hw/config/hw_config_io.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "common/yaml_reader.hpp"
#include "hw/config/unit_models.hpp"

namespace npusim::hw {

namespace {

std::string format_double(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  std::string text(buffer, result.ptr);
  // Keep reals recognisable as reals when read back by a person.
  if (text.find_first_of(".eE") == std::string::npos && text.find("inf") == std::string::npos) text += ".0";
  return text;
}

// The unit a field's name states, by its suffix (units are in the names: bandwidth_gbps, latency_ns).
std::string unit_of(const std::string& path) {
  static const std::pair<const char*, const char*> kSuffixes[] = {
      {"_gbps", "GB/s"}, {"_ghz", "GHz"}, {"_ns", "ns"}, {"_kib", "KiB"}, {"_bytes", "bytes"}, {"_cycles", "cycles"}, {"_ops", "ops"},
      {"_pj_per_byte", "pJ/byte"}, {"_pj", "pJ"}};
  for (const auto& [suffix, unit] : kSuffixes) {
    const std::string s(suffix);
    if (path.size() > s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0) return unit;
  }
  return "";
}

// A field declared with NPUSIM_FIELD or NPUSIM_CHOICE: its help, range and value names come from its
// FieldInfo; a number's unit from its path's suffix.
template <class T, class Ref>
ConfigField field(std::string path, const FieldInfo<T>& info, Ref ref) {
  ConfigField f;
  f.path = std::move(path);
  f.help = info.help;
  if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>) {
    f.unit = unit_of(f.path);
    f.kind = std::is_same_v<T, int> ? ConfigField::Kind::integer : ConfigField::Kind::real;
    f.min = info.min;
    f.max = info.max;
    if constexpr (std::is_same_v<T, int>) {
      f.set = [ref](HwConfig& c, const std::string& v) { ref(c) = std::stoi(v); };
      f.get = [ref](const HwConfig& c) { return std::to_string(ref(const_cast<HwConfig&>(c))); };
    } else {
      f.set = [ref](HwConfig& c, const std::string& v) { ref(c) = std::strtod(v.c_str(), nullptr); };
      f.get = [ref](const HwConfig& c) { return format_double(ref(const_cast<HwConfig&>(c))); };
    }
  } else {
    f.kind = ConfigField::Kind::choice;
    for (const auto& named : names_of(T{})) f.choices.emplace_back(named.name);
    f.set = [ref](HwConfig& c, const std::string& v) {
      for (const auto& named : names_of(T{})) {
        if (named.name == v) ref(c) = named.value;
      }
    };
    f.get = [ref](const HwConfig& c) {
      for (const auto& named : names_of(T{})) {
        if (named.value == ref(const_cast<HwConfig&>(c))) return std::string(named.name);
      }
      return std::string("?");
    };
  }
  return f;
}

// The schema entry of member `member` of section `section` (a member path of HwConfig: mau, dsp.costs).
#define NPUSIM_SCHEMA_FIELD(section, member)                                                         \
  field(#section "." #member, decltype(std::declval<HwConfig&>().section)::member##_field, \
        [](HwConfig& c) -> auto& { return c.section.member; })

template <class Enum>
ConfigField choice_field(std::string path, std::string help, std::vector<std::pair<std::string, Enum>> options,
                         std::function<Enum&(HwConfig&)> ref) {
  ConfigField f;
  f.path = std::move(path);
  f.help = std::move(help);
  f.kind = ConfigField::Kind::choice;
  for (const auto& o : options) f.choices.push_back(o.first);
  f.set = [ref, options](HwConfig& c, const std::string& v) {
    for (const auto& o : options) {
      if (o.first == v) ref(c) = o.second;
    }
  };
  f.get = [ref, options](const HwConfig& c) {
    for (const auto& o : options) {
      if (o.second == ref(const_cast<HwConfig&>(c))) return o.first;
    }
    return std::string("?");
  };
  return f;
}

// <slot>.model: the name of a registered unit model (hw/config/unit_models.hpp).
ConfigField model_field(const std::string& slot, std::string help, std::function<std::string&(HwConfig&)> ref) {
  ConfigField f;
  f.path = slot + ".model";
  f.help = std::move(help);
  f.kind = ConfigField::Kind::choice;
  f.model_slot = slot;
  f.choices = unit_model_names(slot);
  f.set = [ref](HwConfig& c, const std::string& v) { ref(c) = v; };
  f.get = [ref](const HwConfig& c) { return ref(const_cast<HwConfig&>(c)); };
  return f;
}

// nonlinear.<kind>: an engine, or "default" to follow nonlinear.default_engine.
ConfigField per_kind_field(NonlinearKind kind) {
  ConfigField f;
  f.path = "nonlinear." + std::string(nonlinear_kind_name(kind));
  f.help = "engine for " + std::string(nonlinear_kind_name(kind)) + " (default: nonlinear.default_engine)";
  f.kind = ConfigField::Kind::choice;
  f.optional = true;
  f.choices = {"default"};
  for (const auto& engine : all_engine_names()) f.choices.push_back(engine);
  f.set = [kind](HwConfig& c, const std::string& v) {
    if (v == "default") {
      c.nonlinear.per_kind.erase(kind);
    } else {
      c.nonlinear.per_kind[kind] = parse_engine(v);
    }
  };
  f.get = [kind](const HwConfig& c) {
    const auto it = c.nonlinear.per_kind.find(kind);
    return it == c.nonlinear.per_kind.end() ? std::string("default") : std::string(engine_name(it->second));
  };
  return f;
}

std::vector<ConfigField> make_fields() {
  std::vector<ConfigField> f;
  {
    ConfigField name;
    name.path = "name";
    name.help = HwConfig::name_field.help;
    name.kind = ConfigField::Kind::text;
    name.set = [](HwConfig& c, const std::string& v) { c.name = v; };
    name.get = [](const HwConfig& c) { return c.name; };
    f.push_back(name);
  }
  f.push_back(field("clock_ghz", HwConfig::clock_ghz_field, [](HwConfig& c) -> auto& { return c.clock_ghz; }));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, rows));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, cols));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, dataflow));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, int16_operand_passes));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, stationary_preload));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, im2col));
  f.push_back(NPUSIM_SCHEMA_FIELD(mau, vector_lanes));
  f.push_back(NPUSIM_SCHEMA_FIELD(lut_unit, lanes));
  f.push_back(NPUSIM_SCHEMA_FIELD(lut_unit, cycles_per_lookup));
  f.push_back(NPUSIM_SCHEMA_FIELD(lut_unit, table_slots));
  f.push_back(model_field("lut_unit", "cpp (the C++ reference), rtl (the Verilated RTL), or a plugin's model",
                          [](HwConfig& c) -> std::string& { return c.lut_unit.model; }));
  {
    // A set of functions: "none", one name, or both in this order (a YAML sequence is joined to that).
    ConfigField reduced;
    reduced.path = "lut_unit.range_reduced";
    reduced.help = LutUnitConfig::range_reduced_help;
    reduced.kind = ConfigField::Kind::choice;
    reduced.list = true;
    reduced.choices = {"none", "reciprocal", "rsqrt", "reciprocal,rsqrt"};
    reduced.set = [](HwConfig& c, const std::string& v) {
      c.lut_unit.range_reduced.clear();
      std::stringstream split(v);
      for (std::string name; std::getline(split, name, ',');) {
        if (name != "none") c.lut_unit.range_reduced.push_back(name);
      }
    };
    reduced.get = [](const HwConfig& c) {
      std::string text;
      for (const char* name : {"reciprocal", "rsqrt"}) {
        if (c.lut_unit.range_reduces(name)) text += (text.empty() ? "" : ",") + std::string(name);
      }
      return text.empty() ? std::string("none") : text;
    };
    f.push_back(reduced);
  }
  f.push_back(NPUSIM_SCHEMA_FIELD(nnlut_unit, lanes));
  f.push_back(NPUSIM_SCHEMA_FIELD(nnlut_unit, cycles_per_lookup));
  f.push_back(NPUSIM_SCHEMA_FIELD(nnlut_unit, search));
  f.push_back(NPUSIM_SCHEMA_FIELD(nnlut_unit, segments));
  f.push_back(NPUSIM_SCHEMA_FIELD(nnlut_unit, table_slots));
  f.push_back(NPUSIM_SCHEMA_FIELD(linear, engine));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, lanes));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, cycles_per_lookup));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, table_sram_kib));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, centroids));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, subvector_fc));
  f.push_back(NPUSIM_SCHEMA_FIELD(lutnn_unit, subvector_conv1x1));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp, lanes));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, gelu_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, silu_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, softmax_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, layernorm_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, rmsnorm_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, int_to_float_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp.costs, float_to_int_cycles));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp, local_memory_kib));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp, transfer_path));
  f.push_back(NPUSIM_SCHEMA_FIELD(dsp, onchip_bandwidth_gbps));
  f.push_back(NPUSIM_SCHEMA_FIELD(ibert, gelu_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ibert, silu_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ibert, softmax_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ibert, layernorm_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ibert, rmsnorm_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ivit, gelu_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ivit, silu_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ivit, softmax_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ivit, layernorm_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(ivit, rmsnorm_ops));
  f.push_back(NPUSIM_SCHEMA_FIELD(dram, bandwidth_gbps));
  f.push_back(NPUSIM_SCHEMA_FIELD(dram, latency_ns));
  f.push_back(model_field("dram", "transaction: a DMA transaction's bursts as one computed schedule; burst: placed burst by burst (validation); or a plugin's model",
                          [](HwConfig& c) -> std::string& { return c.dram.model; }));
  f.push_back(NPUSIM_SCHEMA_FIELD(dma, channels));
  f.push_back(NPUSIM_SCHEMA_FIELD(dma, setup_ns));
  f.push_back(NPUSIM_SCHEMA_FIELD(dma, burst_bytes));
  f.push_back(NPUSIM_SCHEMA_FIELD(sram, weight_kib));
  f.push_back(NPUSIM_SCHEMA_FIELD(sram, activation_kib));
  f.push_back(NPUSIM_SCHEMA_FIELD(sram, accumulator_kib));
  f.push_back(NPUSIM_SCHEMA_FIELD(sram, double_buffered));
  f.push_back(NPUSIM_SCHEMA_FIELD(sram, scale_with_array));
  f.push_back(NPUSIM_SCHEMA_FIELD(nonlinear, default_engine));
  for (const NonlinearKind kind : all_nonlinear_kinds()) f.push_back(per_kind_field(kind));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, mac_int8_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, vector_lane_op_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, weight_sram_pj_per_byte));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, activation_sram_pj_per_byte));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, accumulator_sram_pj_per_byte));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, dram_pj_per_byte));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, lut_lookup_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, nnlut_lookup_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, lutnn_lookup_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, dsp_lane_cycle_pj));
  f.push_back(NPUSIM_SCHEMA_FIELD(energy, dsp_local_memory_pj_per_byte));
  return f;
}

bool parse_integer(const std::string& text, long long& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool parse_real(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

std::string bound_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));  // 100000, not 1e+05
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

// "in 0.01..100000 GB/s": the documented range of a numeric field.
std::string range_text(const ConfigField& field) {
  return "in " + bound_text(field.min) + ".." + bound_text(field.max) + (field.unit.empty() ? "" : " " + field.unit);
}

// Checks `value` against the field; returns "" when valid, else the message.
std::string check_value(const ConfigField& field, const std::string& value) {
  switch (field.kind) {
    case ConfigField::Kind::integer: {
      long long v = 0;
      if (!parse_integer(value, v)) return field.path + " must be a whole number, got '" + value + "'";
      if (v < field.min || v > field.max) return field.path + " must be " + range_text(field) + ", got " + value;
      return "";
    }
    case ConfigField::Kind::real: {
      double v = 0;
      if (!parse_real(value, v) || std::isnan(v)) return field.path + " must be a number, got '" + value + "'";
      const bool low = field.min_exclusive ? !(v > field.min) : v < field.min;
      if (low || v > field.max || !std::isfinite(v)) return field.path + " must be " + range_text(field) + ", got " + value;
      return "";
    }
    case ConfigField::Kind::choice: {
      // A model name may come from a plugin loaded after the schema was made.
      const std::vector<std::string> choices = field.model_slot.empty() ? field.choices : unit_model_names(field.model_slot);
      for (const auto& c : choices) {
        if (c == value) return "";
      }
      return field.path + " must be one of " + join_names(choices) + ", got '" + value + "'" + did_you_mean(value, choices) +
             (field.model_slot.empty() ? "" : " (a plugin's model needs --plugin FILE)");
    }
    case ConfigField::Kind::text:
      return value.empty() ? field.path + " must not be empty" : "";
  }
  return "";
}

std::vector<std::string> all_paths() {
  std::vector<std::string> paths;
  for (const auto& f : config_fields()) paths.push_back(f.path);
  return paths;
}

bool is_section(const std::string& path) {
  for (const auto& f : config_fields()) {
    if (f.path.rfind(path + ".", 0) == 0) return true;
  }
  return false;
}

// A set field's YAML sequence as its value text: the members in the order the field's choices name them
// ("reciprocal,rsqrt"), "none" for an empty sequence.
std::string list_value(const ConfigField& field, const YAML::Node& sequence, const std::string& source) {
  std::vector<std::string> members;
  for (const auto& element : sequence) {
    const YAML::Mark mark = element.Mark();
    const bool known = element.IsScalar() && element.Scalar() != "none" && element.Scalar().find(',') == std::string::npos &&
                       std::find(field.choices.begin(), field.choices.end(), element.Scalar()) != field.choices.end();
    if (!known) {
      std::vector<std::string> names;
      for (const auto& c : field.choices) {
        if (c != "none" && c.find(',') == std::string::npos) names.push_back(c);
      }
      throw error_at(source, mark.line + 1, mark.column + 1,
                     field.path + " lists names from " + join_names(names) + (element.IsScalar() ? ", got '" + element.Scalar() + "'" : ""));
    }
    if (std::find(members.begin(), members.end(), element.Scalar()) != members.end()) {
      throw error_at(source, mark.line + 1, mark.column + 1, field.path + " lists " + element.Scalar() + " twice");
    }
    members.push_back(element.Scalar());
  }
  std::string text;
  for (const auto& c : field.choices) {
    if (std::find(members.begin(), members.end(), c) != members.end()) text += (text.empty() ? "" : ",") + c;
  }
  return text.empty() ? "none" : text;
}

// Where each field was set, so a field given twice (nested and dotted: `dram: {bandwidth_gbps: 3}` and
// `dram.bandwidth_gbps: 5`) is refused and the fields not given can be named.
using GivenFields = std::map<std::string, YAML::Mark>;

void walk(const YAML::Node& node, const std::string& prefix, HwConfig& config, const std::string& source, GivenFields& given) {
  for (const auto& item : node) {
    const YAML::Node& key = item.first;
    const YAML::Node& value = item.second;
    const YAML::Mark key_mark = key.Mark();
    if (!key.IsScalar()) throw error_at(source, key_mark.line + 1, key_mark.column + 1, "keys must be plain names");
    const std::string path = prefix.empty() ? key.Scalar() : prefix + "." + key.Scalar();
    const ConfigField* field = find_config_field(path);
    if (field != nullptr) {
      const YAML::Mark mark = value.Mark();
      std::string text;
      if (field->list && value.IsSequence()) {
        text = list_value(*field, value, source);
      } else if (!value.IsScalar()) {
        throw error_at(source, mark.line + 1, mark.column + 1, path + " takes a single value, not a list or a map");
      } else {
        text = value.Scalar();
      }
      const std::string message = check_value(*field, text);
      if (!message.empty()) throw error_at(source, mark.line + 1, mark.column + 1, message);
      const auto [earlier, first] = given.emplace(path, key_mark);
      if (!first) {
        throw error_at(source, key_mark.line + 1, key_mark.column + 1,
                       path + " is given twice (first at line " + std::to_string(earlier->second.line + 1) + ", column " +
                           std::to_string(earlier->second.column + 1) + ")");
      }
      field->set(config, text);
    } else if (is_section(path)) {
      if (!value.IsMap()) {
        const YAML::Mark mark = value.Mark();
        throw error_at(source, mark.line + 1, mark.column + 1, path + " is a section: it takes a map of keys");
      }
      walk(value, path, config, source, given);
    } else {
      throw error_at(source, key_mark.line + 1, key_mark.column + 1,
                     "unknown key '" + path + "'" + did_you_mean(path, all_paths()));
    }
  }
}

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = make_fields();
  return fields;
}

const ConfigField* find_config_field(const std::string& path) {
  for (const auto& f : config_fields()) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

void set_config_value(HwConfig& config, const std::string& path, const std::string& value, const std::string& where) {
  const ConfigField* field = find_config_field(path);
  if (field == nullptr) throw Error(where + ": unknown config key '" + path + "'" + did_you_mean(path, all_paths()));
  const std::string message = check_value(*field, value);
  if (!message.empty()) throw Error(where + ": " + message);
  field->set(config, value);
}

void apply_overrides(HwConfig& config, const std::vector<std::string>& assignments) {
  for (const auto& assignment : assignments) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error("--set " + assignment + ": expected key.path=value");
    }
    set_config_value(config, assignment.substr(0, eq), assignment.substr(eq + 1), "--set " + assignment);
  }
}

HwConfig parse_hw_config(const std::string& yaml_text, const std::string& source_name, std::vector<std::string>* not_given) {
  const workloads::YamlFile file(yaml_text, source_name);
  const YAML::Node& root = file.root();
  // An empty file would otherwise run as the paper NPU under the name of the file.
  if (file.empty()) {
    throw error_at(source_name, 1, 1,
                   "the config holds no settings (empty, or only comments); leave out --config for the built-in paper NPU");
  }
  if (!root.IsMap()) {
    throw error_at(source_name, root.Mark().line + 1, root.Mark().column + 1, "a hardware config is a map of keys");
  }
  HwConfig config;
  GivenFields given;
  walk(root, "", config, source_name, given);
  if (not_given != nullptr) {
    not_given->clear();
    for (const auto& f : config_fields()) {
      if (given.count(f.path) == 0 && !f.optional) not_given->push_back(f.path);
    }
  }
  return config;
}

HwConfig load_hw_config(const std::string& path, std::vector<std::string>* not_given) {
  // A sweep reads the same base config for every point, and parsing YAML costs more than a small
  // point's simulation: the last file's text is parsed once, and again only when it changes.
  struct Parsed {
    std::string path, text;
    HwConfig config;
    std::vector<std::string> not_given;
  };
  static std::optional<Parsed> last;
  std::string text = read_file(path, read_limits::hw_config);
  if (!last || last->path != path || last->text != text) {
    Parsed parsed{path, std::move(text), {}, {}};
    parsed.config = parse_hw_config(parsed.text, path, &parsed.not_given);
    last = std::move(parsed);
  }
  if (not_given != nullptr) *not_given = last->not_given;
  return last->config;
}

std::string defaults_note(const std::string& source_name, const std::vector<std::string>& not_given) {
  if (not_given.empty()) return "";
  // Name a whole section ("dma", "dsp.costs") once when none of its fields is given.
  std::map<std::string, size_t> fields_under, missing_under;
  const auto count_prefixes = [](const std::string& path, std::map<std::string, size_t>& counts) {
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1)) ++counts[path.substr(0, dot)];
  };
  for (const auto& f : config_fields()) {
    if (!f.optional) count_prefixes(f.path, fields_under);
  }
  for (const auto& path : not_given) count_prefixes(path, missing_under);
  std::vector<std::string> parts;
  for (const auto& path : not_given) {
    std::string name = path;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1)) {
      const std::string section = path.substr(0, dot);
      if (missing_under[section] == fields_under[section]) {
        name = section;
        break;
      }
    }
    if (parts.empty() || parts.back() != name) parts.push_back(name);
  }
  return source_name + ": not in the file, so the paper NPU's values are used: " + join_names(parts);
}

std::string dump_hw_config(const HwConfig& config) {
  std::string out = "# npusim effective hardware configuration (every field; units in the names)\n";
  std::string open_section;
  for (const auto& field : config_fields()) {
    const size_t dot = field.path.rfind('.');
    const std::string section = dot == std::string::npos ? "" : field.path.substr(0, dot);
    const std::string key = dot == std::string::npos ? field.path : field.path.substr(dot + 1);
    if (section != open_section) {
      // Open the sections this path adds below the common prefix with the previous one.
      std::vector<std::string> parts;
      std::stringstream split(section);
      for (std::string part; std::getline(split, part, '.');) parts.push_back(part);
      std::vector<std::string> open_parts;
      std::stringstream open_split(open_section);
      for (std::string part; std::getline(open_split, part, '.');) open_parts.push_back(part);
      size_t common = 0;
      while (common < parts.size() && common < open_parts.size() && parts[common] == open_parts[common]) ++common;
      for (size_t i = common; i < parts.size(); ++i) out += std::string(2 * i, ' ') + parts[i] + ":\n";
      open_section = section;
    }
    const size_t depth = section.empty() ? 0 : static_cast<size_t>(std::count(section.begin(), section.end(), '.') + 1);
    YAML::Emitter value;
    value << field.get(config);
    const bool numeric = field.kind == ConfigField::Kind::integer || field.kind == ConfigField::Kind::real;
    out += std::string(2 * depth, ' ') + key + ": " + value.c_str() + "  # " + field.help + (numeric ? ", " + range_text(field) : "") + "\n";
  }
  return out;
}

}  // namespace npusim::hw
