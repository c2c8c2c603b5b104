// NumPy .npy files (format versions 1.0, 2.0 and 3.0), read strictly and written atomically: the way
// users hand npusim their own activations and weights, and the way npusim hands arrays to notebooks
// and RTL teams. Only C-order little-endian arrays of the numeric dtypes below; anything else
// (Fortran order, object arrays, big-endian, a shape that disagrees with the file size) is an error
// that names the file and what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim::npy {

enum class DType { float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, boolean, float16 };

// The descr string NumPy writes ("<f4", "|i1", ...) and the element size in bytes.
std::string dtype_descr(DType dtype);
int dtype_bytes(DType dtype);

// A read-only view on disk is rare enough that arrays are loaded whole. Elements are stored in the
// file's byte order, which is little-endian on every host npusim supports.
struct Array {
  DType dtype = DType::float32;
  std::vector<int64_t> shape;      // empty for a 0-d array (one element)
  std::vector<uint8_t> bytes;      // element_count() * dtype_bytes(dtype)

  int64_t element_count() const;
  // Any numeric dtype converted element by element; booleans read as 0 / 1.
  std::vector<double> to_doubles() const;
};

// Upper bound on what a reader accepts (elements), so a hostile header cannot ask for terabytes.
constexpr int64_t kMaxElements = int64_t{1} << 32;

// Parses an in-memory .npy image; `source_name` prefixes every error ("x.npy: ...").
Array parse(const std::string& content, const std::string& source_name);
Array read(const std::string& path);

// Reads a float32 array and checks its rank (0 = any rank). Errors name the file, the dtype found
// and the shape found, e.g. "x.npy: expected float32, found int8".
struct FloatArray {
  std::vector<int64_t> shape;
  std::vector<float> values;
};
FloatArray read_float32(const std::string& path, int rank = 0);

std::string format(const Array& array);
void write(const std::string& path, const Array& array);  // atomic: temporary file, then rename

// Typed writers for the common cases.
void write_float32(const std::string& path, const std::vector<int64_t>& shape, const std::vector<float>& values);
void write_int8(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int8_t>& values);
void write_uint8(const std::string& path, const std::vector<int64_t>& shape, const std::vector<uint8_t>& values);
void write_int16(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int16_t>& values);
void write_int32(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int32_t>& values);

// "[197, 768]", the way error messages show shapes.
std::string shape_text(const std::vector<int64_t>& shape);

}  // namespace npusim::npy
