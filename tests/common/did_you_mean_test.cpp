#include "common/did_you_mean.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace npusim {
namespace {

// Regression (issue 13): the did-you-mean search compared every candidate at full length, so a 100 KB
// unknown name against a trace's 20,000 op ids cost about 4 * 10^10 steps (minutes). Bounded now; the
// budget is far above what the bounded search needs, also under sanitizers.
TEST(DidYouMean, WorkIsBoundedOnHostileInput) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back("blocks." + std::to_string(i % 24) + ".attn.op" + std::to_string(i));
  const std::clock_t start = std::clock();
  EXPECT_EQ(closest_match(std::string(100000, 'b'), ids), "");
  EXPECT_EQ(closest_match(std::string(100, 'b'), std::vector<std::string>(20000, std::string(100, 'c'))), "");
  EXPECT_EQ(closest_match("blocks.3.attn.op27", ids), "blocks.3.attn.op27");
  EXPECT_LT(static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC, 2.0);
  // Still suggests what it did: typos, and a key missing its unit suffix.
  EXPECT_EQ(closest_match("bandwith_gbps", {"bandwidth_gbps", "latency_ns"}), "bandwidth_gbps");
  EXPECT_EQ(closest_match("bandwidth", {"latency_ns", "bandwidth_gbps"}), "bandwidth_gbps");
}

}  // namespace
}  // namespace npusim
