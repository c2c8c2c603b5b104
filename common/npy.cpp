#include "common/npy.hpp"

#include <cctype>
#include <cstring>
#include <limits>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/half_float.hpp"

namespace npusim::npy {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;

struct DTypeInfo {
  DType dtype;
  char kind;  // NumPy's type character
  int bytes;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::float32, 'f', 4}, {DType::float64, 'f', 8}, {DType::int8, 'i', 1},   {DType::uint8, 'u', 1},
    {DType::int16, 'i', 2},   {DType::uint16, 'u', 2},  {DType::int32, 'i', 4},  {DType::uint32, 'u', 4},
    {DType::int64, 'i', 8},   {DType::uint64, 'u', 8},  {DType::boolean, 'b', 1}, {DType::float16, 'f', 2},
};

const DTypeInfo& info_of(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info;
  }
  return kDTypes[0];
}

// The header is a Python dict literal; this reads exactly the subset NumPy writes.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  Array parse() {
    Array array;
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = quoted();
      expect(':');
      if (key == "descr") {
        array.dtype = dtype_of(quoted());
        have_descr = true;
      } else if (key == "fortran_order") {
        if (boolean()) fail("Fortran-order arrays are not supported; save with np.ascontiguousarray");
        have_order = true;
      } else if (key == "shape") {
        array.shape = shape();
        have_shape = true;
      } else {
        fail("unknown header key '" + key + "'");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_space();
      if (peek() != '}') fail("expected ',' or '}' in the header");
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the header dict");
    if (!have_descr || !have_order || !have_shape) fail("the header lacks one of 'descr', 'fortran_order', 'shape'");
    return array;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw Error(source_ + ": " + message); }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("malformed header: expected '") + c + "'");
    ++pos_;
  }
  std::string quoted() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("malformed header: expected a quoted string");
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string::npos) fail("malformed header: unterminated string");
    std::string value = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    if (text_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    fail("malformed header: 'fortran_order' must be True or False");
  }
  std::vector<int64_t> shape() {
    expect('(');
    std::vector<int64_t> dims;
    int64_t elements = 1;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("malformed header: a shape dimension is not a number");
      int64_t dim = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        dim = dim * 10 + (text_[pos_++] - '0');
        if (dim > kMaxElements) fail("shape dimension exceeds " + std::to_string(kMaxElements) + " elements");
      }
      dims.push_back(dim);
      if (dim > 0 && elements > kMaxElements / dim) fail("array exceeds " + std::to_string(kMaxElements) + " elements");
      elements *= dim;
      skip_space();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != ')') {
        fail("malformed header: expected ',' or ')' in the shape");
      }
    }
    ++pos_;
    if (dims.size() > 32) fail("more than 32 dimensions");
    return dims;
  }
  DType dtype_of(const std::string& descr) const {
    if (descr.size() >= 3) {
      const char order = descr[0], kind = descr[1];
      const std::string size_text = descr.substr(2);
      int bytes = 0;
      for (const char c : size_text) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || bytes > 64) fail("unsupported dtype '" + descr + "'");
        bytes = bytes * 10 + (c - '0');
      }
      for (const DTypeInfo& info : kDTypes) {
        if (info.kind != kind || info.bytes != bytes) continue;
        const bool byte_order_ok = order == '<' || order == '=' || (order == '|' && bytes == 1);
        if (!byte_order_ok) fail("dtype '" + descr + "' is not little-endian; save with arr.astype('<" + kind + std::to_string(bytes) + "')");
        return info.dtype;
      }
    }
    fail("unsupported dtype '" + descr + "' (numeric dtypes only)");
  }

  const std::string& text_;
  const std::string& source_;
  size_t pos_ = 0;
};

uint32_t little_endian(const std::string& bytes, size_t offset, int count) {
  uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[offset + static_cast<size_t>(i)]);
  return value;
}

template <typename T>
double element(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return static_cast<double>(value);
}

template <typename T>
Array make_array(DType dtype, const std::vector<int64_t>& shape, const std::vector<T>& values) {
  Array array;
  array.dtype = dtype;
  array.shape = shape;
  if (array.element_count() != static_cast<int64_t>(values.size())) {
    throw Error("npy: shape " + shape_text(shape) + " does not hold " + std::to_string(values.size()) + " values");
  }
  array.bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(array.bytes.data(), values.data(), array.bytes.size());
  return array;
}

}  // namespace

std::string dtype_descr(DType dtype) {
  const DTypeInfo& info = info_of(dtype);
  return std::string(info.bytes == 1 ? "|" : "<") + info.kind + std::to_string(info.bytes);
}

int dtype_bytes(DType dtype) { return info_of(dtype).bytes; }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

int64_t Array::element_count() const {
  int64_t count = 1;
  for (const int64_t d : shape) count *= d;  // bounded by kMaxElements when parsed
  return count;
}

