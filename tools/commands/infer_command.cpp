// npusim infer: an ONNX model run in FP32 and with its non-linear ops computed by each method; errors
// per non-linear op and at the outputs.
#include <iostream>
#include <nlohmann/json.hpp>

#include "graph/method_comparison.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/npy.hpp"
#include "tools/commands.hpp"
#include "tools/onnx_options.hpp"
#include "report/text_table.hpp"
#include "workloads/calibration.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::cli {

namespace {

std::vector<Method> parse_methods(const std::string& list) {
  std::vector<Method> methods;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      const Method m = parse_method(name);
      if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
    } catch (const Error& e) {
      throw UsageError(std::string("infer: --methods: ") + e.what());
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return methods;
}

// Layer -> ranges of the instance's LUT functions, from a calibration file (min / max, or the EMA).
std::map<std::string, graph::InstanceRanges> calibrated_ranges(const onnx_import::Model& model, const std::string& path, bool ema) {
  workloads::Trace trace = onnx_import::import_to_trace(model, model.source).trace;
  for (auto& op : trace.ops) op.ranges.clear();  // only what the file gives counts
  workloads::merge_calibration_file(trace, path);
  std::map<std::string, graph::InstanceRanges> ranges;
  for (const auto& instance : onnx_import::find_nonlinear_instances(model)) {
    const workloads::TraceOp* op = trace.find(instance.layer);
    if (op == nullptr) continue;
    for (const Function f : onnx_import::instance_functions(instance.kind)) {
      const auto r = op->ranges.find(onnx_import::trace_function(f));
      if (r == op->ranges.end()) continue;
      const double lo = ema && r->second.ema_min ? *r->second.ema_min : r->second.min;
      const double hi = ema && r->second.ema_max ? *r->second.ema_max : r->second.max;
      if (!(lo < hi)) throw Error(path + ": the EMA range of " + instance.layer + " is empty");
      ranges[instance.layer][f] = {lo, hi};
    }
  }
  return ranges;
}

std::string figures_text(const std::optional<graph::ErrorFigures>& f) {
  if (!f) return "fp32 (no kernel)";
  return format_error(f->max_abs_error) + " / " + format_number(f->cosine, 7);
}

nlohmann::ordered_json figures_json(const graph::ErrorFigures& f) {
  nlohmann::ordered_json j = {{"max_abs_error", f.max_abs_error}, {"cosine", f.cosine}};
  if (f.argmax_rows > 0) {
    j["argmax_agree"] = f.argmax_agree;
    j["argmax_rows"] = f.argmax_rows;
  }
  return j;
}

void write_tensor(const std::string& path, const onnx_import::Tensor& t) {
  npy::write_float32(path, t.shape, t.floats);
}

}  // namespace

