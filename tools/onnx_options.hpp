// What the ONNX-taking subcommands share: the model file (first positional argument),
// --input-shape NAME=D0,D1,... for its dynamic dims, and model inputs read from .npy files.
#pragma once

#include <map>

#include "tools/cli.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::cli {

void add_onnx_options(po::options_description& options, po::positional_options_description& positional);

std::string model_path(const po::variables_map& values, const std::string& command);
// --input-shape values; a malformed one is a usage error.
onnx_import::InputShapes input_shapes(const po::variables_map& values, const std::string& command);
// The model name a trace gets: the file name without folder and extension.
std::string model_name_of(const std::string& path);

// Model inputs read from .npy files of any numeric dtype (token ids, masks, images): "FILE" for a
// single-input model, or "NAME=FILE". Each is checked where it enters (graph/run_limits.hpp: its size,
// finite values), errors naming the file.
struct NpyInputs {
  std::map<std::string, onnx_import::Tensor> tensors;  // "" for the single input until the model names it
  std::map<std::string, std::string> files;
  onnx_import::InputShapes shapes;
};
NpyInputs read_npy_inputs(const std::vector<std::string>& specs);

// The model bound to the inputs' shapes, with the inputs keyed by the model's names. A shape or an
// element type that does not fit the model is an error naming the .npy file, as are activations past
// graph/run_limits.hpp's limit.
onnx_import::Model load_model_for_inputs(const std::string& path, NpyInputs& inputs);

// The samples of a calibration folder, each as --input specs: one per .npy file (a single-input model),
// or one per sub-folder holding NAME.npy for each model input (token ids and an attention mask, say).
std::vector<std::vector<std::string>> calibration_samples(const std::string& dir);
// How messages name a sample: its file, or its folder.
std::string calibration_sample_name(const std::vector<std::string>& specs);

// A tensor name as a file name: characters other than letters, digits, '.', '-' and '_' become '_'.
std::string file_name_of(const std::string& tensor_name);

}  // namespace npusim::cli
