// ONNX models (protobuf): what parses imports to a trace or to one clear error, and an imported trace
// writes and reads back unchanged.
#include "tests/fuzz/harnesses.hpp"
#include "tests/fuzz/onnx_round_trip.hpp"

namespace npusim::fuzz {

void onnx(std::string_view data) { import_and_read_back(std::string(data)); }

}  // namespace npusim::fuzz
