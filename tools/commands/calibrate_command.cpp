// npusim calibrate: per-layer ranges of an ONNX model's LUT inputs over a folder of samples, as a
// calibration file every workload command reads.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "graph/calibration_file.hpp"
#include "graph/executor.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tools/commands.hpp"
#include "tools/onnx_options.hpp"
#include "report/text_table.hpp"

namespace npusim::cli {

int run_calibrate_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_onnx_options(options, positional);
  options.add_options()("inputs", po::value<std::string>(),
                        "a folder of samples: one .npy per sample (single-input models), or one sub-folder per sample holding NAME.npy "
                        "for each model input")(
      "output,o", po::value<std::string>(), "the calibration file to write")(
      "ema-constant", po::value<double>()->default_value(0.1), "weight of each new sample in the moving averages");
  po::variables_map values;
  if (!parse_options("calibrate", "npusim calibrate MODEL.onnx --inputs DIR -o calibration.yaml [--ema-constant C]", options, args,
                     values, &positional)) {
    return kExitOk;
  }
  const std::string path = model_path(values, "calibrate");
  if (!values.count("inputs") || !values.count("output")) throw UsageError("calibrate: give --inputs DIR and -o FILE");
  const double ema = values["ema-constant"].as<double>();
  if (!(ema > 0.0 && ema <= 1.0)) throw UsageError("calibrate: --ema-constant must be in (0, 1]");
  if (!input_shapes(values, "calibrate").empty()) throw UsageError("calibrate: the input shapes come from the .npy files (no --input-shape)");

  graph::RangeCapture capture(ema);
  std::vector<onnx_import::NonlinearInstance> instances;
  const std::string model_name = model_name_of(path);
  const std::vector<std::vector<std::string>> samples = calibration_samples(values["inputs"].as<std::string>());
  for (const auto& specs : samples) {
    NpyInputs inputs = read_npy_inputs(specs);
    const onnx_import::Model model = load_model_for_inputs(path, inputs);
    instances = onnx_import::find_nonlinear_instances(model);
    std::set<std::string> watch;
    for (const auto& i : instances) watch.insert(i.input);
    // A node computing NaN is named where it happens: a NaN range would be refused by every reader.
    const auto tensors = graph::Executor(model, {true}).run(inputs.tensors, {}, watch);
    for (const auto& i : instances) capture.observe(i, model, tensors.at(i.input));
    for (const auto& [layer, functions] : capture.ranges()) {
      for (const auto& [f, s] : functions) {
        if (!std::isfinite(s.min) || !std::isfinite(s.max)) {
          throw Error(calibration_sample_name(specs) + ": the " + std::string(function_name(f)) + " input of " + layer + " reaches " +
                      (std::isnan(s.min) || std::isnan(s.max) ? "NaN" : "infinity") + "; no finite range to write");
        }
      }
    }
  }
  const std::string out = values["output"].as<std::string>();
  write_file_atomically(out, graph::calibration_yaml(model_name, instances, capture));

  TextTable table({"layer", "op", "function", "min", "max", "ema min", "ema max", "samples outside ema"});
  std::vector<std::string> untraced;
  int64_t outside_layers = 0;
  for (const auto& i : instances) {
    const auto it = capture.ranges().find(i.layer);
    if (it == capture.ranges().end()) continue;
    if (!graph::traced_as_nonlinear(i)) {
      untraced.push_back(i.layer);
      continue;
    }
    for (const auto& [f, s] : it->second) {
      const int64_t outside = s.samples_outside_ema();
      outside_layers += outside > 0 ? 1 : 0;
      table.add_row({i.layer, std::string(onnx_import::nonlinear_kind_name(i.kind)), std::string(function_name(f)), format_number(s.min),
                     format_number(s.max), format_number(s.ema_min), format_number(s.ema_max),
                     std::to_string(outside) + "/" + std::to_string(s.samples)});
    }
  }
  std::cout << "calibration of " << path << " over " << samples.size() << " sample(s) in " << values["inputs"].as<std::string>()
            << " (EMA constant " << format_number(ema) << ")\n\n"
            << table.render();
  if (outside_layers > 0) {
    std::cout << "  warning: in " << outside_layers
              << " range(s) some samples reach outside the EMA range; tables built from it (infer --range-stat ema) clamp those inputs\n";
  }
  if (!untraced.empty()) {
    std::cout << "  not written (a trace keeps them as generic vector ops; infer measures their ranges on its input): "
              << untraced.size() << " sigmoid / tanh instance(s)\n";
  }
  std::cout << "  wrote " << out << "\n";
  return kExitOk;
}

}  // namespace npusim::cli
