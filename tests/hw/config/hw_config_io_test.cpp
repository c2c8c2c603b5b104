#include "hw/config/hw_config_io.hpp"

#include <gtest/gtest.h>

#include "tests/error_text.hpp"
#include "tests/cli_runner.hpp"

#include <cmath>
#include <filesystem>
#include <functional>

#include "common/error.hpp"
#include "common/atomic_file.hpp"

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
            "c.yaml:2:19: dram.bandwidth_gbps must be in 0.01..100000 GB/s, got 0");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: -3\n", "c.yaml"); }),
            "c.yaml:2:19: dram.bandwidth_gbps must be in 0.01..100000 GB/s, got -3");
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

// Regression (issue 13): --set dram.bandwidth_gbps=1e-300 (or 1e-12), and the same for clock_ghz, ran with
// exit 0 and reported a saturated 9.2e9 ms total or a negative non-linear time.
TEST(HwConfigIo, ValuesOutsideThePhysicalRangeAreRefusedWithTheRangeNamed) {
  HwConfig c;
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dram.bandwidth_gbps=1e-300"}); }),
            "--set dram.bandwidth_gbps=1e-300: dram.bandwidth_gbps must be in 0.01..100000 GB/s, got 1e-300");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dram.bandwidth_gbps=1e-12"}); }),
            "--set dram.bandwidth_gbps=1e-12: dram.bandwidth_gbps must be in 0.01..100000 GB/s, got 1e-12");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"clock_ghz=1e-12"}); }),
            "--set clock_ghz=1e-12: clock_ghz must be in 0.01..10 GHz, got 1e-12");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dsp.onchip_bandwidth_gbps=1e-300"}); }),
            "--set dsp.onchip_bandwidth_gbps=1e-300: dsp.onchip_bandwidth_gbps must be in 0.01..100000 GB/s, got 1e-300");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"sram.weight_kib=0"}); }),
            "--set sram.weight_kib=0: sram.weight_kib must be in 1..4194304 KiB, got 0");
  EXPECT_EQ(error_of([&] { apply_overrides(c, {"dram.latency_ns=1e300"}); }),
            "--set dram.latency_ns=1e300: dram.latency_ns must be in 0..1000000 ns, got 1e300");
  apply_overrides(c, {"dram.bandwidth_gbps=0.01", "clock_ghz=10"});  // the ends of the ranges are accepted
  EXPECT_EQ(c.dram.bandwidth_gbps, 0.01);
}

// Every numeric field, including ones added later, carries a closed physical range: an open bound at 0
// admits 1e-300, and a rate or an efficiency that may be 0 is a division by zero in the timing model.
TEST(HwConfigIo, EveryNumericFieldHasAClosedPhysicalRange) {
  for (const ConfigField& f : config_fields()) {
    if (f.kind != ConfigField::Kind::integer && f.kind != ConfigField::Kind::real) continue;
    EXPECT_FALSE(f.min_exclusive) << f.path;
    EXPECT_TRUE(std::isfinite(f.min) && std::isfinite(f.max) && f.min <= f.max && f.min >= 0) << f.path;
    const bool rate = f.unit == "GB/s" || f.unit == "GHz" || f.path.find("efficiency") != std::string::npos;
    if (rate) {
      EXPECT_GT(f.min, 0.0) << f.path << " is a rate: its lower bound must be above 0";
    }
    // The range is documented beside the field in the effective config.
    EXPECT_NE(dump_hw_config(HwConfig()).find(f.help + ", in "), std::string::npos) << f.path;
  }
}

// Regression (issue 13): an empty or comment-only config ran as the paper NPU; a key given twice kept one.
TEST(HwConfigIo, EmptyConfigsAndKeysGivenTwiceAreRefused) {
  for (const char* empty : {"", "\n", "# nothing here\n", "~\n"}) {
    EXPECT_EQ(error_of([&] { parse_hw_config(empty, "c.yaml"); }),
              "c.yaml:1:1: the config holds no settings (empty, or only comments); leave out --config for the built-in paper NPU");
  }
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: 3\n  bandwidth_gbps: 6\n", "c.yaml"); }),
            "c.yaml:3:3: duplicate key 'bandwidth_gbps' (first given at line 2, column 3)");
  EXPECT_EQ(error_of([] { parse_hw_config("dram:\n  bandwidth_gbps: 3\ndram.bandwidth_gbps: 6\n", "c.yaml"); }),
            "c.yaml:3:1: dram.bandwidth_gbps is given twice (first at line 2, column 3)");
  EXPECT_EQ(error_of([] { parse_hw_config("dram: {latency_ns: 3}\ndram: {bandwidth_gbps: 6}\n", "c.yaml"); }),
            "c.yaml:2:1: duplicate key 'dram' (first given at line 1, column 1)");
}

