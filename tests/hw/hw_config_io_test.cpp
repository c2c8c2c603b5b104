#include "hw/hw_config_io.hpp"

#include <gtest/gtest.h>

#include "tests/error_text.hpp"

#include <functional>

#include "models/error.hpp"

namespace npusim::hw {
namespace {

using testing::error_of;

TEST(HwConfigIo, ReadsNestedKeysOverTheDefaults) {
  const HwConfig c = parse_hw_config("name: big\ndram:\n  bandwidth_gbps: 20\nmau:\n  rows: 64\n  dataflow: output_stationary\n"
                                     "nonlinear:\n  default_engine: dsp\n  softmax: lut\n",
                                     "c.yaml");
  EXPECT_EQ(c.name, "big");
  EXPECT_EQ(c.dram.bandwidth_gbps, 20.0);
  EXPECT_EQ(c.mau.rows, 64);
  EXPECT_EQ(c.mau.cols, HwConfig().mau.cols);
  EXPECT_EQ(c.mau.dataflow, Dataflow::output_stationary);
  EXPECT_EQ(c.nonlinear.engine_for(NonlinearKind::gelu), NonlinearEngine::dsp);
  EXPECT_EQ(c.nonlinear.engine_for(NonlinearKind::softmax), NonlinearEngine::lut);
}

TEST(HwConfigIo, EveryBadConfigClassIsRejectedWithItsPosition) {
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwith_gbps: 3\n", "c.yaml"); }),
            "c.yaml:2:3: unknown key 'dram.bandwith_gbps' (did you mean 'dram.bandwidth_gbps'?)");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: fast\n", "c.yaml"); }),
            "c.yaml:2:19: dram.bandwidth_gbps must be a number, got 'fast'");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: 0\n", "c.yaml"); }),
            "c.yaml:2:19: dram.bandwidth_gbps must be > 0 and <= 100000, got 0");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: -3\n", "c.yaml"); }),
            "c.yaml:2:19: dram.bandwidth_gbps must be > 0 and <= 100000, got -3");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: .nan\n", "c.yaml"); }),
            "c.yaml:2:19: dram.bandwidth_gbps must be a number, got '.nan'");
  EXPECT_EQ(error_of([] { parse_hw_config("mau:\n  rows: 3.5\n", "c.yaml"); }),
            "c.yaml:2:9: mau.rows must be a whole number, got '3.5'");
  EXPECT_EQ(error_of([] { parse_hw_config("mau:\n  rows: 0\n", "c.yaml"); }), "c.yaml:2:9: mau.rows must be in 1..4096, got 0");
  EXPECT_EQ(error_of([] { parse_hw_config("mau:\n  dataflow: row_stationary\n", "c.yaml"); }),
            "c.yaml:2:13: mau.dataflow must be one of weight_stationary, output_stationary, input_stationary, got 'row_stationary'");
  EXPECT_EQ(error_of([] { parse_hw_config("mau: 3\n", "c.yaml"); }), "c.yaml:1:6: mau is a section: it takes a map of keys");
  EXPECT_EQ(error_of([] { parse_hw_config("mau:\n  rows: [1, 2]\n", "c.yaml"); }),
            "c.yaml:2:9: mau.rows takes a single value, not a list or a map");
  EXPECT_EQ(error_of([] { parse_hw_config("- 1\n- 2\n", "c.yaml"); }), "c.yaml:1:1: a hardware config is a map of keys");
  EXPECT_NE(error_of([] { parse_hw_config("mau: {rows: 3\n", "c.yaml"); }).find("c.yaml:"), std::string::npos);
  EXPECT_EQ(error_of([] { parse_hw_config("nonlinear:\n  gelu: lutt\n", "c.yaml"); }),
            "c.yaml:2:9: nonlinear.gelu must be one of default, dsp, lut, nnlut, ibert, ivit, got 'lutt' (did you mean 'lut'?)");
}

