#include "hw/config/sweep_spec.hpp"

#include <gtest/gtest.h>

#include <set>

#include "tests/error_text.hpp"

namespace npusim::hw {
namespace {

using testing::error_of;

const std::string kHead = "format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: vit_base}\n  - {model: tinyllama, tokens: 256}\n";

TEST(SweepSpec, CartesianAndZippedExpansion) {
  const SweepSpec cartesian = parse_sweep_spec(kHead + "engines: [dsp, lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3, 20]}\n"
                                                       "  - {path: lut_unit.lanes, range: {from: 4, to: 16, factor: 2}}\n", "s.yaml");
  const auto points = cartesian.points();
  ASSERT_EQ(points.size(), 2u * 2u * 2u * 3u);
  EXPECT_EQ(points[0].id, "p00000");
  EXPECT_EQ(points[0].values, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(points[1].values, (std::vector<std::string>{"3", "8"}));  // the last axis varies fastest
  EXPECT_EQ(points[6].engine, "lut");
  EXPECT_EQ(points[12].workload, 1);
  const auto args = cartesian.run_args(points[12]);
  EXPECT_NE(std::find(args.begin(), args.end(), "--tokens"), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "dram.bandwidth_gbps=3"), args.end());
  const SweepSpec zipped = parse_sweep_spec(kHead + "engines: [lut]\ncombine: zipped\naxes:\n  - {path: mau.rows, values: [16, 32, 64]}\n"
                                                    "  - {path: mau.cols, range: {from: 32, to: 128, factor: 2}}\n", "s.yaml");
  ASSERT_EQ(zipped.points().size(), 2u * 3u);
  EXPECT_EQ(zipped.points()[2].values, (std::vector<std::string>{"64", "128"}));
}

TEST(SweepSpec, ShardsCoverEveryPointExactlyOnce) {
  const SweepSpec spec = parse_sweep_spec(kHead + "engines: [dsp, lut, nnlut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1, to: 7, step: 1}}\n", "s.yaml");
  const auto all = spec.points();
  for (const int shards : {1, 2, 3, 5, 64}) {
    std::multiset<int> seen;
    for (int s = 0; s < shards; ++s) {
      for (const auto& p : shard_points(all, s, shards)) seen.insert(p.index);
    }
    EXPECT_EQ(seen.size(), all.size());
    for (const auto& p : all) EXPECT_EQ(seen.count(p.index), 1u);
  }
  EXPECT_THROW(shard_points(all, 3, 3), Error);
}

TEST(SweepSpec, BadSpecsAreRejectedWithTheirPosition) {
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [dsp]\naxis: []\n", "s.yaml"); }),
            "s.yaml:7:1: unknown key 'axis' (did you mean 'axes'?)");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [dsp, lutt]\n", "s.yaml"); }),
            "s.yaml:6:16: unknown non-linear engine 'lutt' (did you mean 'lut'?); known: dsp, lut, nnlut, ibert, ivit");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: []\n", "s.yaml"); }), "s.yaml:6:10: engines must not be empty");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [lut]\naxes:\n  - {path: dram.bandwith_gbps, values: [3]}\n", "s.yaml"); }),
            "s.yaml:8:41: axis dram.bandwith_gbps: unknown config key 'dram.bandwith_gbps' (did you mean 'dram.bandwidth_gbps'?)");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3, 0]}\n", "s.yaml"); }),
            "s.yaml:8:45: axis dram.bandwidth_gbps: dram.bandwidth_gbps must be in 0.01..100000 GB/s, got 0");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [lut]\ncombine: zipped\naxes:\n  - {path: mau.rows, values: [16, 32]}\n"
                                                   "  - {path: mau.cols, values: [32]}\n", "s.yaml"); }),
            "s.yaml:9:3: zipped axes need the same number of values");
  EXPECT_EQ(error_of([] { parse_sweep_spec(kHead + "engines: [lut]\naxes:\n  - {path: mau.rows, range: {from: 8, to: 4, step: 2}}\n", "s.yaml"); }),
            "s.yaml:8:29: a range needs from <= to");
  EXPECT_EQ(error_of([] { parse_sweep_spec("format: npusim-sweep\nversion: 1\nworkloads: [{model: vit}]\nengines: [lut]\n", "s.yaml"); }),
            "s.yaml:3:21: unknown model 'vit' (did you mean 'vit_base'?); known: vit_base, deit_tiny, efficientformer_l1, "
            "efficientformer_l3, detr_r50, bert_base, tinyllama, smollm, opt_1_3b");
  EXPECT_NE(error_of([] { load_sweep_spec("/nonexistent.yaml"); }).find("cannot read"), std::string::npos);
}

std::string spec_error(const std::string& tail) { return error_of([&] { parse_sweep_spec(kHead + tail, "s.yaml"); }); }

