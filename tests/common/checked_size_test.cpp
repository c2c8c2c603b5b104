#include "common/checked_size.hpp"

#include <gtest/gtest.h>

#include <random>

#include "tests/error_text.hpp"

namespace npusim {
namespace {

using testing::error_of;

// Edge values of int64 and around the 32-bit boundary, plus seeded random ones; the oracle is 128-bit
// arithmetic, independent of the builtins the header uses.
std::vector<int64_t> probe_values() {
  const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> v = {0, 1, -1, 2, -2, 3, 255, 65536, int64_t{1} << 31, (int64_t{1} << 31) - 1, int64_t{1} << 32,
                            int64_t{1} << 40, int64_t{3037000499}, int64_t{3037000500}, max, max - 1, min, min + 1, max / 2,
                            min / 2};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const int shift = static_cast<int>(rng() % 63);
    v.push_back(static_cast<int64_t>(rng() >> (63 - shift)) * ((rng() & 1) ? 1 : -1));
  }
  return v;
}

bool fits(__int128 r) { return r >= std::numeric_limits<int64_t>::min() && r <= std::numeric_limits<int64_t>::max(); }

TEST(CheckedSize, MulAddSubAgreeWith128BitArithmeticOrThrow) {
  const auto values = probe_values();
  for (const int64_t a : values) {
    for (const int64_t b : values) {
      const __int128 product = static_cast<__int128>(a) * b, total = static_cast<__int128>(a) + b,
                     difference = static_cast<__int128>(a) - b;
      if (fits(product)) {
        EXPECT_EQ(checked::mul(a, b), static_cast<int64_t>(product));
      } else {
        EXPECT_THROW(checked::mul(a, b), checked::SizeOverflow) << a << " x " << b;
      }
      if (fits(total)) {
        EXPECT_EQ(checked::add(a, b), static_cast<int64_t>(total));
      } else {
        EXPECT_THROW(checked::add(a, b), checked::SizeOverflow);
      }
      if (fits(difference)) {
        EXPECT_EQ(checked::sub(a, b), static_cast<int64_t>(difference));
      } else {
        EXPECT_THROW(checked::sub(a, b), checked::SizeOverflow);
      }
    }
  }
}

TEST(CheckedSize, DivisionNeverRaisesSigfpe) {
  EXPECT_EQ(checked::div(7, 2), 3);
  EXPECT_EQ(checked::div(-7, 2), -3);
  EXPECT_EQ(error_of([] { checked::div(5, 0, "rows per tile"); }), "rows per tile: division of 5 by zero");
  EXPECT_THROW(checked::div(std::numeric_limits<int64_t>::min(), -1), checked::SizeOverflow);
  for (int64_t a = 0; a < 50; ++a) {
    for (int64_t b = 1; b < 12; ++b) EXPECT_EQ(checked::ceil_div(a, b), (a + b - 1) / b);
  }
  EXPECT_EQ(checked::ceil_div(std::numeric_limits<int64_t>::max(), 2), int64_t{1} << 62);
  EXPECT_THROW(checked::ceil_div(5, 0), checked::SizeOverflow);
  EXPECT_THROW(checked::ceil_div(-5, 2), checked::SizeOverflow);
}

TEST(CheckedSize, ProductOfAShapeNamesWhatOverflowed) {
  EXPECT_EQ(checked::product({}), 1);
  EXPECT_EQ(checked::product({197, 768}), 197 * 768);
  EXPECT_EQ(checked::product({4, 0, 5}), 0);
  // 2^40 per dimension (the trace reader's limit) still overflows in two dimensions: the GELU that
  // used to report 0 elements.
  EXPECT_EQ(error_of([] { checked::product({int64_t{1} << 32, int64_t{1} << 32}, "op 'g': input elements"); }),
            "op 'g': input elements: 4294967296 x 4294967296 does not fit in 64 bits");
  EXPECT_EQ(error_of([] { checked::product({3, -2}); }), "a dimension is negative (-2)");
  EXPECT_EQ(checked::sum({1, 2, 3}), 6);
  EXPECT_THROW(checked::sum({std::numeric_limits<int64_t>::max(), 1}), checked::SizeOverflow);
}

TEST(CheckedSize, NarrowingAndDoubleConversion) {
  EXPECT_EQ(checked::narrow<int>(2147483647), 2147483647);
  EXPECT_EQ(checked::narrow<int>(-2147483648LL), -2147483647 - 1);
  EXPECT_EQ(error_of([] { checked::narrow<int>(int64_t{1} << 31, "weight tiles"); }),
            "weight tiles: 2147483648 does not fit in 32 bits");
  EXPECT_THROW(checked::narrow<uint32_t>(-1), checked::SizeOverflow);
  EXPECT_EQ(checked::narrow<uint32_t>(4294967295LL), 4294967295u);
  EXPECT_THROW(checked::narrow<uint16_t>(65536), checked::SizeOverflow);
  EXPECT_EQ(checked::ceil_to_int64(2.1), 3);
  EXPECT_EQ(checked::ceil_to_int64(0.0), 0);
  EXPECT_EQ(checked::ceil_to_int64(9.2e18), int64_t{9200000000000000000});
  EXPECT_THROW(checked::ceil_to_int64(9.3e18), checked::SizeOverflow);
  EXPECT_THROW(checked::ceil_to_int64(-1.0), checked::SizeOverflow);
  EXPECT_THROW(checked::ceil_to_int64(std::nan("")), checked::SizeOverflow);
  EXPECT_THROW(checked::ceil_to_int64(INFINITY), checked::SizeOverflow);
  // A SizeOverflow is an npusim::Error: the CLI prints it as one line with exit code 1.
  EXPECT_THROW(checked::mul(int64_t{1} << 62, 4), Error);
}

}  // namespace
}  // namespace npusim