TEST(HwConfigIo, OverridesUseTheSameKeys) {
  HwConfig c;
  apply_overrides(c, {"dram.bandwidth_gbps=20", "lut_unit.lanes=32", "nonlinear.gelu=dsp"});
  EXPECT_EQ(c.dram.bandwidth_gbps, 20.0);
  EXPECT_EQ(c.lut_unit.lanes, 32);
  EXPECT_EQ(c.nonlinear.engine_for(NonlinearKind::gelu), NonlinearEngine::dsp);
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dram.bandwidth=3"}); }),
            "--set dram.bandwidth=3: unknown config key 'dram.bandwidth' (did you mean 'dram.bandwidth_gbps'?)");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dram.bandwidth_gbps"}); }), "--set dram.bandwidth_gbps: expected key.path=value");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dma.channels=0"}); }),
            "--set dma.channels=0: dma.channels must be in 1..64, got 0");
}

TEST(HwConfigIo, DumpReadsBackToTheSameConfig) {
  HwConfig c;
  apply_overrides(c, {"dram.bandwidth_gbps=0.1", "mau.dataflow=output_stationary", "nonlinear.rmsnorm=ivit",
                      "dsp.costs.gelu_cycles=12.25", "name=point 7"});
  const std::string dumped = dump_hw_config(c);
  const HwConfig back = parse_hw_config(dumped, "dump.yaml");
  EXPECT_EQ(dump_hw_config(back), dumped);
  EXPECT_EQ(back.dram.bandwidth_gbps, 0.1);
  EXPECT_EQ(back.name, "point 7");
  // Every field is in the dump.
  for (const ConfigField& f : config_fields()) {
    const std::string key = f.path.substr(f.path.rfind('.') == std::string::npos ? 0 : f.path.rfind('.') + 1);
    EXPECT_NE(dumped.find(key + ":"), std::string::npos) << f.path;
  }
}

}  // namespace
}  // namespace npusim::hw

namespace npusim::hw {
namespace {

TEST(HwConfigIo, ShippedConfigsLoadAndTheDefaultIsThePaperNpu) {
  const std::string dir = std::string(NPUSIM_SOURCE_DIR) + "/configs/";
  const HwConfig paper = load_hw_config(dir + "paper_npu.yaml");
  EXPECT_EQ(dump_hw_config(paper), dump_hw_config(HwConfig()));
  const HwConfig fast = load_hw_config(dir + "paper_npu_20gbps.yaml");
  EXPECT_EQ(fast.dram.bandwidth_gbps, 20.0);
  HwConfig expected = paper;
  expected.name = "paper_npu_20gbps";
  expected.dram.bandwidth_gbps = 20.0;
  EXPECT_EQ(dump_hw_config(fast), dump_hw_config(expected));
  const HwConfig large = load_hw_config(dir + "large_npu.yaml");
  EXPECT_EQ(large.mau.rows * large.mau.cols, 8192);
  EXPECT_EQ(large.dsp.transfer_path, TransferPath::onchip);
}

}  // namespace
}  // namespace npusim::hw

namespace npusim::hw {
namespace {

TEST(HwConfigIo, TimingMechanismsAreConfigFields) {
  const HwConfig c = parse_hw_config(
      "mau:\n  dataflow: input_stationary\n  int16_operand_passes: 3\n  stationary_preload: overlapped\n"
      "  im2col: address_generator\nsram:\n  accumulator_kib: 32\n  double_buffered: yes\n",
      "c.yaml");
  EXPECT_EQ(c.mau.dataflow, Dataflow::input_stationary);
  EXPECT_EQ(c.mau.int16_operand_passes, 3);
  EXPECT_EQ(c.mau.stationary_preload, PreloadMode::overlapped);
  EXPECT_EQ(c.mau.im2col, Im2colMode::address_generator);
  EXPECT_EQ(c.sram.accumulator_kib, 32);
  EXPECT_TRUE(c.sram.double_buffered);
  // The fitted derate is gone; a config that still sets it is told so.
  EXPECT_EQ(error_of([] { parse_hw_config("mau:\n  compute_efficiency: 0.12\n", "c.yaml"); }).rfind("c.yaml:2:3: unknown key 'mau.compute_efficiency'", 0),
            0u);
  EXPECT_EQ(error_of([] { parse_hw_config("sram:\n  double_buffered: maybe\n", "c.yaml"); }),
            "c.yaml:2:20: sram.double_buffered must be one of yes, no, got 'maybe'");
}

}  // namespace
}  // namespace npusim::hw
