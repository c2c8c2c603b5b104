#include "tools/yosys_area.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.hpp"

namespace npusim::cli {
namespace {

TEST(YosysArea, ParsesTheLastStatisticsSection) {
  const std::string log =
      "4. Printing statistics.\n   Number of cells: 3\n     $_AND_ 1\n"
      "5. Printing statistics.\n\n=== top ===\n   Number of wires: 9\n   Number of cells: 7\n"
      "     $_AND_                 2\n     $_DFFE_PP_             3\n     $_MUX_                 2\n";
  const AreaEstimate a = parse_yosys_stat(log, "unit");
  EXPECT_EQ(a.cells, 7);
  EXPECT_EQ(a.flip_flops, 3);
  EXPECT_NEAR(a.nand2_equivalents, 2 * 1.33 + 3 * 5.5 + 2 * 2.33, 1e-9);
  EXPECT_THROW(parse_yosys_stat("no statistics here", "unit"), Error);
}

TEST(YosysArea, SmallerTablesSynthesiseSmaller) {
  const std::string rtl = std::string(NPUSIM_SOURCE_DIR) + "/hw/rtl/bespoke_lut_unit.v";
  const AreaEstimate small = synthesize_area("4-bit", {rtl}, "bespoke_lut_unit", {{"INDEX_BITS", 4}, {"HAS_DUAL", 0}});
  const AreaEstimate dual = synthesize_area("4-bit + dual", {rtl}, "bespoke_lut_unit", {{"INDEX_BITS", 4}, {"HAS_DUAL", 1}});
  // 17 entries of 16 bits, plus pipeline registers; the dual table adds 17 more entries.
  EXPECT_GE(small.flip_flops, 17 * 16);
  EXPECT_GE(dual.flip_flops, small.flip_flops + 17 * 16);
  EXPECT_GT(dual.nand2_equivalents, small.nand2_equivalents);
}

TEST(YosysArea, SynthesisStepsAreReadFromTheLog) {
  EXPECT_EQ(synthesis_step("3.4. Executing PROC pass.\n"), "PROC");
  EXPECT_EQ(synthesis_step("3.25. Executing ABC pass (technology mapping using ABC).\n"), "ABC (technology mapping using ABC)");
  EXPECT_EQ(synthesis_step("3. Executing SYNTH pass."), "");     // the script command itself
  EXPECT_EQ(synthesis_step("3.4.1. Executing PROC_CLEAN pass"), "");  // a sub-step
  EXPECT_EQ(synthesis_step("Number of cells: 7"), "");
}

TEST(YosysArea, EachSynthesisStepIsAnnouncedAsItStarts) {
  const std::string rtl = std::string(NPUSIM_SOURCE_DIR) + "/hw/rtl/bespoke_lut_unit.v";
  std::vector<std::string> steps;
  synthesize_area("4-bit", {rtl}, "bespoke_lut_unit", {{"INDEX_BITS", 4}, {"HAS_DUAL", 0}},
                  [&](const std::string& step) { steps.push_back(step); });
  EXPECT_GE(steps.size(), 10u);
  for (const std::string expected : {"HIERARCHY (", "PROC (", "ABC ("}) {
    const auto starts = [&](const std::string& step) { return step.rfind(expected, 0) == 0; };
    EXPECT_NE(std::find_if(steps.begin(), steps.end(), starts), steps.end()) << expected;
  }
}

}  // namespace
}  // namespace npusim::cli
