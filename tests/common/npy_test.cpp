#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/npy.hpp"
#include "tests/error_text.hpp"

namespace npusim {
namespace {

using testing::error_of;

// Files written by NumPy 1.24 (np.save), as hex: the independent producer the reader must accept
// and the writer must reproduce byte for byte.
const char kFloat32_2x3[] =
    "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c2027736861"
    "7065273a2028322c2033292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20202020202020202020202020202020200a0000c03f000000c000005040000000006f12833a0000e0c0";
const char kInt8_3[] =
    "934e554d5059010076007b276465736372273a20277c6931272c2027666f727472616e5f6f72646572273a2046616c73652c2027736861"
    "7065273a2028332c292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20202020202020202020202020202020200afd047f";
const char kFloat64_scalar[] =
    "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c2027736861"
    "7065273a2028292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20202020202020202020202020202020200a0000000000000440";

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("npusim_npy_" + std::to_string(::getpid()) + "_" + name)).string();
}

TEST(Npy, ReadsWhatNumPyWrites) {
  const npy::Array a = npy::parse(from_hex(kFloat32_2x3), "a.npy");
  EXPECT_EQ(a.dtype, npy::DType::float32);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  const std::vector<double> v = a.to_doubles();
  EXPECT_EQ(v, (std::vector<double>{1.5, -2.0, 3.25, 0.0, static_cast<double>(1e-3f), -7.0}));

  const npy::Array b = npy::parse(from_hex(kInt8_3), "b.npy");
  EXPECT_EQ(b.dtype, npy::DType::int8);
  EXPECT_EQ(b.to_doubles(), (std::vector<double>{-3, 4, 127}));

  const npy::Array c = npy::parse(from_hex(kFloat64_scalar), "c.npy");
  EXPECT_TRUE(c.shape.empty());
  EXPECT_EQ(c.element_count(), 1);
  EXPECT_EQ(c.to_doubles(), (std::vector<double>{2.5}));
}

TEST(Npy, WritesWhatNumPyWrites) {
  const std::string path = temp_path("w.npy");
  npy::write_float32(path, {2, 3}, {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, -7.0f});
  EXPECT_EQ(read_file(path), from_hex(kFloat32_2x3));
  npy::write_int8(path, {3}, {-3, 4, 127});
  EXPECT_EQ(read_file(path), from_hex(kInt8_3));
  std::filesystem::remove(path);
}

TEST(Npy, RoundTripsEveryWriter) {
  const std::string path = temp_path("rt.npy");
  npy::write_int16(path, {2, 2}, {-32768, 32767, 0, 5});
  EXPECT_EQ(npy::read(path).to_doubles(), (std::vector<double>{-32768, 32767, 0, 5}));
  npy::write_int32(path, {1, 2}, {-2147483647 - 1, 7});
  EXPECT_EQ(npy::read(path).dtype, npy::DType::int32);
  npy::write_uint8(path, {0, 4}, {});
  EXPECT_EQ(npy::read(path).element_count(), 0);
  npy::write_float32(path, {4, 1, 2}, std::vector<float>(8, 0.25f));
  const npy::FloatArray f = npy::read_float32(path, 3);
  EXPECT_EQ(f.shape, (std::vector<int64_t>{4, 1, 2}));
  EXPECT_EQ(f.values, std::vector<float>(8, 0.25f));
  std::filesystem::remove(path);
}

TEST(Npy, RejectsWhatItCannotRead) {
  const std::string good = from_hex(kFloat32_2x3);
  const auto with_header = [&](const std::string& from, const std::string& to) {
    std::string bytes = good;
    const size_t at = bytes.find(from);
    bytes.replace(at, from.size(), to);  // same length keeps the header length field valid
    return bytes;
  };
  EXPECT_NE(error_of([&] { npy::parse("hello", "x.npy"); }).find("x.npy: not a NumPy .npy file"), std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(good.substr(0, 40), "x.npy"); }).find("truncated"), std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(good.substr(0, good.size() - 1), "x.npy"); }).find("needs 24 data bytes, the file has 23"),
            std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(with_header("<f4", ">f4"), "x.npy"); }).find("not little-endian"), std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(with_header("<f4", "|O8"), "x.npy"); }).find("unsupported dtype"), std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(with_header("False", "True "), "x.npy"); }).find("Fortran-order"), std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(with_header("(2, 3)", "(9, 3)"), "x.npy"); }).find("needs 108 data bytes"),
            std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(with_header("'shape'", "'shapf'"), "x.npy"); }).find("unknown header key 'shapf'"),
            std::string::npos);
  // Dimensions whose product overflows must be refused before anything is allocated.
  const auto npy_with_header = [](const std::string& dict) {
    return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict;
  };
  EXPECT_NE(error_of([&] { npy::parse(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), "x.npy"); })
                .find("exceeds"),
            std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(npy_with_header("{'descr': '<f4', 'shape': (1,), }"), "x.npy"); }).find("lacks"),
            std::string::npos);
  EXPECT_NE(error_of([&] { npy::parse(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x"), "x.npy"); })
                .find("unexpected text"),
            std::string::npos);

  const std::string path = temp_path("dtype.npy");
  npy::write_int8(path, {3}, {1, 2, 3});
  EXPECT_NE(error_of([&] { npy::read_float32(path); }).find("expected float32, found |i1"), std::string::npos);
  npy::write_float32(path, {3}, {1, 2, 3});
  EXPECT_NE(error_of([&] { npy::read_float32(path, 2); }).find("expected a 2-d array, found shape [3]"), std::string::npos);
  std::filesystem::remove(path);
  EXPECT_NE(error_of([&] { npy::read(path); }).find(path), std::string::npos);
}

}  // namespace
}  // namespace npusim
