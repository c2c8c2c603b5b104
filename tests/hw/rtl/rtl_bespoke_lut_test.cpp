// The RTL validation flow end to end with Icarus Verilog: golden vectors from npusim, the Bespoke LUT
// unit's RTL run by its testbench, the dump checked by `npusim check-rtl`; and RTL variants with a
// planted fault, each of which the flow must catch.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::kRtlDir;

using testing::shell;

// Compiles the testbench (with `defines`), runs it on the golden set in `golden`, returns the dump path.
std::string run_icarus(const std::string& golden, const std::string& defines, int count, bool dual) {
  const std::string binary = golden + "/tb" + std::to_string(std::hash<std::string>{}(defines));
  const std::string dump = binary + ".out.hex";
  EXPECT_EQ(shell("iverilog -g2005 " + defines + " -o " + binary + " " + kRtlDir + "bespoke_lut_unit.v " + kRtlDir +
                  "tb/bespoke_lut_tb.v"),
            0);
  EXPECT_EQ(shell("vvp -n " + binary + " +base=" + golden + "/base.hex" + (dual ? " +dual=" + golden + "/dual.hex" : "") +
                  " +stimulus=" + golden + "/stimulus.hex +count=" + std::to_string(count) + " +out=" + dump +
                  " > /dev/null"),
            0);
  return dump;
}

TEST(RtlBespokeLut, IcarusRunMatchesTheReferenceOnEveryCode) {
  const struct { std::string function, range; bool dual; } cases[] = {
      {"rsqrt", "0,4", true}, {"gelu", "-8,8", false}, {"reciprocal", "0.01,8", true}, {"silu", "-12,9", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.function);
    const std::string golden = testing::make_temp_dir("npusim_rtl");
    const auto made = testing::run_npusim("golden --function " + c.function + " --range " + c.range + " --out " + golden);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const std::string dump = run_icarus(golden, "", 65536, c.dual);
    const auto check = testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("PASS: 65536 of 65536"), std::string::npos) << check.out;
  }
}

TEST(RtlBespokeLut, EveryPlantedFaultIsCaught) {
  const std::string golden = testing::make_temp_dir("npusim_rtl");
  ASSERT_EQ(testing::run_npusim("golden --function rsqrt --range 0,4 --out " + golden).exit_code, 0);
  for (const char* fault : {"FAULT_ROUNDING", "FAULT_SWAPPED_WEIGHTS", "FAULT_DUAL_BOUNDARY"}) {
    SCOPED_TRACE(fault);
    const std::string dump = run_icarus(golden, std::string("-D") + fault, 65536, true);
    const auto check = testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump);
    EXPECT_EQ(check.exit_code, 1) << check.out;
    EXPECT_NE(check.out.find("FAIL"), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("first mismatches"), std::string::npos) << check.out;
  }
}

TEST(RtlBespokeLut, RandomStimulusWithCornersAlsoPasses) {
  const std::string golden = testing::make_temp_dir("npusim_rtl");
  ASSERT_EQ(testing::run_npusim("golden --function exp --range -16,0 --dual-range on --codes 3000 --seed 9 --out " + golden).exit_code, 0);
  const std::string stimulus = testing::read_whole_file(golden + "/stimulus.hex");
  const int count = static_cast<int>(std::count(stimulus.begin(), stimulus.end(), '\n'));
  EXPECT_GT(count, 3000);  // the corner codes come first
  const std::string dump = run_icarus(golden, "", count, true);
  EXPECT_EQ(testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump).exit_code, 0);
}

TEST(RtlBespokeLut, OpRowsAndTraceInstancesAtTheUnitBoundaryPass) {
  const std::string golden = testing::make_temp_dir("npusim_rtl");
  ASSERT_EQ(testing::run_npusim("golden --op softmax --shape 6,128 --out " + golden + "/softmax").exit_code, 0);
  ASSERT_EQ(testing::run_npusim("golden --op layernorm --shape 16,64 --out " + golden + "/ln").exit_code, 0);
  ASSERT_EQ(testing::run_npusim("golden --model tinyllama --instance blocks.0.norm1 --out " + golden + "/trace").exit_code, 0);
  for (const std::string set : {"/softmax/exp", "/softmax/reciprocal", "/ln/rsqrt", "/trace/rsqrt"}) {
    SCOPED_TRACE(set);
    const std::string dir = golden + set;
    const std::string stimulus = testing::read_whole_file(dir + "/stimulus.hex");
    const int count = static_cast<int>(std::count(stimulus.begin(), stimulus.end(), '\n'));
    const bool dual = !testing::read_whole_file(dir + "/dual.hex").empty();
    const std::string dump = run_icarus(dir, "", count, dual);
    EXPECT_EQ(testing::run_npusim("check-rtl --expected " + dir + " --actual " + dump).exit_code, 0);
  }
  const auto missing = testing::run_npusim("golden --model vit_base --instance blocks.0.nope --out " + golden + "/x");
  EXPECT_EQ(missing.exit_code, 1);
}

TEST(RtlBespokeLut, VerilatorRunMatchesTheReferenceOnEveryCode) {
  const std::string testbench = NPUSIM_VERILATOR_TB;
  if (testbench.empty()) GTEST_SKIP() << "Verilator was not found at configure time";
  const struct { std::string function, range; bool dual; } cases[] = {{"rsqrt", "1e-4,4", true}, {"tanh", "-5,5", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.function);
    const std::string golden = testing::make_temp_dir("npusim_rtl");
    ASSERT_EQ(testing::run_npusim("golden --function " + c.function + " --range " + c.range + " --out " + golden).exit_code, 0);
    const std::string dump = golden + "/verilator.out.hex";
    ASSERT_EQ(shell(testbench + " " + golden + "/base.hex " + (c.dual ? golden + "/dual.hex" : std::string("-")) + " " +
                    golden + "/stimulus.hex " + dump),
              0);
    const auto check = testing::run_npusim("check-rtl --expected " + golden + " --actual " + dump);
    EXPECT_EQ(check.exit_code, 0) << check.out;
  }
}

}  // namespace
}  // namespace npusim
