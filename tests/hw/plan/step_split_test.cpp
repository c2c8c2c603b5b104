// How an op's quantities are cut into pipeline steps: the parts add up, and the running total the
// command processor waits on equals the sum of the parts, step by step.
#include <gtest/gtest.h>

#include <random>

#include "hw/plan/execution_plan.hpp"

namespace npusim::hw {
namespace {

TEST(StepSplit, RunningTotalsEqualTheSumOfTheParts) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    StepSplit split;
    split.steps = std::uniform_int_distribution<int64_t>(1, 300)(rng);
    split.head_fraction = split.steps == 1 ? 1.0 : std::uniform_real_distribution<double>(0.0, 1.0 / static_cast<double>(split.steps))(rng);
    const int64_t total = std::uniform_int_distribution<int64_t>(0, trial % 2 ? 1000 : int64_t{1} << 40)(rng);
    int64_t sum = 0;
    for (int64_t s = 0; s < split.steps; ++s) {
      sum += split.part(total, s);
      ASSERT_EQ(split.through(total, s), sum) << "steps " << split.steps << " total " << total << " step " << s;
    }
    EXPECT_EQ(sum, total);
  }
}

}  // namespace
}  // namespace npusim::hw
