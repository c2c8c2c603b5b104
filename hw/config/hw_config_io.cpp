#include "hw/config/hw_config_io.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "common/yaml_reader.hpp"

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

ConfigField integer_field(std::string path, std::string help, int min, int max, std::function<int&(HwConfig&)> ref) {
  ConfigField f;
  f.unit = unit_of(path);
  f.path = std::move(path);
  f.help = std::move(help);
  f.kind = ConfigField::Kind::integer;
  f.min = min;
  f.max = max;
  f.set = [ref](HwConfig& c, const std::string& v) { ref(c) = std::stoi(v); };
  f.get = [ref](const HwConfig& c) { return std::to_string(ref(const_cast<HwConfig&>(c))); };
  return f;
}

ConfigField real_field(std::string path, std::string help, double min, bool min_exclusive, double max,
                       std::function<double&(HwConfig&)> ref) {
  ConfigField f;
  f.unit = unit_of(path);
  f.path = std::move(path);
  f.help = std::move(help);
  f.kind = ConfigField::Kind::real;
  f.min = min;
  f.min_exclusive = min_exclusive;
  f.max = max;
  f.set = [ref](HwConfig& c, const std::string& v) { ref(c) = std::strtod(v.c_str(), nullptr); };
  f.get = [ref](const HwConfig& c) { return format_double(ref(const_cast<HwConfig&>(c))); };
  return f;
}

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

std::vector<std::pair<std::string, NonlinearEngine>> engine_options() {
  return {{"dsp", NonlinearEngine::dsp}, {"lut", NonlinearEngine::lut}, {"nnlut", NonlinearEngine::nnlut},
          {"ibert", NonlinearEngine::ibert}, {"ivit", NonlinearEngine::ivit}};
}

