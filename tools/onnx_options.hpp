// The options every ONNX-taking subcommand shares: the model file (first positional argument) and
// --input-shape NAME=D0,D1,... for its dynamic dims.
#pragma once

#include "tools/cli.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::cli {

void add_onnx_options(po::options_description& options, po::positional_options_description& positional);

std::string model_path(const po::variables_map& values, const std::string& command);
// --input-shape values; a malformed one is a usage error.
onnx_import::InputShapes input_shapes(const po::variables_map& values, const std::string& command);
// The model name a trace gets: the file name without folder and extension.
std::string model_name_of(const std::string& path);

}  // namespace npusim::cli
