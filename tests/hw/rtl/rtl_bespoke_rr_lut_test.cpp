// The range-reduced LUT unit's RTL (hw/rtl/bespoke_rr_lut_unit.v) end to end: golden vectors from
// `npusim golden --unit bespoke-rr`, the unit run by its Icarus testbench, the dump checked by
// `npusim check-rtl`; a planted fault must be caught; the RTL is lint-clean under verilator -Wall.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::kRtlDir;

using testing::shell;

int file_line_count(const std::string& path) {
  const std::string text = testing::read_whole_file(path);
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string run_icarus(const std::string& golden, bool rsqrt, const std::string& defines) {
  const std::string binary = golden + "/tb" + std::to_string(std::hash<std::string>{}(defines));
  const std::string dump = binary + ".out.hex";
  EXPECT_EQ(shell("iverilog -g2005 " + std::string(rsqrt ? "-DRSQRT_UNIT " : "") + defines + " -o " + binary + " " + kRtlDir +
                  "bespoke_rr_lut_unit.v " + kRtlDir + "bespoke_lut_unit.v " + kRtlDir + "tb/bespoke_rr_lut_tb.v"),
            0);
  EXPECT_EQ(shell("vvp -n " + binary + " +base=" + golden + "/base.hex +stimulus=" + golden + "/stimulus.hex +count=" +
                  std::to_string(file_line_count(golden + "/stimulus.hex")) + " +out=" + dump + " > /dev/null"),
            0);
  return dump;
}

TEST(RtlBespokeRrLut, IcarusRunMatchesTheReference) {
  for (const std::string function : {"reciprocal", "rsqrt"}) {
    SCOPED_TRACE(function);
    const std::string golden = testing::make_temp_dir("npusim_rr_rtl");
    const auto made = testing::run_npusim("golden --unit bespoke-rr --function " + function + " --codes 2000 --out " + golden);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const std::string dump = run_icarus(golden, function == "rsqrt", "");
    const auto check = testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("PASS"), std::string::npos) << check.out;
  }
}

TEST(RtlBespokeRrLut, PlantedFaultIsCaught) {
  const std::string golden = testing::make_temp_dir("npusim_rr_rtl");
  ASSERT_EQ(testing::run_npusim("golden --unit bespoke-rr --function rsqrt --codes 100 --out " + golden).exit_code, 0);
  const std::string dump = run_icarus(golden, true, "-DFAULT_DIVIDE_BY_THREE");
  const auto check = testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump);
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_NE(check.out.find("FAIL"), std::string::npos) << check.out;
}

TEST(RtlBespokeRrLut, LintCleanUnderVerilatorWall) {
  if (shell("command -v verilator > /dev/null") != 0) GTEST_SKIP() << "verilator is not installed";
  for (const std::string parameters : {"-GRSQRT=0 -GLANES=1", "-GRSQRT=1 -GLANES=4"}) {
    EXPECT_EQ(shell("verilator --lint-only -Wall " + parameters + " --top-module bespoke_rr_lut_unit " + kRtlDir + "bespoke_rr_lut_unit.v " +
                    kRtlDir + "bespoke_lut_unit.v"),
              0)
        << parameters;
  }
}

TEST(RtlBespokeRrLut, GoldenRefusesOtherFunctions) {
  const std::string golden = testing::make_temp_dir("npusim_rr_rtl");
  const auto r = testing::run_npusim("golden --unit bespoke-rr --function gelu --out " + golden);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("computes reciprocal and rsqrt"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace npusim
