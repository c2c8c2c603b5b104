// What both ONNX harnesses ask of a model's bytes: they import to a trace or to one clear error, and an
// imported trace writes and reads back unchanged.
#pragma once

#include <string>

namespace npusim::fuzz {

void import_and_read_back(const std::string& bytes);

}  // namespace npusim::fuzz
