// The calibrated constants' ranges (hw/config/calibration.cpp): each names a numeric config field, and
// the value each shipped paper-NPU config gives it lies inside its plausible range, which lies inside
// the field's physical range.
#include "hw/config/calibration.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "hw/config/hw_config_io.hpp"

namespace npusim::hw {
namespace {

TEST(Calibration, EveryConstantIsANumericFieldWhoseShippedValueIsInItsRange) {
  std::set<std::string> seen;
  for (const char* file : {"paper_npu.yaml", "paper_npu_20gbps.yaml"}) {
    const HwConfig config = load_hw_config(std::string(NPUSIM_SOURCE_DIR) + "/configs/" + file);
    for (const CalibratedConstant& c : calibrated_constants()) {
      const ConfigField* field = find_config_field(c.path);
      ASSERT_NE(field, nullptr) << c.path;
      EXPECT_TRUE(field->kind == ConfigField::Kind::real || field->kind == ConfigField::Kind::integer) << c.path;
      EXPECT_LT(c.low, c.high) << c.path;
      EXPECT_GE(c.low, field->min) << c.path;
      EXPECT_LE(c.high, field->max) << c.path;
      EXPECT_FALSE(std::string(c.source).empty()) << c.path;
      const double value = std::stod(field->get(config));
      EXPECT_GE(value, c.low) << file << " " << c.path;
      EXPECT_LE(value, c.high) << file << " " << c.path;
      seen.insert(c.path);
    }
  }
  EXPECT_EQ(seen.size(), calibrated_constants().size()) << "a constant listed twice";
  // The one fitted constant is among them.
  EXPECT_EQ(seen.count("dram.efficiency"), 1u);
}

}  // namespace
}  // namespace npusim::hw