// Regression (issue 13): a config cut off at a section boundary ran with the defaults for the rest
// without a word; the fields left at the defaults are now named (whole sections once).
TEST(HwConfigIo, FieldsLeftAtTheDefaultsAreNamed) {
  const std::string paper = read_file(std::string(NPUSIM_SOURCE_DIR) + "/configs/paper_npu.yaml");
  std::vector<std::string> not_given;
  parse_hw_config(paper, "paper_npu.yaml", &not_given);
  EXPECT_TRUE(not_given.empty()) << defaults_note("paper_npu.yaml", not_given);
  EXPECT_EQ(defaults_note("paper_npu.yaml", not_given), "");
  const std::string cut = paper.substr(0, paper.find("\ndram:") + 1);
  parse_hw_config(cut, "cut.yaml", &not_given);
  EXPECT_EQ(defaults_note("cut.yaml", not_given), "cut.yaml: not in the file, so the paper NPU's values are used: dram, dma, sram, "
                                                  "compiler, nonlinear, energy");
  parse_hw_config("dram:\n  bandwidth_gbps: 3\n", "c.yaml", &not_given);
  const std::string note = defaults_note("c.yaml", not_given);
  EXPECT_NE(note.find(": name, clock_ghz, mau, lut_unit,"), std::string::npos) << note;
  EXPECT_NE(note.find(", dram.latency_ns, dram.efficiency, dram.model, dma, "), std::string::npos) << note;
}

// Loading is memoised by the file's text (a sweep's points read the same base config): a file changed
// between two loads is read anew, its errors and its defaults included.
TEST(HwConfigIo, LoadingAFileAgainSeesItsCurrentText) {
  const std::string dir = testing::make_temp_dir("npusim_config");
  const std::string path = dir + "/c.yaml";
  std::vector<std::string> not_given;
  write_file_atomically(path, "dram:\n  bandwidth_gbps: 3\n");
  EXPECT_EQ(load_hw_config(path, &not_given).dram.bandwidth_gbps, 3.0);
  const size_t defaults = not_given.size();
  EXPECT_EQ(load_hw_config(path).dram.bandwidth_gbps, 3.0);
  write_file_atomically(path, "dram:\n  bandwidth_gbps: 20\nclock_ghz: 1\n");
  EXPECT_EQ(load_hw_config(path, &not_given).dram.bandwidth_gbps, 20.0);
  EXPECT_EQ(not_given.size(), defaults - 1);
  write_file_atomically(path, "dram:\n  bandwidth_gbps: 0\n");
  EXPECT_NE(error_of([&] { load_hw_config(path); }).find("c.yaml:2:"), std::string::npos);
  write_file_atomically(path, "dram:\n  bandwidth_gbps: 20\nclock_ghz: 1\n");
  EXPECT_EQ(load_hw_config(path).dram.bandwidth_gbps, 20.0);
  std::filesystem::remove_all(dir);
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

TEST(HwConfigIo, TheCompilersAttentionMappingIsAConfigField) {
  EXPECT_EQ(HwConfig{}.compiler.attention, AttentionMapping::fused);
  EXPECT_FALSE(HwConfig{}.compiler.causal_skip);
  const HwConfig c = parse_hw_config("compiler:\n  attention: unfused\n  causal_skip: yes\n", "c.yaml");
  EXPECT_EQ(c.compiler.attention, AttentionMapping::unfused);
  EXPECT_TRUE(c.compiler.causal_skip);
  EXPECT_EQ(error_of([] { parse_hw_config("compiler:\n  attention: fuse\n", "c.yaml"); }),
            "c.yaml:2:14: compiler.attention must be one of fused, unfused, got 'fuse' (did you mean 'fused'?)");
}

}  // namespace
}  // namespace npusim::hw
