// bespoke-rr against an independent restatement of its arithmetic (range_reduced_lut.hpp): the leading
// one found by a loop, the mantissa code from exact double arithmetic and SPEC 2.2's rha, the table from
// SPEC 2.2's definition, the lookup as SPEC 2.2 states it. Every input code below 2^17 is checked, and
// every 16-bit mantissa code at every exponent with its truncated bits all zero, all one and random.
#include "models/lut/range_reduced_lut.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/readmemh.hpp"

namespace npusim {
namespace {

struct Restated {
  Function f;
  std::vector<int64_t> table;

  explicit Restated(Function function) : f(function) {
    const double top = f == Function::reciprocal ? 2.0 : 4.0;
    const double step = (top - 1.0) / 65536;
    for (int j = 0; j <= 256; ++j) {
      const double x = 1.0 + static_cast<double>(256 * j) * step;
      const double v = f == Function::reciprocal ? 1.0 / x : 1.0 / std::sqrt(x);
      table.push_back(static_cast<int64_t>(std::round(v / (1.0 / 32767.0))));  // Q(v) with s_out = 1 / 32767, |v| <= 1
    }
  }

  // (y, e) for input code X.
  std::pair<int64_t, int> operator()(uint64_t x) const {
    if (x == 0) x = 1;
    int p = 0;
    while ((x >> (p + 1)) != 0) ++p;
    int64_t u = 0;
    int e = 0;
    if (f == Function::reciprocal) {
      e = p;
      u = static_cast<int64_t>(std::floor((std::ldexp(static_cast<double>(x), -p) - 1.0) * 65536.0));
    } else {
      const int q = 2 * (p / 2);
      e = q / 2;
      const double m = std::floor(std::ldexp(static_cast<double>(x), 14 - q)) / 16384.0;  // 16-bit mantissa in [1, 4)
      u = static_cast<int64_t>(std::round((m - 1.0) * 65536.0 / 3.0));  // rha; never a tie
    }
    const int64_t j = u / 256, w = u % 256;
    const int64_t sum = (256 - w) * table[static_cast<size_t>(j)] + w * table[static_cast<size_t>(j + 1)] + 128;
    return {sum >= 0 ? sum / 256 : -((-sum + 255) / 256), e};
  }
};

void expect_same(const RangeReducedLut& lut, const Restated& restated, uint32_t x) {
  const RangeReducedLut::Output o = lut.lookup(x);
  const auto [y, e] = restated(x);
  ASSERT_EQ(o.y, y) << "X = " << x;
  ASSERT_EQ(o.shift, e) << "X = " << x;
}

TEST(RangeReducedLut, EveryInputClassMatchesTheRestatement) {
  std::mt19937_64 rng(4);
  for (const Function f : {Function::reciprocal, Function::rsqrt}) {
    SCOPED_TRACE(std::string(function_name(f)));
    const RangeReducedLut lut = RangeReducedLut::build(f);
    const Restated restated(f);
    for (size_t j = 0; j < restated.table.size(); ++j) ASSERT_EQ(lut.table().base_table()[j], restated.table[j]) << j;
    for (uint32_t x = 0; x < (1u << 17); ++x) expect_same(lut, restated, x);
    for (int p = 17; p < 32; ++p) {
      for (uint32_t mantissa = 0; mantissa < (1u << 16); ++mantissa) {
        // The 16 bits after the leading one (reciprocal) / the leading 16 bits (rsqrt, p even: shifted by one).
        const uint64_t top = (uint64_t{1} << p) | (static_cast<uint64_t>(mantissa) << (p - 16));
        const uint64_t low_mask = (uint64_t{1} << (p - 16)) - 1;
        expect_same(lut, restated, static_cast<uint32_t>(top));
        expect_same(lut, restated, static_cast<uint32_t>(top | low_mask));
        expect_same(lut, restated, static_cast<uint32_t>(top | (rng() & low_mask)));
      }
    }
    expect_same(lut, restated, 0xFFFFFFFFu);
  }
}

TEST(RangeReducedLut, AccurateOverTheWholeInputRange) {
  for (const Function f : {Function::reciprocal, Function::rsqrt}) {
    const RangeReducedLut lut = RangeReducedLut::build(f);
    double worst = 0;
    for (uint64_t x = 1; x < (uint64_t{1} << 32); x = x * 1.003 + 1) {
      const double truth = f == Function::reciprocal ? 1.0 / static_cast<double>(x) : 1.0 / std::sqrt(static_cast<double>(x));
      worst = std::max(worst, std::fabs(lut.value(static_cast<uint32_t>(x)) / truth - 1.0));
    }
    // Interpolation (256 intervals per octave or two) plus INT16 rounding: a few 1e-5, everywhere.
    EXPECT_LT(worst, 1e-4) << function_name(f);
  }
  EXPECT_EQ(RangeReducedLut::build(Function::reciprocal).value(0), RangeReducedLut::build(Function::reciprocal).value(1));
  EXPECT_THROW(RangeReducedLut::build(Function::gelu), Error);
}

TEST(RangeReducedLut, InputScaleMapsTheRangeOntoThirtyTwoBits) {
  for (const double top : {1e-3, 1.0, 4.0, 197.0, 3e9}) {
    const double s = range_reduced_input_scale(Function::rsqrt, top);
    EXPECT_LT(top / s, 4294967296.0) << top;
    EXPECT_GE(top / s, 1073741824.0) << top;  // within two bits of the top
    int exponent = 0;
    EXPECT_EQ(std::frexp(s, &exponent), 0.5);
    EXPECT_EQ((exponent - 1) % 2, 0) << "rsqrt needs an even power of two";
  }
  EXPECT_THROW(range_reduced_input_scale(Function::reciprocal, 0.0), Error);
}

TEST(RangeReducedLut, ExportAndGoldenVectorsRoundTrip) {
  const std::string dir = std::filesystem::temp_directory_path() / ("npusim_rr_" + std::to_string(::getpid()));
  const RangeReducedLut lut = RangeReducedLut::build(Function::rsqrt);
  const ExportedRangeReducedFiles exported = export_range_reduced_lut(lut, dir, "rsqrt_rr");
  const nlohmann::json manifest = nlohmann::json::parse(read_file(exported.manifest_path));
  EXPECT_EQ(manifest["format"], "npusim-lut-export");
  EXPECT_EQ(manifest["range"][1], 4.0);
  EXPECT_NE(manifest["range_reduction"]["mantissa_code"].get<std::string>().find("(4 * (M - 16384) + 1) / 3"), std::string::npos);
  const std::vector<int16_t> base = parse_readmemh(read_file(exported.base_path), exported.base_path);
  EXPECT_EQ(RangeReducedLut::from_table(Function::rsqrt, base), lut);
  EXPECT_THROW(RangeReducedLut::from_table(Function::rsqrt, std::vector<int16_t>(17, 0)), Error);

  const std::vector<uint32_t> stimulus = range_reduced_stimulus(100, 2);
  const RangeReducedGoldenFiles golden = write_range_reduced_golden(lut, stimulus, dir + "/golden");
  EXPECT_EQ(golden.count, static_cast<int64_t>(stimulus.size()));
  const std::vector<int32_t> inputs = parse_readmemh32(read_file(golden.stimulus_path), golden.stimulus_path);
  const std::vector<int32_t> expected = parse_readmemh32(read_file(golden.expected_path), golden.expected_path);
  ASSERT_EQ(inputs.size(), stimulus.size());
  const Restated restated(Function::rsqrt);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto [y, e] = restated(static_cast<uint32_t>(inputs[i]));
    ASSERT_EQ(static_cast<uint32_t>(expected[i]), (static_cast<uint32_t>(e) << 16) | static_cast<uint16_t>(y)) << i;
  }
  const nlohmann::json g = nlohmann::json::parse(read_file(golden.manifest_path));
  EXPECT_EQ(g["unit"], "bespoke_rr_lut");
  EXPECT_EQ(g["word_bits"], 32);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
