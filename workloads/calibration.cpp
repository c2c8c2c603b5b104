#include "workloads/calibration.hpp"

#include <cmath>
#include <map>
#include <unordered_map>

#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "common/yaml_reader.hpp"

namespace npusim::workloads {

int merge_calibration(Trace& trace, const std::string& yaml_text, const std::string& source_name) {
  const YamlFile file(yaml_text, source_name);
  const YAML::Node& root = file.root();
  file.expect_map(root, "a calibration file");
  file.reject_unknown(root, {"format", "version", "model", "instances"});
  const YAML::Node format = file.require(root, "format");
  if (file.string(format, "format") != "npusim-calibration") file.fail(format, "not a calibration file (format must be npusim-calibration)");
  const YAML::Node version = file.require(root, "version");
  if (file.integer(version, "version", 0, 1000000) != 1) file.fail(version, "calibration version is not supported (this npusim reads version 1)");
  const YAML::Node instances = file.require(root, "instances");
  file.expect_sequence(instances, "instances");
  // Layer paths and ids of the non-linear ops (the last op wins where several share a layer path).
  std::unordered_map<std::string, TraceOp*> by_name;
  std::vector<std::string> candidates;
  for (TraceOp& candidate : trace.ops) {
    if (lut_functions(candidate.type).empty()) continue;
    candidates.push_back(candidate.layer);
    by_name[candidate.layer] = &candidate;
    by_name[candidate.id] = &candidate;
  }
  std::map<std::pair<const TraceOp*, std::string>, YAML::Node> calibrated;
  int merged = 0;
  for (const auto& node : instances) {
    file.expect_map(node, "an instance");
    file.reject_unknown(node, {"layer", "function", "min", "max", "ema_min", "ema_max"});
    const YAML::Node layer_node = file.require(node, "layer");
    const std::string layer = file.string(layer_node, "layer");
    const auto found = by_name.find(layer);
    TraceOp* op = found == by_name.end() ? nullptr : found->second;
    if (op == nullptr) {
      file.fail(layer_node, "no non-linear op of " + trace.model + " has layer '" + layer + "'" + did_you_mean(layer, candidates));
    }
    const YAML::Node function_node = file.require(node, "function");
    const std::string function_text = file.string(function_node, "function");
    std::vector<std::string> allowed;
    for (const Function f : lut_functions(op->type)) allowed.emplace_back(function_name(f));
    bool uses = false;
    for (const auto& a : allowed) uses = uses || a == function_text;
    if (!uses) {
      file.fail(function_node, "'" + layer + "' (" + std::string(op_type_name(op->type)) + ") has tables for " +
                                   join_names(allowed) + ", not '" + function_text + "'" + did_you_mean(function_text, allowed));
    }
    const auto [earlier, first] = calibrated.emplace(std::make_pair(op, function_text), node);
    if (!first) {
      file.fail(node, op->layer + " " + function_text + " is calibrated twice (first at " + position_text(earlier->second) + ")");
    }
    CalibratedRange r;
    r.min = file.number(file.require(node, "min"), "min");
    r.max = file.number(file.require(node, "max"), "max");
    if (!(r.min < r.max)) file.fail(node["max"], "range needs min < max");
    if (node["ema_min"]) r.ema_min = file.number(node["ema_min"], "ema_min");
    if (node["ema_max"]) r.ema_max = file.number(node["ema_max"], "ema_max");
    op->ranges[parse_function(function_text)] = r;
    ++merged;
  }
  trace.calibration = "calibration file " + source_name;
  return merged;
}

int merge_calibration_file(Trace& trace, const std::string& path) { return merge_calibration(trace, read_file(path, read_limits::calibration), path); }

}  // namespace npusim::workloads
