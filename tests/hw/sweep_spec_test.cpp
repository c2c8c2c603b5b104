#include "hw/sweep_spec.hpp"

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
            "s.yaml:8:45: axis dram.bandwidth_gbps: dram.bandwidth_gbps must be > 0 and <= 100000, got 0");
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

}  // namespace
}  // namespace npusim::hw
