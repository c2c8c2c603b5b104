// npusim infer: an ONNX model run in FP32 and in each configuration of an NPU (a method per kind of
// non-linear op; linear layers in FP32, INT8 or LUT-NN); errors per non-linear op, per linear layer and
// at the outputs.
#include <cmath>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/npy.hpp"
#include "graph/method_comparison.hpp"
#include "graph/model_calibration.hpp"
#include "report/text_table.hpp"
#include "tools/commands.hpp"
#include "tools/onnx_options.hpp"
#include "workloads/calibration.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::cli {

namespace {

using graph::Configuration;
using graph::LinearMode;
using graph::RangeSource;

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> items;
  std::stringstream split(list);
  for (std::string item; std::getline(split, item, ',');) items.push_back(item);
  return items;
}

std::vector<Method> parse_methods(const std::string& list) {
  std::vector<Method> methods;
  for (const auto& name : split_list(list)) {
    try {
      const Method m = parse_method(name);
      if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
    } catch (const Error& e) {
      throw UsageError(std::string("infer: --methods: ") + e.what());
    }
  }
  if (methods.empty()) throw UsageError("infer: --methods needs at least one method");
  return methods;
}

// Layer -> ranges of the instance's LUT functions, from a calibration file (min / max, or the EMA).
std::map<std::string, graph::InstanceRanges> file_ranges(const onnx_import::Model& model, const std::string& path, bool ema) {
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

// Layer -> ranges captured over calibration samples.
std::map<std::string, graph::InstanceRanges> captured_ranges(const graph::RangeCapture& capture, bool ema) {
  std::map<std::string, graph::InstanceRanges> ranges;
  for (const auto& [layer, functions] : capture.ranges()) {
    for (const auto& [f, s] : functions) {
      const InputRange r = table_range(ema ? s.ema_min : s.min, ema ? s.ema_max : s.max);
      ranges[layer][f] = {r.min, r.max};
    }
  }
  return ranges;
}

// --lutnn-layers: each value a selection of the convertible layers (in graph order): "all", N (the first
// N), P% (the first ceil(P% of them)), or /REGEX/ (the layers whose name matches).
struct LayerSelection {
  std::string label;
  std::set<std::string> layers;
};

std::vector<LayerSelection> parse_layer_selections(const std::vector<std::string>& values, const std::vector<std::string>& candidates) {
  std::vector<std::string> items;
  for (const auto& v : values) {
    if (!v.empty() && v.front() == '/') {
      items.push_back(v);
    } else {
      for (const auto& item : split_list(v)) items.push_back(item);
    }
  }
  std::vector<LayerSelection> selections;
  const int64_t total = static_cast<int64_t>(candidates.size());
  for (const auto& item : items) {
    LayerSelection s;
    int64_t count = -1;
    if (item == "all") {
      count = total;
    } else if (item.size() > 2 && item.front() == '/' && item.back() == '/') {
      std::regex pattern;
      try {
        pattern = std::regex(item.substr(1, item.size() - 2));
      } catch (const std::regex_error& e) {
        throw UsageError("infer: --lutnn-layers: '" + item + "' is not a regular expression (" + e.what() + ")");
      }
      for (const auto& name : candidates) {
        if (std::regex_search(name, pattern)) s.layers.insert(name);
      }
      s.label = item;
    } else {
      const bool percent = !item.empty() && item.back() == '%';
      const std::string number = percent ? item.substr(0, item.size() - 1) : item;
      size_t used = 0;
      double value = -1;
      try {
        value = std::stod(number, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != number.size() || number.empty() || !(value >= 0) || (!percent && value != std::floor(value)) || (percent && value > 100)) {
        throw UsageError("infer: --lutnn-layers takes all, a count N, a share P% or /REGEX/, got '" + item + "'");
      }
      count = percent ? static_cast<int64_t>(std::ceil(value / 100.0 * static_cast<double>(total))) : static_cast<int64_t>(value);
      if (count > total) {
        throw Error("infer: --lutnn-layers " + item + ": the model has " + std::to_string(total) + " layers LUT-NN can replace");
      }
    }
    if (count >= 0) {
      s.layers.insert(candidates.begin(), candidates.begin() + count);
      s.label = std::to_string(count) + (item == std::to_string(count) ? "" : " (" + item + ")");
    }
    selections.push_back(s);
  }
  return selections;
}

std::string source_name(RangeSource s) {
  switch (s) {
    case RangeSource::calibration: return "calibration file";
    case RangeSource::calibration_inputs: return "calibration inputs";
    case RangeSource::self: return "this input";
  }
  return "?";
}

std::string figures_text(const std::optional<graph::ErrorFigures>& f) {
  if (!f) return "fp32 (no kernel)";
  return format_error(f->max_abs_error) + " / " + format_number(f->cosine, 7);
}

nlohmann::ordered_json figures_json(const graph::ErrorFigures& f) {
  nlohmann::ordered_json j = {{"max_abs_error", f.max_abs_error}, {"cosine", f.cosine}, {"rel_error", f.rel_error}};
  if (f.argmax_rows > 0) {
    j["argmax_agree"] = f.argmax_agree;
    j["argmax_rows"] = f.argmax_rows;
  }
  return j;
}

void write_tensor(const std::string& path, const onnx_import::Tensor& t) {
  if (t.is_float()) return npy::write_float32(path, t.shape, t.floats);
  npy::Array a;  // integer outputs (token ids, argmax indices) as int64
  a.dtype = npy::DType::int64;
  a.shape = t.shape;
  a.bytes.resize(t.ints.size() * sizeof(int64_t));
  if (!t.ints.empty()) std::memcpy(a.bytes.data(), t.ints.data(), a.bytes.size());
  npy::write(path, a);
}

std::string percent(int64_t part, int64_t whole) {
  return std::to_string(part) + "/" + std::to_string(whole) + " (" + format_number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 4) + " %)";
}

}  // namespace

