// IEEE 754 binary16 ("float16", NumPy's '<f2', ONNX's FLOAT16) to float32: exact for every value,
// subnormals, infinities and NaN included.
#pragma once

#include <cstdint>

namespace npusim {

float half_to_float(uint16_t bits);

}  // namespace npusim
