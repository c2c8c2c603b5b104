// The largest file each reader accepts, stated once. A reader hands its limit to read_file, which
// refuses a larger regular file before reading it and stops any other (a device, a FIFO) one byte past
// the limit, so `npusim import /dev/zero` ends in "cannot read /dev/zero: more than 512 MiB, the limit
// for an ONNX model" instead of running out of memory. Each limit is far above the largest real file of
// its kind and far below the memory a machine running npusim has.
#pragma once

#include <cstdint>

namespace npusim {

struct ReadLimit {
  const char* what;  // the kind of file, for the message: "an ONNX model"
  int64_t max_bytes;
};

namespace read_limits {

constexpr int64_t kMiB = int64_t{1} << 20;

// YAML and JSON written by hand or by npusim: a few KiB in practice.
inline constexpr ReadLimit hw_config{"a hardware config", 16 * kMiB};
inline constexpr ReadLimit sweep_spec{"a sweep spec", 16 * kMiB};
inline constexpr ReadLimit calibration{"a calibration file", 64 * kMiB};
inline constexpr ReadLimit golden_manifest{"a golden-vector manifest", 16 * kMiB};
inline constexpr ReadLimit lut_export{"a LUT export manifest", 16 * kMiB};
inline constexpr ReadLimit table_set{"a table set", 64 * kMiB};
// A trace of 20,000 ops (the simulator's limit) is a few MiB.
inline constexpr ReadLimit trace{"a trace", 256 * kMiB};
// $readmemh words, 5 or 9 bytes each: 256 MiB holds more than 28 million 32-bit words (a full golden
// set of 65,536 codes is 0.6 MiB).
inline constexpr ReadLimit hex_words{"a hex word file", 256 * kMiB};
inline constexpr ReadLimit rtl_dump{"an RTL output dump", 256 * kMiB};
// Tensors and models: PP-OCRv4's recogniser is 11 MiB, ViT-Base and BERT-base in FP32 under 450 MiB
// (protobuf itself stops at 2 GiB).
inline constexpr ReadLimit npy{"a .npy array", 512 * kMiB};
inline constexpr ReadLimit onnx_model{"an ONNX model", 512 * kMiB};
inline constexpr ReadLimit onnx_tensor{"an ONNX tensor file", 512 * kMiB};
// What npusim wrote itself and reads back (reports, sweep records, logs).
inline constexpr ReadLimit own_file{"a file npusim reads back", 1024 * kMiB};

}  // namespace read_limits
}  // namespace npusim
