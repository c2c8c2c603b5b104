// The lookup path check-rtl prints beside a mismatch: table, interval j, weight w (and bespoke-rr's
// exponent and mantissa code, NN-LUT's segment). Checked by rebuilding every output from the path with
// SPEC 2.2's interpolation, written out here, not with the unit's own code.
#include "models/rtl/golden_lookup_path.hpp"

#include <gtest/gtest.h>

#include "models/lut/bespoke_lut.hpp"
#include "models/lut/range_reduced_lut.hpp"

namespace npusim {
namespace {

int16_t interpolate_from_path(const std::vector<int16_t>& table, const LookupPath& path, int step_bits) {
  const int64_t lo = table[static_cast<size_t>(path.interval)], hi = table[static_cast<size_t>(path.interval + 1)];
  const int64_t sum = ((int64_t{1} << step_bits) - path.weight) * lo + path.weight * hi + (int64_t{1} << (step_bits - 1));
  return static_cast<int16_t>(sum >> step_bits);  // arithmetic shift
}

GoldenSet bespoke_set(const BespokeLut& lut) {
  GoldenSet set;
  set.manifest.unit = "bespoke_lut";
  set.manifest.index_bits = lut.index_bits();
  if (lut.has_dual_range()) set.manifest.files["dual"] = "dual.hex";
  return set;
}

TEST(GoldenLookupPath, EveryCodeOfADualRangeTableIsRebuiltFromItsPath) {
  LutOptions options;
  options.dual_range = DualRangeMode::on;
  const BespokeLut lut = BespokeLut::build(Function::reciprocal, 0.05, 8.0, options);
  ASSERT_TRUE(lut.has_dual_range());
  const GoldenSet set = bespoke_set(lut);
  int64_t dual_codes = 0;
  for (uint32_t code = 0; code < 65536; ++code) {
    const LookupPath path = golden_lookup_path(set, static_cast<int32_t>(code));
    const bool dual = path.table == "dual";
    dual_codes += dual ? 1 : 0;
    ASSERT_EQ(interpolate_from_path(dual ? lut.dual_table() : lut.base_table(), path, dual ? 4 : 8),
              lut.lookup(static_cast<uint16_t>(code)))
        << "code " << code;
  }
  EXPECT_EQ(dual_codes, 256);  // the first base interval, 16 times finer
}

TEST(GoldenLookupPath, TablesOfOtherIndexWidthsSplitCodesAtTheirWidth) {
  LutOptions options;
  options.index_bits = 6;
  options.dual_range = DualRangeMode::off;
  const BespokeLut lut = BespokeLut::build(Function::gelu, -8.0, 8.0, options);
  const GoldenSet set = bespoke_set(lut);
  for (uint32_t code = 0; code < 65536; code += 7) {
    const LookupPath path = golden_lookup_path(set, static_cast<int32_t>(code));
    EXPECT_EQ(path.table, "base");
    EXPECT_EQ(path.interval, code / 1024);
    EXPECT_EQ(path.weight, code % 1024);
    ASSERT_EQ(interpolate_from_path(lut.base_table(), path, 10), lut.lookup(static_cast<uint16_t>(code))) << code;
  }
}

TEST(GoldenLookupPath, RangeReducedInputsGiveTheirExponentMantissaCodeAndInterval) {
  for (const Function f : {Function::reciprocal, Function::rsqrt}) {
    const RangeReducedLut lut = RangeReducedLut::build(f);
    GoldenSet set;
    set.manifest.unit = "bespoke_rr_lut";
    set.manifest.function = f == Function::reciprocal ? "reciprocal" : "rsqrt";
    for (const uint32_t x : {1u, 2u, 3u, 255u, 65536u, 65537u, 1000000u, 0x7fffffffu}) {
      const LookupPath path = golden_lookup_path(set, static_cast<int32_t>(x));
      const RangeReducedLut::Output out = lut.lookup(x);
      EXPECT_EQ(path.exponent, out.shift) << x;
      EXPECT_EQ(path.table, "base");
      EXPECT_EQ(path.interval, path.table_code >> 8);
      EXPECT_EQ(interpolate_from_path(lut.table().base_table(), path, 8), out.y) << x;
    }
  }
}

TEST(GoldenLookupPath, NnLutSegmentCountsTheBreakpointsAtOrBelowTheInput) {
  GoldenSet set;
  set.manifest.unit = "nnlut";
  set.breakpoints = {-5, 0, 7};
  const std::pair<int32_t, int64_t> cases[] = {{-6, 0}, {-5, 1}, {-1, 1}, {0, 2}, {6, 2}, {7, 3}, {1 << 30, 3}};
  for (const auto& [x, k] : cases) {
    const LookupPath path = golden_lookup_path(set, x);
    EXPECT_EQ(path.table, "segments");
    EXPECT_EQ(path.interval, k) << x;
    EXPECT_EQ(path.weight, -1);
  }
}

}  // namespace
}  // namespace npusim