// Regression (issue 13): `from: 1e16, step: 1` never advanced and hung; a factor of 1.0000000000000002
// never ended. Ranges are counted before any value is generated.
TEST(SweepSpec, RangesThatDoNotAdvanceAreRefusedBeforeAnyValueIsMade) {
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1e16, to: 2e16, step: 1}}\n"),
            "s.yaml:8:40: the range has 10000000000000000 values, more than the limit of 100000 per axis");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1e16, to: 1.00000000000001e16, step: 1}}\n"),
            "s.yaml:8:40: the step 1 does not advance 1e+16 (consecutive values print alike at 10 significant digits)");
  // log(32) / log(1.0000000000000002): about 1.56e16 values (the last digits depend on the libm).
  const std::string factor = spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1, to: 32, factor: 1.0000000000000002}}\n");
  EXPECT_EQ(factor.rfind("s.yaml:8:40: the range has 1560828692", 0), 0u) << factor;
  EXPECT_NE(factor.find(" values, more than the limit of 100000 per axis"), std::string::npos) << factor;
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1, to: 2, step: 1e-300}}\n"),
            "s.yaml:8:40: the range has 1e+300 values, more than the limit of 100000 per axis");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 1, to: 1.0000001, step: 1e-11}}\n"),
            "s.yaml:8:40: the step 1e-11 does not advance 1 (consecutive values print alike at 10 significant digits)");
  // The end of a range is reached despite rounding in the steps, for negative bounds too.
  const SweepSpec fine = parse_sweep_spec(kHead + "engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 0.1, to: 0.7, step: 0.1}}\n", "s.yaml");
  EXPECT_EQ(fine.axes[0].values, (std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"}));
}

// Regression (issue 13): a 4e13-point cartesian product was built (memory growing by 200 MB/s) before its
// size was checked.
TEST(SweepSpec, HugeProductsAreCountedNotBuilt) {
  const std::string axes = "  - {path: lut_unit.lanes, range: {from: 1, to: 4096, step: 1}}\n"
                           "  - {path: mau.rows, range: {from: 1, to: 4096, step: 1}}\n"
                           "  - {path: mau.cols, range: {from: 1, to: 4096, step: 1}}\n";
  EXPECT_EQ(spec_error("engines: [dsp, lut]\naxes:\n" + axes), "s.yaml:1:1: the sweep has 274877906944 points, more than the limit of 100000");
  std::string many = "engines: [lut]\naxes:\n";
  for (const char* path : {"lut_unit.lanes", "mau.rows", "mau.cols", "dsp.lanes", "nnlut_unit.lanes", "mau.vector_lanes"}) {
    many += std::string("  - {path: ") + path + ", range: {from: 1, to: 4096, step: 1}}\n";
  }
  EXPECT_EQ(spec_error(many), "s.yaml:1:1: the sweep has more than 2^63 points, more than the limit of 100000");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: lut_unit.lanes, range: {from: 1, to: 4096, step: 1}}\n"
                       "  - {path: dsp.lanes, range: {from: 1, to: 13, step: 1}}\n"),
            "s.yaml:1:1: the sweep has 106496 points, more than the limit of 100000");
}

// Zipped axes pair their values: one axis may repeat a value as long as the points differ.
TEST(SweepSpec, ZippedAxesMayRepeatAValueButNotAPoint) {
  const SweepSpec spec = parse_sweep_spec(kHead + "engines: [lut]\ncombine: zipped\naxes:\n  - {path: mau.rows, values: [32, 32, 64]}\n"
                                          "  - {path: mau.cols, values: [16, 64, 64]}\n", "s.yaml");
  ASSERT_EQ(spec.points().size(), 2u * 3u);
  EXPECT_EQ(spec.points()[1].values, (std::vector<std::string>{"32", "64"}));
  EXPECT_EQ(spec_error("engines: [lut]\ncombine: zipped\naxes:\n  - {path: mau.rows, values: [32, 64, 32]}\n"
                       "  - {path: mau.cols, values: [16, 64, 16]}\n"),
            "s.yaml:9:3: zipped value 3 (mau.rows=32, mau.cols=16) repeats value 1: one design point under two point ids");
}

// Regression (issue 13): a key, an axis, an engine, a workload or a value given twice was accepted (the
// later --set silently won, or the same point ran twice under two ids).
TEST(SweepSpec, AnythingGivenTwiceIsRefused) {
  EXPECT_EQ(spec_error("engines: [lut]\nengines: [dsp]\n"), "s.yaml:7:1: duplicate key 'engines' (first given at line 6, column 1)");
  EXPECT_EQ(spec_error("engines: [lut, dsp, lut]\n"), "s.yaml:6:21: engine lut is listed twice");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3]}\n  - {path: dram.bandwidth_gbps, values: [6]}\n"),
            "s.yaml:9:12: axis dram.bandwidth_gbps is given twice: give its values in one axis");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3, 6, 3.0]}\n"),
            "s.yaml:8:48: value 3.0 is listed twice in axis dram.bandwidth_gbps");
  EXPECT_EQ(error_of([] {
              parse_sweep_spec("format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: vit_base}\n  - {model: vit_base}\nengines: [lut]\n",
                               "s.yaml");
            }),
            "s.yaml:5:5: workload vit_base is listed twice (first at line 4, column 5)");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [0, 6, -0]}\n"),
            "s.yaml:8:48: value -0 is listed twice in axis dram.bandwidth_gbps");
  EXPECT_EQ(spec_error("engines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3], values: [4]}\n"),
            "s.yaml:8:46: duplicate key 'values' (first given at line 8, column 33)");
}

}  // namespace
}  // namespace npusim::hw
