#include "tools/onnx_options.hpp"

#include "models/error.hpp"

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

}  // namespace npusim::cli
