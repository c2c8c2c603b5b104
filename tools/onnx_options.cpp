#include "tools/onnx_options.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "common/error.hpp"
#include "common/npy.hpp"
#include "graph/run_limits.hpp"

namespace npusim::cli {

void add_onnx_options(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("model", po::value<std::string>(), "the ONNX model (also the first positional argument)")(
      "input-shape", po::value<std::vector<std::string>>()->composing(),
      "NAME=D0,D1,... dims of a model input whose dims are dynamic (repeatable)");
  positional.add("model", 1);
}

std::string model_path(const po::variables_map& values, const std::string& command) {
  if (!values.count("model")) throw UsageError(command + ": give the ONNX model (npusim " + command + " MODEL.onnx ...)");
  return values["model"].as<std::string>();
}

onnx_import::InputShapes input_shapes(const po::variables_map& values, const std::string& command) {
  onnx_import::InputShapes shapes;
  if (!values.count("input-shape")) return shapes;
  for (const auto& spec : values["input-shape"].as<std::vector<std::string>>()) {
    try {
      const auto [name, dims] = onnx_import::parse_input_shape(spec);
      if (!shapes.emplace(name, dims).second) throw UsageError(command + ": --input-shape gives '" + name + "' twice");
    } catch (const Error& e) {
      throw UsageError(command + ": --input-shape: " + e.what());
    }
  }
  return shapes;
}

std::string model_name_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

NpyInputs read_npy_inputs(const std::vector<std::string>& specs) {
  NpyInputs inputs;
  for (const auto& spec : specs) {
    const size_t equals = spec.find('=');
    const std::string name = equals == std::string::npos ? "" : spec.substr(0, equals);
    const std::string file = equals == std::string::npos ? spec : spec.substr(equals + 1);
    if (inputs.files.count(name) != 0 || (specs.size() > 1 && name.empty())) {
      throw UsageError("--input: give NAME=FILE for each input of a model with several inputs, once each");
    }
    onnx_import::Tensor tensor = onnx_import::tensor_from_npy(npy::read(file));
    graph::check_input_tensor(tensor, file);
    inputs.shapes[name] = tensor.shape;
    inputs.tensors[name] = std::move(tensor);
    inputs.files[name] = file;
  }
  return inputs;
}

onnx_import::Model load_model_for_inputs(const std::string& path, NpyInputs& inputs) {
  onnx_import::Model model;
  try {
    model = onnx_import::load_model(path, inputs.shapes);
  } catch (const onnx_import::InputShapeError& e) {
    // A shape the model rejects is the input file's problem: name the file.
    const auto file = inputs.files.find(e.input());
    if (file == inputs.files.end()) throw;
    throw Error(file->second + ": does not fit the model (" + e.what() + ")");
  }
  if (inputs.tensors.count("") != 0 && model.inputs.size() == 1) {
    inputs.tensors[model.inputs[0]] = inputs.tensors.at("");
    inputs.files[model.inputs[0]] = inputs.files.at("");
    inputs.tensors.erase("");
    inputs.files.erase("");
  }
  std::string files;
  for (const auto& [name, tensor] : inputs.tensors) {
    const std::string& file = inputs.files.at(name);
    files += (files.empty() ? "" : ", ") + file;
    const onnx_import::ValueInfo* v = model.value(name);
    if (v == nullptr || v->type == tensor.type) continue;
    const std::string expected(onnx_import::element_type_name(v->type));
    throw Error(file + ": input '" + name + "' takes " + expected + ", the file holds " + std::string(onnx_import::element_type_name(tensor.type)) +
                " (save it with arr.astype(np." + (expected == "bool" ? "bool_" : expected) + "))");
  }
  graph::check_activation_size(model, files);
  return model;
}

namespace {

std::vector<std::string> sorted_entries(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) throw Error(dir + ": cannot read the folder");
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

bool is_npy(const std::string& name) { return name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0; }

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::vector<std::vector<std::string>> calibration_samples(const std::string& dir) {
  std::vector<std::vector<std::string>> samples;
  for (const auto& name : sorted_entries(dir)) {
    const std::string path = dir + "/" + name;
    if (is_npy(name)) {
      samples.push_back({path});
    } else if (is_directory(path)) {
      std::vector<std::string> specs;
      for (const auto& file : sorted_entries(path)) {
        if (is_npy(file)) specs.push_back(file.substr(0, file.size() - 4) + "=" + path + "/" + file);
      }
      if (specs.empty()) throw Error(path + ": a sample folder holds one NAME.npy per model input; this one has none");
      samples.push_back(specs);
    }
  }
  if (samples.empty()) throw Error(dir + ": no .npy files or sample folders");
  return samples;
}

std::string calibration_sample_name(const std::vector<std::string>& specs) {
  const std::string& spec = specs.front();
  const size_t equals = spec.find('=');
  if (specs.size() == 1 && equals == std::string::npos) return spec;
  const std::string file = spec.substr(equals + 1);
  return file.substr(0, file.find_last_of('/'));
}

std::string file_name_of(const std::string& tensor_name) {
  std::string name = tensor_name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return name.empty() || name[0] == '.' ? "_" + name : name;
}

}  // namespace npusim::cli