std::vector<double> Array::to_doubles() const {
  const int64_t count = element_count();
  std::vector<double> out(static_cast<size_t>(count));
  const int size = dtype_bytes(dtype);
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t* p = bytes.data() + i * size;
    double v = 0;
    switch (dtype) {
      case DType::float32: v = element<float>(p); break;
      case DType::float64: v = element<double>(p); break;
      case DType::int8: v = element<int8_t>(p); break;
      case DType::uint8: v = element<uint8_t>(p); break;
      case DType::int16: v = element<int16_t>(p); break;
      case DType::uint16: v = element<uint16_t>(p); break;
      case DType::int32: v = element<int32_t>(p); break;
      case DType::uint32: v = element<uint32_t>(p); break;
      case DType::int64: v = element<int64_t>(p); break;
      case DType::uint64: v = element<uint64_t>(p); break;
      case DType::boolean: v = *p != 0 ? 1.0 : 0.0; break;
      case DType::float16: v = half_to_float(static_cast<uint16_t>(p[0] | p[1] << 8)); break;
    }
    out[static_cast<size_t>(i)] = v;
  }
  return out;
}

Array parse(const std::string& content, const std::string& source_name) {
  if (content.size() < kMagicBytes + 4 || content.compare(0, kMagicBytes, kMagic, kMagicBytes) != 0) {
    throw Error(source_name + ": not a NumPy .npy file (bad magic)");
  }
  const int major = static_cast<uint8_t>(content[6]);
  if (major < 1 || major > 3) throw Error(source_name + ": unsupported .npy format version " + std::to_string(major));
  const int length_bytes = major == 1 ? 2 : 4;
  const size_t header_start = 8 + static_cast<size_t>(length_bytes);
  if (content.size() < header_start) throw Error(source_name + ": truncated .npy header");
  const uint32_t header_bytes = little_endian(content, 8, length_bytes);
  if (header_bytes > content.size() - header_start) throw Error(source_name + ": truncated .npy header");
  const std::string header = content.substr(header_start, header_bytes);
  Array array = HeaderParser(header, source_name).parse();
  const size_t data_start = header_start + header_bytes;
  const uint64_t expected = static_cast<uint64_t>(array.element_count()) * static_cast<uint64_t>(dtype_bytes(array.dtype));
  const uint64_t found = content.size() - data_start;
  if (found != expected) {
    throw Error(source_name + ": shape " + shape_text(array.shape) + " of " + dtype_descr(array.dtype) + " needs " +
                std::to_string(expected) + " data bytes, the file has " + std::to_string(found));
  }
  array.bytes.assign(content.begin() + static_cast<std::ptrdiff_t>(data_start), content.end());
  return array;
}

Array read(const std::string& path) { return parse(read_file(path, read_limits::npy), path); }

FloatArray read_float32(const std::string& path, int rank) {
  const Array array = read(path);
  if (array.dtype != DType::float32) {
    throw Error(path + ": expected float32, found " + dtype_descr(array.dtype) + " (save with arr.astype(np.float32))");
  }
  if (rank > 0 && static_cast<int>(array.shape.size()) != rank) {
    throw Error(path + ": expected a " + std::to_string(rank) + "-d array, found shape " + shape_text(array.shape));
  }
  FloatArray out;
  out.shape = array.shape;
  out.values.resize(static_cast<size_t>(array.element_count()));
  if (!out.values.empty()) std::memcpy(out.values.data(), array.bytes.data(), array.bytes.size());
  return out;
}

std::string format(const Array& array) {
  std::string shape = "(";
  for (const int64_t d : array.shape) shape += std::to_string(d) + ", ";
  if (array.shape.size() > 1) shape.resize(shape.size() - 2);
  if (array.shape.size() == 1) shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '" + dtype_descr(array.dtype) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // As NumPy does: room for the first dimension to grow to 21 digits (so appending rows can rewrite
  // the header in place), then spaces until magic + version + length + header + '\n' is a multiple of 64.
  if (!array.shape.empty()) header.append(21 - std::to_string(array.shape[0]).size(), ' ');
  const size_t unpadded = kMagicBytes + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  if (header.size() > std::numeric_limits<uint16_t>::max()) throw Error("npy: header too long");
  std::string out(kMagic, kMagicBytes);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>((header.size() >> 8) & 0xFF);
  out += header;
  out.append(reinterpret_cast<const char*>(array.bytes.data()), array.bytes.size());
  return out;
}

void write(const std::string& path, const Array& array) { write_file_atomically(path, format(array)); }

void write_float32(const std::string& path, const std::vector<int64_t>& shape, const std::vector<float>& values) {
  write(path, make_array(DType::float32, shape, values));
}
void write_int8(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int8_t>& values) {
  write(path, make_array(DType::int8, shape, values));
}
void write_uint8(const std::string& path, const std::vector<int64_t>& shape, const std::vector<uint8_t>& values) {
  write(path, make_array(DType::uint8, shape, values));
}
void write_int16(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int16_t>& values) {
  write(path, make_array(DType::int16, shape, values));
}
void write_int32(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int32_t>& values) {
  write(path, make_array(DType::int32, shape, values));
}

}  // namespace npusim::npy
