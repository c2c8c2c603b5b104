// npusim calibrate: per-layer ranges of an ONNX model's LUT inputs over a folder of .npy inputs, as a
// calibration file every workload command reads.
#include <dirent.h>

#include <algorithm>
#include <iostream>

#include "graph/calibration_file.hpp"
#include "graph/executor.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tools/commands.hpp"
#include "tools/onnx_options.hpp"
#include "report/text_table.hpp"

namespace npusim::cli {

namespace {

std::vector<std::string> npy_files(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) throw Error(dir + ": cannot read the folder");
  std::vector<std::string> files;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) files.push_back(dir + "/" + name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(dir + ": no .npy files");
  return files;
}

}  // namespace

int run_calibrate_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_onnx_options(options, positional);
  options.add_options()("inputs", po::value<std::string>(), "a folder of .npy inputs (float32), one sample each")(
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
  std::string model_name = model_name_of(path);
  const std::vector<std::string> files = npy_files(values["inputs"].as<std::string>());
  for (const auto& file : files) {
    NpyInputs inputs = read_npy_inputs({file});
    const onnx_import::Model model = load_model_for_inputs(path, inputs);
    if (model.inputs.size() != 1) throw Error(path + ": calibrate feeds single-input models; this one has " + std::to_string(model.inputs.size()));
    instances = onnx_import::find_nonlinear_instances(model);
    std::set<std::string> watch;
    for (const auto& i : instances) watch.insert(i.input);
    const auto tensors = graph::Executor(model).run(inputs.tensors, {}, watch);
    for (const auto& i : instances) capture.observe(i, model, tensors.at(i.input));
  }
  const std::string out = values["output"].as<std::string>();
  write_file_atomically(out, graph::calibration_yaml(model_name, instances, capture));

  TextTable table({"layer", "op", "function", "min", "max", "ema min", "ema max"});
  std::vector<std::string> untraced;
  for (const auto& i : instances) {
    const auto it = capture.ranges().find(i.layer);
    if (it == capture.ranges().end()) continue;
    if (!graph::traced_as_nonlinear(i)) {
      untraced.push_back(i.layer);
      continue;
    }
    for (const auto& [f, s] : it->second) {
      table.add_row({i.layer, std::string(onnx_import::nonlinear_kind_name(i.kind)), std::string(function_name(f)), format_number(s.min),
                     format_number(s.max), format_number(s.ema_min), format_number(s.ema_max)});
    }
  }
  std::cout << "calibration of " << path << " over " << files.size() << " input(s) in " << values["inputs"].as<std::string>()
            << " (EMA constant " << format_number(ema) << ")\n\n"
            << table.render();
  if (!untraced.empty()) {
    std::cout << "  not written (a trace keeps them as generic vector ops; infer measures their ranges on its input): "
              << untraced.size() << " sigmoid / tanh instance(s)\n";
  }
  std::cout << "  wrote " << out << "\n";
  return kExitOk;
}

}  // namespace npusim::cli