int run_infer_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_onnx_options(options, positional);
  std::string all;
  for (const Method m : all_methods()) all += (all.empty() ? "" : ",") + std::string(method_name(m));
  options.add_options()("input", po::value<std::vector<std::string>>()->composing(), "FILE.npy (float32) for a single-input model, or NAME=FILE.npy")(
      "methods", po::value<std::string>()->default_value(all), "methods to compare with FP32")(
      "calibration", po::value<std::string>(), "the ranges tables are built from (npusim calibrate); otherwise this input's own")(
      "range-stat", po::value<std::string>()->default_value("minmax"), "minmax or ema: which statistics of the calibration file")(
      "out", po::value<std::string>(), "write DIR/<method>/<output>.npy")(
      "dump", po::value<std::string>(), "write each non-linear op's FP32 input as DIR/<layer>.npy, float32 [rows, cols]")(
      "json", po::value<std::string>(), "write every figure as JSON");
  po::variables_map values;
  if (!parse_options("infer", "npusim infer MODEL.onnx --input x.npy [--methods fp32,bespoke,...] [--calibration FILE] [--out DIR] [--dump DIR]",
                     options, args, values, &positional)) {
    return kExitOk;
  }
  const std::string path = model_path(values, "infer");
  if (!values.count("input")) throw UsageError("infer: give the model's input with --input FILE.npy");
  const std::string stat = values["range-stat"].as<std::string>();
  if (stat != "minmax" && stat != "ema") throw UsageError("infer: --range-stat is minmax or ema, got '" + stat + "'");
  const std::vector<Method> methods = parse_methods(values["methods"].as<std::string>());
  if (!input_shapes(values, "infer").empty()) throw UsageError("infer: the input shapes come from the .npy files (no --input-shape)");
  NpyInputs inputs = read_npy_inputs(values["input"].as<std::vector<std::string>>());
  const onnx_import::Model model = load_model_for_inputs(path, inputs);
  const auto calibrated = values.count("calibration") ? calibrated_ranges(model, values["calibration"].as<std::string>(), stat == "ema")
                                                      : std::map<std::string, graph::InstanceRanges>{};
  const graph::MethodComparison result = graph::compare_methods(model, inputs.tensors, methods, calibrated);

  int from_file = 0;
  for (const auto& c : result.instances) from_file += c.source == graph::RangeSource::calibration ? 1 : 0;
  std::cout << "infer of " << path << ": " << result.instances.size() << " non-linear instances; table ranges from "
            << (values.count("calibration") ? values["calibration"].as<std::string>() + " for " + std::to_string(from_file) + ", " : "")
            << "this input's FP32 run for " << result.instances.size() - static_cast<size_t>(from_file) << "\n\n";
  std::vector<std::string> header = {"layer", "op", "ranges"};
  for (const Method m : methods) {
    if (m != Method::fp32) header.emplace_back(method_name(m));
  }
  TextTable per_op(header);
  int without_table = 0;
  for (const auto& c : result.instances) {
    if (onnx_import::instance_functions(c.instance.kind).empty()) {
      ++without_table;
      continue;
    }
    std::vector<std::string> row = {c.instance.layer, std::string(onnx_import::nonlinear_kind_name(c.instance.kind)),
                                    c.source == graph::RangeSource::calibration ? "calibration" : "this input"};
    for (const Method m : methods) {
      if (m != Method::fp32) row.push_back(figures_text(c.methods.at(m)));
    }
    per_op.add_row(row);
  }
  std::cout << "per non-linear op (the method on the op's FP32 input): max abs error / cosine similarity\n\n" << per_op.render();
  if (without_table > 0) {
    std::cout << "  (" << without_table << " HardSwish / HardSigmoid instances need no table: piecewise linear, exact in every method)\n";
  }
  std::cout << "\n";
  TextTable outputs({"output", "method", "max abs error", "cosine", "argmax agreement"});
  for (const auto& o : result.outputs) {
    for (const Method m : methods) {
      const auto& f = o.methods.at(m);
      outputs.add_row({o.name, std::string(method_name(m)), format_error(f.max_abs_error), format_number(f.cosine, 7),
                       f.argmax_rows == 0 ? "-" : std::to_string(f.argmax_agree) + "/" + std::to_string(f.argmax_rows) + " (" +
                                                      format_number(100.0 * static_cast<double>(f.argmax_agree) / static_cast<double>(f.argmax_rows), 4) + " %)"});
    }
  }
  std::cout << "model outputs against FP32 (all non-linear ops by the method)\n\n" << outputs.render();

  if (values.count("out")) {
    const std::string dir = values["out"].as<std::string>();
    for (const auto& [method, tensors] : result.output_tensors) {
      const std::string method_dir = dir + "/" + std::string(method_name(method));
      ensure_writable_directory(method_dir);
      for (const auto& [name, t] : tensors) write_tensor(method_dir + "/" + file_name_of(name) + ".npy", t);
    }
  }
  if (values.count("dump")) {
    const std::string dir = values["dump"].as<std::string>();
    ensure_writable_directory(dir);
    for (const auto& c : result.instances) {
      const onnx_import::Tensor& input = result.instance_inputs.at(c.instance.layer);
      const graph::RowView view = graph::instance_rows(c.instance, model, input.shape);
      const std::vector<double> rows = graph::gather_rows(input, view);
      npy::write_float32(dir + "/" + file_name_of(c.instance.layer) + ".npy", {view.rows, view.cols},
                         std::vector<float>(rows.begin(), rows.end()));
    }
  }
  if (values.count("json")) {
    nlohmann::ordered_json j;
    j["model"] = path;
    j["calibration"] = values.count("calibration") ? values["calibration"].as<std::string>() : "";
    nlohmann::ordered_json instances = nlohmann::ordered_json::array();
    for (const auto& c : result.instances) {
      nlohmann::ordered_json i = {{"layer", c.instance.layer},
                                  {"op", onnx_import::nonlinear_kind_name(c.instance.kind)},
                                  {"ranges_from", c.source == graph::RangeSource::calibration ? "calibration" : "this input"}};
      for (const auto& [f, r] : c.ranges) i["ranges"][std::string(function_name(f))] = {r.first, r.second};
      for (const auto& [m, f] : c.methods) i["methods"][std::string(method_name(m))] = f ? figures_json(*f) : nlohmann::ordered_json();
      instances.push_back(i);
    }
    j["instances"] = instances;
    nlohmann::ordered_json outs = nlohmann::ordered_json::array();
    for (const auto& o : result.outputs) {
      nlohmann::ordered_json out = {{"name", o.name}};
      for (const auto& [m, f] : o.methods) out["methods"][std::string(method_name(m))] = figures_json(f);
      outs.push_back(out);
    }
    j["outputs"] = outs;
    write_file_atomically(values["json"].as<std::string>(), j.dump(2) + "\n");
  }
  return kExitOk;
}

}  // namespace npusim::cli