int run_infer_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_onnx_options(options, positional);
  std::string all;
  for (const Method m : all_methods()) all += (all.empty() ? "" : ",") + std::string(method_name(m));
  std::string kinds;
  for (const auto& k : graph::method_kind_names()) kinds += (kinds.empty() ? "" : ", ") + k;
  options.add_options()
      ("input", po::value<std::vector<std::string>>()->composing(), "FILE.npy for a single-input model, or NAME=FILE.npy (any numeric dtype: images, token ids, masks)")
      ("methods", po::value<std::string>(), ("methods to compare with FP32, each on every non-linear op (default: " + all + "; fp32 alone with --method)").c_str())
      ("method", po::value<std::vector<std::string>>()->composing(),
       ("one more configuration, a method per op kind: KIND=METHOD,... (kinds: " + kinds + ", default; unnamed kinds stay FP32), e.g. softmax=nnlut,gelu=bespoke").c_str())
      ("calibration", po::value<std::string>(), "the non-linear ops' ranges from a calibration file (npusim calibrate)")
      ("calibration-inputs", po::value<std::string>(),
       "calibrate on these samples (a folder as npusim calibrate takes): non-linear ranges (unless --calibration), INT8 scales, LUT-NN codebooks")
      ("range-stat", po::value<std::string>()->default_value("minmax"), "minmax or ema: which statistics of the calibration")
      ("index-bits", po::value<int>()->default_value(8), "index bits of the Bespoke and universal tables (4..13)")
      ("dual-range", po::value<std::string>()->default_value("auto"), "the 17-entry dual-range table: auto (by --dual-threshold), on or off")
      ("dual-threshold", po::value<double>()->default_value(kDefaultDualThreshold), "MAPE of interval 0 above which a table gets its dual-range table")
      ("linear", po::value<std::string>()->default_value("fp32"),
       "linear layers (MatMul, Gemm, Conv with one group): fp32, int8 (per-channel INT8 weights, calibrated INT8 activations) or lutnn")
      ("lutnn-layers", po::value<std::vector<std::string>>()->composing(),
       "with --linear lutnn, the layers replaced: all, N (the first N), P% or /REGEX/ on layer names; a list makes a sweep (default all)")
      ("lutnn-centroids", po::value<int64_t>()->default_value(lutnn::kDefaultCentroids), "LUT-NN centroids per codebook (2..256)")
      ("lutnn-iterations", po::value<int>()->default_value(lutnn::CentroidLearningOptions{}.iterations), "LUT-NN centroid-learning updates")
      ("out", po::value<std::string>(), "write DIR/<configuration>/<output>.npy (and DIR/reference/ with INT8 or LUT-NN layers)")
      ("dump", po::value<std::string>(), "write each non-linear op's FP32 input as DIR/<layer>.npy, float32 [rows, cols]")
      ("json", po::value<std::string>(), "write every figure as JSON");
  po::variables_map values;
  if (!parse_options("infer", "npusim infer MODEL.onnx --input x.npy [--methods fp32,bespoke,...] [--method softmax=nnlut,...] [--calibration FILE] "
                              "[--calibration-inputs DIR] [--linear int8|lutnn] [--out DIR] [--dump DIR]",
                     options, args, values, &positional)) {
    return kExitOk;
  }
  const std::string path = model_path(values, "infer");
  if (!values.count("input")) throw UsageError("infer: give the model's input with --input FILE.npy");
  const std::string stat = values["range-stat"].as<std::string>();
  if (stat != "minmax" && stat != "ema") throw UsageError("infer: --range-stat is minmax or ema, got '" + stat + "'");
  if (!input_shapes(values, "infer").empty()) throw UsageError("infer: the input shapes come from the .npy files (no --input-shape)");
  ApproximationOptions approximation;
  approximation.lut.index_bits = values["index-bits"].as<int>();
  if (approximation.lut.index_bits < kMinIndexBits || approximation.lut.index_bits > kMaxIndexBits) throw UsageError("infer: --index-bits must be in 4..13");
  try {
    approximation.lut.dual_range = parse_dual_range_mode(values["dual-range"].as<std::string>());
  } catch (const Error& e) {
    throw UsageError(std::string("infer: --dual-range: ") + e.what());
  }
  approximation.lut.threshold = values["dual-threshold"].as<double>();
  if (!(approximation.lut.threshold >= 0 && approximation.lut.threshold <= 1)) throw UsageError("infer: --dual-threshold must be in [0, 1]");
  LinearMode linear_mode = LinearMode::fp32;
  try {
    linear_mode = graph::parse_linear_mode(values["linear"].as<std::string>());
  } catch (const Error& e) {
    throw UsageError(std::string("infer: --linear: ") + e.what());
  }
  if (values.count("lutnn-layers") && linear_mode != LinearMode::lutnn) throw UsageError("infer: --lutnn-layers goes with --linear lutnn");
  if (linear_mode == LinearMode::lutnn && !values.count("calibration-inputs")) {
    throw UsageError("infer: --linear lutnn learns its codebooks on --calibration-inputs DIR (other inputs than the one evaluated)");
  }
  graph::LutnnOptions lutnn_options;
  lutnn_options.centroids = values["lutnn-centroids"].as<int64_t>();
  lutnn_options.learning.iterations = values["lutnn-iterations"].as<int>();
  if (lutnn_options.centroids < lutnn::kMinCentroids || lutnn_options.centroids > lutnn::kMaxCentroids) throw UsageError("infer: --lutnn-centroids must be in 2..256");
  if (lutnn_options.learning.iterations < 0 || lutnn_options.learning.iterations > 100000) throw UsageError("infer: --lutnn-iterations must be in 0..100000");

  std::vector<Configuration> method_choices;
  if (values.count("method")) {
    for (const auto& spec : values["method"].as<std::vector<std::string>>()) {
      try {
        method_choices.push_back(graph::parse_method_choice(spec));
      } catch (const Error& e) {
        throw UsageError(std::string("infer: --method ") + spec + ": " + e.what());
      }
    }
  }
  const std::vector<Method> methods = parse_methods(values.count("methods") ? values["methods"].as<std::string>() : method_choices.empty() ? all : "fp32");

  NpyInputs inputs = read_npy_inputs(values["input"].as<std::vector<std::string>>());
  const onnx_import::Model model = load_model_for_inputs(path, inputs);

  // Calibration: a file for the non-linear ranges, samples for everything else (or this input).
  graph::PreparedLinear linear;
  if (linear_mode != LinearMode::fp32) linear.layers = graph::find_linear_layers(model);
  std::vector<std::string> candidates;
  for (const auto& l : linear.layers) candidates.push_back(l.name);
  std::vector<LayerSelection> selections;
  if (linear_mode == LinearMode::lutnn) {
    selections = parse_layer_selections(values.count("lutnn-layers") ? values["lutnn-layers"].as<std::vector<std::string>>() : std::vector<std::string>{"all"},
                                        candidates);
  }
  std::set<std::string> lutnn_wanted;
  for (const auto& s : selections) lutnn_wanted.insert(s.layers.begin(), s.layers.end());
  std::map<std::string, graph::InstanceRanges> calibrated;
  RangeSource calibrated_source = RangeSource::self;
  graph::ModelCalibration calibration;
  std::string calibration_dir;
  if (values.count("calibration-inputs")) {
    calibration_dir = values["calibration-inputs"].as<std::string>();
    for (const auto& specs : calibration_samples(calibration_dir)) {
      NpyInputs sample = read_npy_inputs(specs);
      const onnx_import::Model sample_model = load_model_for_inputs(path, sample);
      graph::calibrate_sample(calibration, sample_model, sample.tensors, graph::find_linear_layers(sample_model), lutnn_wanted);
    }
    graph::limit_rows(calibration, lutnn_options.max_rows);
    calibrated = captured_ranges(calibration.ranges, stat == "ema");
    calibrated_source = RangeSource::calibration_inputs;
  } else if (linear_mode == LinearMode::int8) {
    graph::calibrate_sample(calibration, model, inputs.tensors, linear.layers, {});  // INT8 scales from this input
  }
  if (values.count("calibration")) {
    calibrated = file_ranges(model, values["calibration"].as<std::string>(), stat == "ema");
    calibrated_source = RangeSource::calibration;
  }
  std::vector<std::string> unconverted;
  for (const auto& l : linear.layers) {
    const auto c = calibration.linear.find(l.name);
    if (c == calibration.linear.end()) throw Error(path + ": no calibration of linear layer " + l.name);
    linear.int8_scales[l.name] = graph::int8_input_scale(c->second);
    if (lutnn_wanted.count(l.name) == 0) continue;
    if (const auto why = graph::lutnn_unsuitable(l, c->second, lutnn_options)) {
      unconverted.push_back(l.name + " (" + *why + ")");
      continue;
    }
    linear.lutnn[l.name] = std::make_shared<const graph::LutnnLayer>(graph::learn_lutnn_layer(l, c->second, lutnn_options));
  }

  // The configurations: each method on every op, then the per-kind choices; with LUT-NN, each by selection.
  std::vector<Configuration> configurations;
  for (const Method m : methods) configurations.push_back(Configuration::uniform(m, linear_mode));
  for (auto c : method_choices) {
    c.linear = linear_mode;
    configurations.push_back(c);
  }
  if (linear_mode == LinearMode::lutnn) {
    std::vector<Configuration> swept;
    for (const auto& c : configurations) {
      for (const auto& s : selections) {
        Configuration with = c;
        with.name = c.name + " +lutnn " + s.label;
        for (const auto& name : s.layers) {
          if (linear.lutnn.count(name) != 0) with.lutnn_layers.insert(name);
        }
        swept.push_back(with);
      }
    }
    configurations = swept;
  }
  const graph::MethodComparison result =
      graph::compare_methods(model, inputs.tensors, configurations, calibrated, calibrated_source, approximation, linear);

  // ---- the report
  std::map<RangeSource, int> sources;
  for (const auto& c : result.instances) ++sources[c.source];
  std::cout << "infer of " << path << ": " << result.instances.size() << " non-linear instances; table ranges from ";
  std::string from;
  if (sources.count(RangeSource::calibration)) from += values["calibration"].as<std::string>() + " for " + std::to_string(sources[RangeSource::calibration]);
  if (sources.count(RangeSource::calibration_inputs)) {
    from += (from.empty() ? "" : ", ") + std::string("the ") + std::to_string(calibration.samples) + " calibration sample(s) in " + calibration_dir + " for " +
            std::to_string(sources[RangeSource::calibration_inputs]);
  }
  from += (from.empty() ? "" : ", ") + std::string("this input's FP32 run for ") + std::to_string(sources[RangeSource::self]);
  std::cout << from << "\n";
  std::cout << "  tables: " << approximation.lut.index_bits << " index bits, dual-range table "
            << dual_range_mode_name(approximation.lut.dual_range)
            << (approximation.lut.dual_range == DualRangeMode::automatic ? " (threshold " + format_number(approximation.lut.threshold) + ")" : "") << "\n";
  std::set<Method> used;
  for (const auto& config : configurations) {
    for (const auto& c : result.instances) used.insert(config.method_for(c.instance.kind));
  }
  if (used.count(Method::bespoke_rr)) {
    std::cout << "  bespoke-rr: range-reduced tables for reciprocal (softmax) and rsqrt (norms); exp, GELU, SiLU, sigmoid and tanh by the per-layer "
                 "Bespoke table\n";
  }
  for (const auto& c : method_choices) {
    std::cout << "  configuration " << c.name << ":";
    std::map<Method, std::vector<std::string>> by_method;
    for (const auto& k : {onnx_import::NonlinearKind::softmax, onnx_import::NonlinearKind::layernorm, onnx_import::NonlinearKind::rmsnorm,
                          onnx_import::NonlinearKind::gelu, onnx_import::NonlinearKind::silu, onnx_import::NonlinearKind::sigmoid,
                          onnx_import::NonlinearKind::tanh}) {
      by_method[c.method_for(k)].emplace_back(onnx_import::nonlinear_kind_name(k));
    }
    for (const auto& [m, ks] : by_method) {
      std::string list;
      for (const auto& k : ks) list += (list.empty() ? "" : ", ") + k;
      std::cout << " " << method_name(m) << " for " << list << ";";
    }
    std::cout << "\n";
  }
  if (linear_mode == LinearMode::int8) {
    std::cout << "  linear layers: " << linear.layers.size() << " in INT8 (per-output-channel weights, per-tensor activations at max |x| / 127 of "
              << (calibration_dir.empty() ? "this input" : "the calibration inputs") << ")\n";
  } else if (linear_mode == LinearMode::lutnn) {
    std::cout << "  linear layers: " << linear.lutnn.size() << " of " << linear.layers.size() << " replaceable by LUT-NN learned on " << calibration_dir << " ("
              << lutnn_options.centroids << " centroids, " << lutnn_options.learning.iterations << " learning updates); the others stay FP32\n";
    for (const auto& u : unconverted) std::cout << "    not converted: " << u << "\n";
  }
  std::cout << "\n";

  std::vector<std::string> header = {"layer", "op", "ranges"};
  std::vector<Method> columns;
  for (const Method m : used) {
    if (m != Method::fp32) columns.push_back(m);
  }
  for (const Method m : columns) header.emplace_back(method_name(m));
  TextTable per_op(header);
  int without_table = 0, notes_used = 0;
  std::vector<std::string> notes;
  for (const auto& c : result.instances) {
    if (onnx_import::instance_functions(c.instance.kind).empty()) {
      ++without_table;
      continue;
    }
    std::vector<std::string> row = {c.instance.layer, std::string(onnx_import::nonlinear_kind_name(c.instance.kind)), source_name(c.source)};
    for (const Method m : columns) {
      const bool outside = c.outside_domain.count(m) != 0;
      row.push_back(!c.methods.count(m) ? "-" : outside ? "outside its domain [" + std::to_string(++notes_used) + "]" : figures_text(c.methods.at(m)));
      if (outside) notes.push_back(std::string(method_name(m)) + " on " + c.instance.layer + ": " + c.outside_domain.at(m).front() + " (it reads " +
                                   figures_text(c.methods.at(m)) + ")");
    }
    per_op.add_row(row);
  }
  if (!columns.empty()) {
    std::cout << "per non-linear op (the method on the op's FP32 input): max abs error / cosine similarity\n\n" << per_op.render();
    if (without_table > 0) {
      std::cout << "  (" << without_table << " HardSwish / HardSigmoid instances need no table: piecewise linear, exact in every method)\n";
    }
    for (size_t k = 0; k < notes.size(); ++k) std::cout << "  [" << k + 1 << "] " << notes[k] << "\n";
    std::cout << "\n";
  }
  // Inputs outside a table: what the held-out input does that calibration did not see.
  TextTable clamped({"layer", "function", "method", "clamped inputs", "table range"});
  int64_t clamped_rows = 0;
  for (const auto& c : result.instances) {
    for (const auto& [m, functions] : c.clamped) {
      for (const auto& [f, count] : functions) {
        if (count.outside == 0) continue;
        const auto r = c.ranges.find(f);
        clamped.add_row({c.instance.layer, std::string(function_name(f)), std::string(method_name(m)), percent(count.outside, count.total),
                         m == Method::bespoke || m == Method::bespoke_rr || m == Method::ibert8 ? (r == c.ranges.end() ? "-" : format_range(r->second.first, r->second.second))
                                                                                              : "the method's own"});
        ++clamped_rows;
      }
    }
  }
  if (clamped_rows > 0) {
    std::cout << "warning: inputs outside their table's range (clamped to its ends; the error there is not the table's resolution):\n\n"
              << clamped.render() << "\n";
  }
  if (!result.linear.empty()) {
    TextTable layers({"linear layer", "op", "rows x D -> M", "int8 rel. error", "lutnn rel. error", "lutnn cosine"});
    for (const auto& l : result.linear) {
      const auto i8 = l.modes.find(LinearMode::int8), lut = l.modes.find(LinearMode::lutnn);
      layers.add_row({l.layer, l.op, std::to_string(l.rows) + " x " + std::to_string(l.in_features) + " -> " + std::to_string(l.out_features),
                      i8 == l.modes.end() ? "-" : format_error(i8->second.rel_error), lut == l.modes.end() ? "-" : format_error(lut->second.rel_error),
                      lut == l.modes.end() ? "-" : format_number(lut->second.cosine, 7)});
    }
    std::cout << "per linear layer (on the layer's FP32 input): ||y - y_fp32|| / ||y_fp32||\n\n" << layers.render() << "\n";
  }
  TextTable outputs({"output", "configuration", "max abs error", "cosine", "argmax agreement"});
  bool any_outside = false;
  for (const auto& o : result.outputs) {
    for (const auto& config : configurations) {
      const auto& f = o.configurations.at(config.name);
      bool outside = false;
      for (const auto& c : result.instances) outside = outside || c.outside_domain.count(config.method_for(c.instance.kind)) != 0;
      outputs.add_row({o.name, config.name + (outside ? " *" : ""), format_error(f.max_abs_error), format_number(f.cosine, 7),
                       f.argmax_rows == 0 ? "-" : percent(f.argmax_agree, f.argmax_rows)});
      any_outside = any_outside || outside;
    }
  }
  std::cout << "model outputs against FP32 (every op as the configuration computes it)\n\n" << outputs.render();
  if (any_outside) std::cout << "  * includes ops outside the method's published domain (notes above): not a measurement of the method\n";

  if (values.count("out")) {
    const std::string dir = values["out"].as<std::string>();
    for (const auto& [name, tensors] : result.output_tensors) {
      if (name == "reference" && linear_mode == LinearMode::fp32) continue;  // the fp32 configuration's own
      const std::string method_dir = dir + "/" + file_name_of(name);
      ensure_writable_directory(method_dir);
      for (const auto& [output, t] : tensors) write_tensor(method_dir + "/" + file_name_of(output) + ".npy", t);
    }
  }
  if (values.count("dump")) {
    const std::string dir = values["dump"].as<std::string>();
    ensure_writable_directory(dir);
    for (const auto& c : result.instances) {
      const onnx_import::Tensor& input = result.instance_inputs.at(c.instance.layer);
      const graph::RowView view = graph::instance_rows(c.instance, model, input.shape);
      const std::vector<double> rows = graph::gather_rows(input, view);
      npy::write_float32(dir + "/" + file_name_of(c.instance.layer) + ".npy", {view.rows, view.cols}, std::vector<float>(rows.begin(), rows.end()));
    }
  }
  if (values.count("json")) {
    nlohmann::ordered_json j;
    j["model"] = path;
    j["calibration"] = values.count("calibration") ? values["calibration"].as<std::string>() : "";
    j["calibration_inputs"] = calibration_dir;
    j["index_bits"] = approximation.lut.index_bits;
    j["dual_range"] = std::string(dual_range_mode_name(approximation.lut.dual_range));
    j["linear"] = std::string(graph::linear_mode_name(linear_mode));
    nlohmann::ordered_json instances = nlohmann::ordered_json::array();
    for (const auto& c : result.instances) {
      nlohmann::ordered_json i = {{"layer", c.instance.layer}, {"op", onnx_import::nonlinear_kind_name(c.instance.kind)}, {"ranges_from", source_name(c.source)}};
      for (const auto& [f, r] : c.ranges) i["ranges"][std::string(function_name(f))] = {r.first, r.second};
      for (const auto& [m, f] : c.methods) i["methods"][std::string(method_name(m))] = f ? figures_json(*f) : nlohmann::ordered_json();
      for (const auto& [m, why] : c.outside_domain) i["outside_domain"][std::string(method_name(m))] = why;
      for (const auto& [m, functions] : c.clamped) {
        for (const auto& [f, count] : functions) {
          i["clamped"][std::string(method_name(m))][std::string(function_name(f))] = {{"outside", count.outside}, {"total", count.total}};
        }
      }
      instances.push_back(i);
    }
    j["instances"] = instances;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& l : result.linear) {
      nlohmann::ordered_json entry = {{"layer", l.layer}, {"op", l.op}, {"rows", l.rows}, {"in_features", l.in_features}, {"out_features", l.out_features}};
      for (const auto& [mode, f] : l.modes) entry["modes"][std::string(graph::linear_mode_name(mode))] = figures_json(f);
      layers.push_back(entry);
    }
    j["linear_layers"] = layers;
    nlohmann::ordered_json outs = nlohmann::ordered_json::array();
    for (const auto& o : result.outputs) {
      nlohmann::ordered_json out = {{"name", o.name}};
      for (const auto& config : configurations) out["configurations"][config.name] = figures_json(o.configurations.at(config.name));
      outs.push_back(out);
    }
    j["outputs"] = outs;
    write_file_atomically(values["json"].as<std::string>(), j.dump(2) + "\n");
  }
  return kExitOk;
}

}  // namespace npusim::cli