// nonlinear.<kind>: an engine, or "default" to follow nonlinear.default_engine.
ConfigField per_kind_field(NonlinearKind kind) {
  ConfigField f;
  f.path = "nonlinear." + std::string(nonlinear_kind_name(kind));
  f.help = "engine for " + std::string(nonlinear_kind_name(kind)) + " (default: nonlinear.default_engine)";
  f.kind = ConfigField::Kind::choice;
  f.optional = true;
  f.choices = {"default", "dsp", "lut", "nnlut", "ibert", "ivit"};
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
    name.help = "design point name";
    name.kind = ConfigField::Kind::text;
    name.set = [](HwConfig& c, const std::string& v) { c.name = v; };
    name.get = [](const HwConfig& c) { return c.name; };
    f.push_back(name);
  }
  f.push_back(real_field("clock_ghz", "clock of the MAU, LUT units and DSP", 0.01, false, 10.0,
                         [](HwConfig& c) -> double& { return c.clock_ghz; }));
  f.push_back(integer_field("mau.rows", "systolic array rows", 1, 4096, [](HwConfig& c) -> int& { return c.mau.rows; }));
  f.push_back(integer_field("mau.cols", "systolic array columns", 1, 4096, [](HwConfig& c) -> int& { return c.mau.cols; }));
  f.push_back(choice_field<Dataflow>("mau.dataflow", "systolic dataflow",
                                     {{"weight_stationary", Dataflow::weight_stationary},
                                      {"output_stationary", Dataflow::output_stationary},
                                      {"input_stationary", Dataflow::input_stationary}},
                                     [](HwConfig& c) -> Dataflow& { return c.mau.dataflow; }));
  f.push_back(integer_field("mau.int16_operand_passes", "array passes per INT16 operand (INT8 slices)", 1, 16,
                            [](HwConfig& c) -> int& { return c.mau.int16_operand_passes; }));
  f.push_back(choice_field<PreloadMode>("mau.stationary_preload",
                                        "stationary-operand preload: serial per fold, or overlapped (PE shadow registers)",
                                        {{"serial", PreloadMode::serial}, {"overlapped", PreloadMode::overlapped}},
                                        [](HwConfig& c) -> PreloadMode& { return c.mau.stationary_preload; }));
  f.push_back(choice_field<Im2colMode>("mau.im2col", "convolution window expansion: vector_path (serial) or address_generator (free)",
                                       {{"vector_path", Im2colMode::vector_path},
                                        {"address_generator", Im2colMode::address_generator}},
                                       [](HwConfig& c) -> Im2colMode& { return c.mau.im2col; }));
  f.push_back(integer_field("mau.vector_lanes", "vector-path elements per cycle", 1, 65536,
                            [](HwConfig& c) -> int& { return c.mau.vector_lanes; }));
  f.push_back(integer_field("lut_unit.lanes", "parallel lookups per cycle", 1, 4096,
                            [](HwConfig& c) -> int& { return c.lut_unit.lanes; }));
  f.push_back(integer_field("lut_unit.cycles_per_lookup", "pipeline depth of one lookup", 1, 64,
                            [](HwConfig& c) -> int& { return c.lut_unit.cycles_per_lookup; }));
  f.push_back(integer_field("lut_unit.table_slots", "resident per-layer tables", 1, 4096,
                            [](HwConfig& c) -> int& { return c.lut_unit.table_slots; }));
  {
    ConfigField model;
    model.path = "lut_unit.model";
    model.help = "cpp (the C++ reference) or rtl (Verilated RTL)";
    model.kind = ConfigField::Kind::choice;
    model.choices = {"cpp", "rtl"};
    model.set = [](HwConfig& c, const std::string& v) { c.lut_unit.model = v; };
    model.get = [](const HwConfig& c) { return c.lut_unit.model; };
    f.push_back(model);
  }
  {
    // A set of functions: "none", one name, or both in this order (a YAML sequence is joined to that).
    ConfigField reduced;
    reduced.path = "lut_unit.range_reduced";
    reduced.help = "functions on the model-wide bespoke-rr table (one more pipeline cycle): none, reciprocal, rsqrt, or both";
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
  f.push_back(integer_field("nnlut_unit.lanes", "parallel lookups per cycle", 1, 4096,
                            [](HwConfig& c) -> int& { return c.nnlut_unit.lanes; }));
  f.push_back(integer_field("nnlut_unit.cycles_per_lookup", "pipeline depth: comparators then multiply-add", 1, 64,
                            [](HwConfig& c) -> int& { return c.nnlut_unit.cycles_per_lookup; }));
  f.push_back(choice_field<ComparatorSearch>("nnlut_unit.search", "breakpoint search",
                                             {{"parallel", ComparatorSearch::parallel},
                                              {"sequential", ComparatorSearch::sequential}},
                                             [](HwConfig& c) -> ComparatorSearch& { return c.nnlut_unit.search; }));
  f.push_back(integer_field("nnlut_unit.segments", "segments per table", 2, 4096,
                            [](HwConfig& c) -> int& { return c.nnlut_unit.segments; }));
  f.push_back(integer_field("nnlut_unit.table_slots", "resident tables", 1, 4096,
                            [](HwConfig& c) -> int& { return c.nnlut_unit.table_slots; }));
  f.push_back(choice_field<LinearEngine>("linear.engine", "linear layers (matmul, conv): mau (dense) or lutnn (LUT-NN table lookups)",
                                          {{"mau", LinearEngine::mau}, {"lutnn", LinearEngine::lutnn}},
                                          [](HwConfig& c) -> LinearEngine& { return c.linear.engine; }));
  f.push_back(integer_field("lutnn_unit.lanes", "LUT-NN table entries read and accumulated per cycle", 1, 4096,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.lanes; }));
  f.push_back(integer_field("lutnn_unit.cycles_per_lookup", "pipeline depth of one LUT-NN lookup (read, add)", 1, 64,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.cycles_per_lookup; }));
  f.push_back(integer_field("lutnn_unit.table_sram_kib", "LUT-NN table buffer (halves when double-buffered)", 1, 1 << 22,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.table_sram_kib; }));
  f.push_back(integer_field("lutnn_unit.centroids", "centroids per codebook, K", 2, 256,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.centroids; }));
  f.push_back(integer_field("lutnn_unit.subvector_fc", "sub-vector length v of matmuls", 1, 4096,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.subvector_fc; }));
  f.push_back(integer_field("lutnn_unit.subvector_conv1x1", "sub-vector length v of 1x1 convolutions (k x k: v = k k)", 1, 4096,
                            [](HwConfig& c) -> int& { return c.lutnn_unit.subvector_conv1x1; }));
  f.push_back(integer_field("dsp.lanes", "DSP vector lanes", 1, 4096, [](HwConfig& c) -> int& { return c.dsp.lanes; }));
  const struct {
    const char* key;
    double DspCostConfig::*member;
  } costs[] = {{"gelu_cycles", &DspCostConfig::gelu_cycles},
               {"silu_cycles", &DspCostConfig::silu_cycles},
               {"softmax_cycles", &DspCostConfig::softmax_cycles},
               {"layernorm_cycles", &DspCostConfig::layernorm_cycles},
               {"rmsnorm_cycles", &DspCostConfig::rmsnorm_cycles},
               {"int_to_float_cycles", &DspCostConfig::int_to_float_cycles},
               {"float_to_int_cycles", &DspCostConfig::float_to_int_cycles}};
  for (const auto& cost : costs) {
    const auto member = cost.member;
    f.push_back(real_field(std::string("dsp.costs.") + cost.key, "cycles per element on one lane", 0.0, false, 1e4,
                           [member](HwConfig& c) -> double& { return c.dsp.costs.*member; }));
  }
  f.push_back(integer_field("dsp.local_memory_kib", "DSP local memory", 1, 1 << 20,
                            [](HwConfig& c) -> int& { return c.dsp.local_memory_kib; }));
  f.push_back(choice_field<TransferPath>("dsp.transfer_path", "how data moves between MAU and DSP",
                                         {{"dram", TransferPath::dram}, {"onchip", TransferPath::onchip}},
                                         [](HwConfig& c) -> TransferPath& { return c.dsp.transfer_path; }));
  f.push_back(real_field("dsp.onchip_bandwidth_gbps", "MAU<->DSP link bandwidth when onchip", 0.01, false, 1e5,
                         [](HwConfig& c) -> double& { return c.dsp.onchip_bandwidth_gbps; }));
  const struct {
    const char* key;
    double IntegerKernelConfig::*member;
  } integer_ops[] = {{"gelu_ops", &IntegerKernelConfig::gelu_ops},
                     {"silu_ops", &IntegerKernelConfig::silu_ops},
                     {"softmax_ops", &IntegerKernelConfig::softmax_ops},
                     {"layernorm_ops", &IntegerKernelConfig::layernorm_ops},
                     {"rmsnorm_ops", &IntegerKernelConfig::rmsnorm_ops}};
  for (const auto kernel : {&HwConfig::ibert, &HwConfig::ivit}) {
    const std::string prefix = kernel == &HwConfig::ibert ? "ibert." : "ivit.";
    for (const auto& op : integer_ops) {
      const auto member = op.member;
      f.push_back(real_field(prefix + op.key, "integer operations per element on the MAU vector path", 0.0, false, 1e4,
                             [kernel, member](HwConfig& c) -> double& { return (c.*kernel).*member; }));
    }
  }
  f.push_back(real_field("dram.bandwidth_gbps", "external DRAM bandwidth", 0.01, false, 1e5,
                         [](HwConfig& c) -> double& { return c.dram.bandwidth_gbps; }));
  f.push_back(real_field("dram.latency_ns", "first-byte latency of a transfer", 0.0, false, 1e6,
                         [](HwConfig& c) -> double& { return c.dram.latency_ns; }));
  f.push_back(choice_field<DramModel>("dram.model",
                                      "transaction: one TLM transaction per transfer, burst schedule computed; burst: one per burst",
                                      {{"transaction", DramModel::transaction}, {"burst", DramModel::burst}},
                                      [](HwConfig& c) -> DramModel& { return c.dram.model; }));
  f.push_back(integer_field("dma.channels", "independent DMA channels", 1, 64, [](HwConfig& c) -> int& { return c.dma.channels; }));
  f.push_back(real_field("dma.setup_ns", "per-transfer descriptor setup", 0.0, false, 1e6,
                         [](HwConfig& c) -> double& { return c.dma.setup_ns; }));
  f.push_back(integer_field("dma.burst_bytes", "burst size; concurrent transfers interleave by burst", 64, 1 << 26,
                            [](HwConfig& c) -> int& { return c.dma.burst_bytes; }));
  f.push_back(integer_field("sram.weight_kib", "weight buffer", 1, 1 << 22,
                            [](HwConfig& c) -> int& { return c.sram.weight_kib; }));
  f.push_back(integer_field("sram.activation_kib", "activation buffer", 1, 1 << 22,
                            [](HwConfig& c) -> int& { return c.sram.activation_kib; }));
  f.push_back(integer_field("sram.accumulator_kib", "INT32 partial-sum buffer of the array", 1, 1 << 22,
                            [](HwConfig& c) -> int& { return c.sram.accumulator_kib; }));
  f.push_back(choice_field<bool>("sram.double_buffered",
                                 "yes: DMA fills one half of a buffer while the array uses the other; no: they take turns",
                                 {{"yes", true}, {"no", false}}, [](HwConfig& c) -> bool& { return c.sram.double_buffered; }));
  f.push_back(choice_field<NonlinearEngine>("nonlinear.default_engine", "engine for non-linear ops", engine_options(),
                                            [](HwConfig& c) -> NonlinearEngine& { return c.nonlinear.default_engine; }));
  for (const NonlinearKind kind : all_nonlinear_kinds()) f.push_back(per_kind_field(kind));
  const struct {
    const char* key;
    const char* help;
    double EnergyConfig::*member;
  } energies[] = {
      {"mac_int8_pj", "energy of one INT8 multiply-accumulate", &EnergyConfig::mac_int8_pj},
      {"vector_lane_op_pj", "energy of one vector-path lane operation", &EnergyConfig::vector_lane_op_pj},
      {"weight_sram_pj_per_byte", "weight buffer energy per byte read or written", &EnergyConfig::weight_sram_pj_per_byte},
      {"activation_sram_pj_per_byte", "activation buffer energy per byte read or written", &EnergyConfig::activation_sram_pj_per_byte},
      {"accumulator_sram_pj_per_byte", "accumulator energy per byte read or written", &EnergyConfig::accumulator_sram_pj_per_byte},
      {"dram_pj_per_byte", "DRAM energy per byte read or written", &EnergyConfig::dram_pj_per_byte},
      {"lut_lookup_pj", "energy of one Bespoke LUT lookup", &EnergyConfig::lut_lookup_pj},
      {"nnlut_lookup_pj", "energy of one NN-LUT lookup (comparators, entry read, multiply-add)", &EnergyConfig::nnlut_lookup_pj},
      {"lutnn_lookup_pj", "energy of one LUT-NN table read and add", &EnergyConfig::lutnn_lookup_pj},
      {"dsp_lane_cycle_pj", "energy of one DSP lane busy for one cycle", &EnergyConfig::dsp_lane_cycle_pj},
      {"dsp_local_memory_pj_per_byte", "DSP local memory energy per byte read or written", &EnergyConfig::dsp_local_memory_pj_per_byte}};
  for (const auto& energy : energies) {
    const auto member = energy.member;
    f.push_back(real_field(std::string("energy.") + energy.key, energy.help, 0.0, false, 1e6,
                           [member](HwConfig& c) -> double& { return c.energy.*member; }));
  }
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
    case ConfigField::Kind::choice:
      for (const auto& c : field.choices) {
        if (c == value) return "";
      }
      return field.path + " must be one of " + join_names(field.choices) + ", got '" + value + "'" +
             did_you_mean(value, field.choices);
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
