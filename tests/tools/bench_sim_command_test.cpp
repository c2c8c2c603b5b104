// End-to-end tests of npusim bench-sim: each row is measured beside its reference.
#include <gtest/gtest.h>

#include <regex>

#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

using testing::contains;

TEST(NpusimBenchSim, TheBurstRowGivesBothSimulatedTotalsAndTheirRatio) {
  const auto r = run_npusim("bench-sim --repeat 1 --rows burst");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "--set dma.burst_bytes=256")) << r.out;
  EXPECT_TRUE(contains(r.out, "ms simulated")) << r.out;
  EXPECT_TRUE(contains(r.out, "16 KiB bursts:")) << r.out;
  // The ratio as the table pads it: "1x" when the two runs take the same time.
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"( [0-9.]+x +<= 2x, same result)"))) << r.out;
  EXPECT_FALSE(contains(r.out, "100-point sweep")) << r.out;
}

TEST(NpusimBenchSim, UnknownRowsAndRepeatsAreUsageErrors) {
  EXPECT_EQ(run_npusim("bench-sim --rows prefil").exit_code, 2);
  EXPECT_EQ(run_npusim("bench-sim --repeat 0").exit_code, 2);
}

}  // namespace
}  // namespace npusim
