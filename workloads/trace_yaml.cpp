#include "workloads/trace_yaml.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "common/checked_size.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "workloads/trace_stats.hpp"
#include "common/yaml_reader.hpp"

namespace npusim::workloads {

namespace {

constexpr const char* kFormatName = "npusim-trace";

// Op ids to their position in the trace, so that reading n ops costs O(n), not O(n^2).
using OpIndex = std::unordered_map<std::string, size_t>;

Precision parse_precision(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  const std::string text = file.string(node, what);
  if (text == "int8") return Precision::int8;
  if (text == "int16") return Precision::int16;
  file.fail(node, what + " must be int8 or int16, got '" + text + "'" + did_you_mean(text, {"int8", "int16"}));
}

// stride: S (both axes) or [h, w].
std::array<int64_t, 2> parse_stride(const YamlFile& file, const YAML::Node& node) {
  if (!node.IsSequence()) {
    const int64_t s = file.integer(node, "stride", 1, kMaxWindow);
    return {s, s};
  }
  const std::vector<int64_t> s = file.integers(node, "stride", 1, kMaxWindow);
  if (s.size() != 2) file.fail(node, "stride is S or [h, w]");
  return {s[0], s[1]};
}

// padding: P (every side), [h, w] (both sides of each axis) or [top, left, bottom, right].
std::array<int64_t, 4> parse_padding(const YamlFile& file, const YAML::Node& node) {
  if (!node.IsSequence()) {
    const int64_t p = file.integer(node, "padding", 0, kMaxWindow);
    return {p, p, p, p};
  }
  const std::vector<int64_t> p = file.integers(node, "padding", 0, kMaxWindow);
  if (p.size() == 2) return {p[0], p[1], p[0], p[1]};
  if (p.size() != 4) file.fail(node, "padding is P, [h, w] or [top, left, bottom, right]");
  return {p[0], p[1], p[2], p[3]};
}

std::string stride_text(const std::array<int64_t, 2>& s) {
  return s[0] == s[1] ? std::to_string(s[0]) : shape_text({s[0], s[1]});
}

std::string padding_text(const std::array<int64_t, 4>& p) {
  if (p[0] == p[2] && p[1] == p[3]) return p[0] == p[1] ? std::to_string(p[0]) : shape_text({p[0], p[1]});
  return shape_text({p[0], p[1], p[2], p[3]});
}

std::string range_problem(const CalibratedRange& r) {
  if (std::isnan(r.min) || std::isnan(r.max)) return "range bounds must be numbers";
  if (!(r.min < r.max)) return "range needs min < max";
  return "";
}

// Shapes agree between each dependency's output and the matching input.
std::string dependency_problem(const TraceOp& op, size_t input, const TraceOp& producer) {
  if (producer.output != op.inputs[input]) {
    return "input " + std::to_string(input) + " " + shape_text(op.inputs[input]) + " does not match the output " +
           shape_text(producer.output) + " of its producer '" + producer.id + "'";
  }
  return "";
}

TraceOp parse_op(const YamlFile& file, const YAML::Node& node, const Trace& so_far, const OpIndex& index) {
  const auto find = [&](const std::string& id) -> const TraceOp* {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &so_far.ops[it->second];
  };
  file.expect_map(node, "an op");
  file.reject_unknown(node, {"id", "layer", "type", "inputs", "output", "weights", "kernel", "stride", "padding", "groups",
                             "precision", "deps", "ranges"});
  TraceOp op;
  const YAML::Node id_node = file.require(node, "id");
  op.id = file.string(id_node, "id");
  if (op.id.empty()) file.fail(id_node, "id must not be empty");
  if (find(op.id) != nullptr) {
    file.fail(id_node, "duplicate op id '" + op.id + "' (first given at " + position_text(file.root()["ops"][index.at(op.id)]["id"]) + ")");
  }
  op.layer = node["layer"] ? file.string(node["layer"], "layer") : op.id;
  const YAML::Node type_node = file.require(node, "type");
  const std::string type_text = file.string(type_node, "type");
  const auto type = parse_op_type(type_text);
  if (!type) {
    file.fail(type_node, "unknown op type '" + type_text + "'" + did_you_mean(type_text, all_op_type_names()) +
                             "; known: " + join_names(all_op_type_names()));
  }
  op.type = *type;
  const YAML::Node inputs = file.require(node, "inputs");
  file.expect_sequence(inputs, "inputs");
  for (const auto& shape : inputs) op.inputs.push_back(file.integers(shape, "an input shape", 1, kMaxDimension));
  op.output = file.integers(file.require(node, "output"), "output", 1, kMaxDimension);
  if (node["weights"]) op.weights = file.integers(node["weights"], "weights", 1, kMaxDimension);
  if (node["kernel"]) op.kernel = file.integers(node["kernel"], "kernel", 1, kMaxWindow);
  if (node["stride"]) op.stride = parse_stride(file, node["stride"]);
  if (node["padding"]) op.padding = parse_padding(file, node["padding"]);
  if (node["groups"]) op.groups = file.integer(node["groups"], "groups", 1, kMaxDimension);
  if (const YAML::Node precision = node["precision"]) {
    file.expect_map(precision, "precision");
    file.reject_unknown(precision, {"input", "output", "weights"});
    if (precision["input"]) op.input_precision = parse_precision(file, precision["input"], "precision.input");
    if (precision["output"]) op.output_precision = parse_precision(file, precision["output"], "precision.output");
    if (precision["weights"]) op.weight_precision = parse_precision(file, precision["weights"], "precision.weights");
  }
  const std::string shape_problem = check_op_shapes(op);
  if (!shape_problem.empty()) file.fail(node, "op '" + op.id + "': " + shape_problem);
  try {
    op_stats(op);  // MACs and bytes fit in 64 bits
  } catch (const checked::SizeOverflow& e) {
    file.fail(node, "op '" + op.id + "': " + e.what());
  }

  // Dependencies: the producers of the inputs in order; by default the previous op.
  if (const YAML::Node deps = node["deps"]) {
    file.expect_sequence(deps, "deps");
    for (const auto& dep : deps) {
      const std::string name = file.string(dep, "a dependency");
      const TraceOp* producer = find(name);
      if (producer == nullptr) {
        std::vector<std::string> ids;
        for (const auto& earlier : so_far.ops) ids.push_back(earlier.id);
        file.fail(dep, "dependency '" + name + "' names no earlier op" + did_you_mean(name, ids));
      }
      op.deps.push_back(name);
    }
    if (!op.deps.empty() && op.deps.size() != op.inputs.size()) {
      file.fail(deps, "op '" + op.id + "' has " + std::to_string(op.inputs.size()) + " inputs but " +
                          std::to_string(op.deps.size()) + " dependencies (one producer per input, or none for model inputs)");
    }
  } else if (!so_far.ops.empty()) {
    if (op.inputs.size() != 1) file.fail(node, "op '" + op.id + "' has several inputs: name their producers in deps");
    op.deps.push_back(so_far.ops.back().id);
  }
  for (size_t i = 0; i < op.deps.size(); ++i) {
    const std::string problem = dependency_problem(op, i, *find(op.deps[i]));
    if (!problem.empty()) file.fail(node["deps"] ? node["deps"][i] : node, "op '" + op.id + "': " + problem);
  }

  // Calibrated ranges of the LUT functions.
  const std::vector<Function> functions = lut_functions(op.type);
  if (const YAML::Node ranges = node["ranges"]) {
    file.expect_map(ranges, "ranges");
    std::vector<std::string> allowed;
    for (const Function f : functions) allowed.emplace_back(function_name(f));
    if (allowed.empty()) file.fail(ranges, "a " + type_text + " op uses no lookup table: it takes no ranges");
    file.reject_unknown(ranges, allowed);
    for (const auto& item : ranges) {
      const Function f = parse_function(item.first.Scalar());
      const YAML::Node& value = item.second;
      CalibratedRange r;
      if (value.IsSequence()) {
        if (value.size() != 2) file.fail(value, "a range is [min, max]");
        r.min = file.number(value[0], "range min");
        r.max = file.number(value[1], "range max");
      } else {
        file.expect_map(value, "a range");
        file.reject_unknown(value, {"min", "max", "ema_min", "ema_max"});
        r.min = file.number(file.require(value, "min"), "min");
        r.max = file.number(file.require(value, "max"), "max");
        if (value["ema_min"]) r.ema_min = file.number(value["ema_min"], "ema_min");
        if (value["ema_max"]) r.ema_max = file.number(value["ema_max"], "ema_max");
      }
      const std::string problem = range_problem(r);
      if (!problem.empty()) file.fail(value, std::string(function_name(f)) + ": " + problem);
      op.ranges[f] = r;
    }
  }
  for (const Function f : functions) {
    if (op.ranges.count(f) == 0) {
      file.fail(node, "non-linear op '" + op.id + "' has no calibrated range for " + std::string(function_name(f)));
    }
  }
  return op;
}

std::string number_text(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

std::string quoted(const std::string& s) {
  YAML::Emitter e;
  e << s;
  return e.c_str();
}

}  // namespace

Trace parse_trace(const std::string& yaml_text, const std::string& source_name) {
  const YamlFile file(yaml_text, source_name);
  const YAML::Node& root = file.root();
  file.expect_map(root, "a trace");
  file.reject_unknown(root, {"format", "version", "model", "source", "calibration", "ops"});
  const YAML::Node format = file.require(root, "format");
  if (file.string(format, "format") != kFormatName) file.fail(format, std::string("not a trace (format must be ") + kFormatName + ")");
  const YAML::Node version = file.require(root, "version");
  if (file.integer(version, "version", 0, 1000000) != Trace::kFormatVersion) {
    file.fail(version, "trace version " + file.string(version, "version") + " is not supported (this npusim reads version " +
                           std::to_string(Trace::kFormatVersion) + ")");
  }
  Trace trace;
  trace.model = file.string(file.require(root, "model"), "model");
  trace.source = root["source"] ? file.string(root["source"], "source") : "";
  trace.calibration = root["calibration"] ? file.string(root["calibration"], "calibration") : "";
  const YAML::Node ops = file.require(root, "ops");
  file.expect_sequence(ops, "ops");
  if (ops.size() == 0) file.fail(ops, "a trace needs at least one op");
  if (static_cast<int64_t>(ops.size()) > kMaxTraceOps) {
    file.fail(ops, "a trace holds at most " + std::to_string(kMaxTraceOps) + " ops (the simulator's limit), this one has " +
                       std::to_string(ops.size()));
  }
  OpIndex index;
  WorkStats total;
  for (const auto& node : ops) {
    trace.ops.push_back(parse_op(file, node, trace, index));
    index.emplace(trace.ops.back().id, trace.ops.size() - 1);
    try {
      total += op_stats(trace.ops.back());
    } catch (const checked::SizeOverflow& e) {
      file.fail(node, std::string("the trace's totals overflow at op '") + trace.ops.back().id + "': " + e.what());
    }
  }
  return trace;
}

Trace load_trace(const std::string& path) { return parse_trace(read_file(path, read_limits::trace), path); }

void validate_trace(const Trace& trace) {
  if (static_cast<int64_t>(trace.ops.size()) > kMaxTraceOps) {
    throw Error("the trace has " + std::to_string(trace.ops.size()) + " ops; the simulator's limit is " + std::to_string(kMaxTraceOps));
  }
  OpIndex seen;
  WorkStats total;
  for (const TraceOp& op : trace.ops) {
    const std::string problem = check_op_shapes(op);
    if (!problem.empty()) throw Error("op '" + op.id + "': " + problem);
    try {
      total += op_stats(op);
    } catch (const checked::SizeOverflow& e) {
      throw Error("op '" + op.id + "': " + e.what());
    }
    for (size_t i = 0; i < op.deps.size(); ++i) {
      const auto earlier = seen.find(op.deps[i]);
      if (earlier == seen.end()) throw Error("op '" + op.id + "': dependency '" + op.deps[i] + "' names no earlier op");
      const TraceOp* producer = &trace.ops[earlier->second];
      const std::string mismatch = dependency_problem(op, i, *producer);
      if (!mismatch.empty()) throw Error("op '" + op.id + "': " + mismatch);
    }
    if (!seen.emplace(op.id, static_cast<size_t>(&op - trace.ops.data())).second) throw Error("duplicate op id '" + op.id + "'");
    for (const Function f : lut_functions(op.type)) {
      const auto it = op.ranges.find(f);
      if (it == op.ranges.end()) throw Error("op '" + op.id + "' has no range for " + std::string(function_name(f)));
      const std::string problem = range_problem(it->second);
      if (!problem.empty()) throw Error("op '" + op.id + "': " + problem);
    }
  }
}

std::string trace_to_yaml(const Trace& trace) {
  std::ostringstream out;
  out << "format: " << kFormatName << "\nversion: " << Trace::kFormatVersion << "\nmodel: " << quoted(trace.model)
      << "\nsource: " << quoted(trace.source) << "\ncalibration: " << quoted(trace.calibration) << "\nops:\n";
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    const TraceOp& op = trace.ops[i];
    out << "  - id: " << quoted(op.id) << "\n";
    if (op.layer != op.id) out << "    layer: " << quoted(op.layer) << "\n";
    out << "    type: " << op_type_name(op.type) << "\n    inputs: [";
    for (size_t k = 0; k < op.inputs.size(); ++k) out << (k ? ", " : "") << shape_text(op.inputs[k]);
    out << "]\n    output: " << shape_text(op.output) << "\n";
    if (!op.weights.empty()) out << "    weights: " << shape_text(op.weights) << "\n";
    if (!op.kernel.empty()) out << "    kernel: " << shape_text(op.kernel) << "\n";
    if (op.stride != std::array<int64_t, 2>{1, 1}) out << "    stride: " << stride_text(op.stride) << "\n";
    if (op.padding != std::array<int64_t, 4>{0, 0, 0, 0}) out << "    padding: " << padding_text(op.padding) << "\n";
    if (op.groups != 1) out << "    groups: " << op.groups << "\n";
    out << "    precision: {input: " << precision_name(op.input_precision) << ", output: "
        << precision_name(op.output_precision);
    if (!op.weights.empty()) out << ", weights: " << precision_name(op.weight_precision);
    out << "}\n";
    const bool default_deps = i > 0 && op.deps.size() == 1 && op.deps[0] == trace.ops[i - 1].id;
    if (!default_deps) {
      out << "    deps: [";
      for (size_t k = 0; k < op.deps.size(); ++k) out << (k ? ", " : "") << quoted(op.deps[k]);
      out << "]\n";
    }
    if (!op.ranges.empty()) {
      out << "    ranges: {";
      bool first = true;
      for (const auto& [f, r] : op.ranges) {
        out << (first ? "" : ", ") << function_name(f) << ": ";
        if (r.ema_min || r.ema_max) {
          out << "{min: " << number_text(r.min) << ", max: " << number_text(r.max);
          if (r.ema_min) out << ", ema_min: " << number_text(*r.ema_min);
          if (r.ema_max) out << ", ema_max: " << number_text(*r.ema_max);
          out << "}";
        } else {
          out << "[" << number_text(r.min) << ", " << number_text(r.max) << "]";
        }
        first = false;
      }
      out << "}\n";
    }
  }
  return out.str();
}

void save_trace(const Trace& trace, const std::string& path) { write_file_atomically(path, trace_to_yaml(trace)); }

}  // namespace npusim::workloads
