// sram.scale_with_array: with it, the plan of a larger array is the plan of the same array with its
// three buffers grown by the array's MACs over the paper's 32 x 64; without it (the default) the buffers
// keep their sizes.
#include <gtest/gtest.h>

#include "hw/config/hw_config_io.hpp"
#include "hw/plan/plan_builder.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim::hw {
namespace {

// What a plan's buffer sizes decide: weight bytes streamed and activation transfers, op by op.
std::vector<int64_t> traffic_of(const ExecutionPlan& plan) {
  std::vector<int64_t> t;
  for (const PlannedOp& op : plan.ops) {
    int64_t loads = 0, stores = 0;
    for (const auto& l : op.loads) loads += l.bytes;
    for (const auto& s : op.stores) stores += s.bytes;
    t.insert(t.end(), {op.weight_bytes, loads, stores});
  }
  return t;
}

TEST(ScaleWithArray, BuffersGrowWithTheArrayOnlyWhenAsked) {
  const workloads::Trace trace = workloads::generate_model("vit_base", {});
  HwConfig big;
  big.mau.rows = 128, big.mau.cols = 256;  // 16 x the paper's MACs
  HwConfig scaled = big;
  scaled.sram.scale_with_array = true;
  HwConfig by_hand = big;
  by_hand.sram.weight_kib *= 16, by_hand.sram.activation_kib *= 16, by_hand.sram.accumulator_kib *= 16;
  EXPECT_EQ(traffic_of(build_plan(trace, scaled)), traffic_of(build_plan(trace, by_hand)));
  EXPECT_NE(traffic_of(build_plan(trace, scaled)), traffic_of(build_plan(trace, big)));
  // On the paper's array the factor is 1.
  HwConfig paper_scaled;
  paper_scaled.sram.scale_with_array = true;
  EXPECT_EQ(traffic_of(build_plan(trace, paper_scaled)), traffic_of(build_plan(trace, HwConfig{})));
}

TEST(ScaleWithArray, IsAConfigFieldThatDefaultsToNo) {
  EXPECT_FALSE(HwConfig{}.sram.scale_with_array);
  const HwConfig c = parse_hw_config("name: t\nsram:\n  scale_with_array: yes\n", "t.yaml");
  EXPECT_TRUE(c.sram.scale_with_array);
  EXPECT_NE(dump_hw_config(c).find("scale_with_array: yes"), std::string::npos) << dump_hw_config(c);
}

}  // namespace
}  // namespace npusim::hw
