// ONNX models (protobuf): what parses imports to a trace or to one clear error, and an imported trace
// writes and reads back unchanged; the decoder shape reader (generation's --onnx) gives a shape or one
// clear error.
#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "tests/fuzz/onnx_round_trip.hpp"
#include "workloads/onnx/decoder_shape_reader.hpp"

namespace npusim::fuzz {

void onnx(std::string_view data) {
  import_and_read_back(std::string(data));
  try {
    onnx_import::parse_decoder_shape(std::string(data), "fuzz.onnx", "fuzz");
  } catch (const Error&) {
  }
}

}  // namespace npusim::fuzz
