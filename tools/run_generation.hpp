// npusim run --generate PROMPT,NEW: LLM generation on a decoder zoo model or a decoder ONNX model
// (run/generation.hpp), one engine here or several side by side, printed and written as
// docs/generation.md describes.
#pragma once

#include "tools/cli.hpp"

namespace npusim::cli {

// Whether the run command's options ask for a generation (--generate, --set generate.FIELD=..., or
// --onnx: an ONNX decoder is a workload of generation only).
bool asks_for_generation(const po::variables_map& values);

// The run command's options with --generate given, or generate.* fields set with --set; returns the
// exit code.
int run_generation(const po::variables_map& values);

}  // namespace npusim::cli
