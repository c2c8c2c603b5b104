// End-to-end tests of npusim accuracy and npusim ablation.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "tests/tools/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

TEST(NpusimAccuracy, FunctionTableCsvJsonAndPlot) {
  const std::string dir = testing::make_temp_dir("npusim_acc");
  const auto r = run_npusim("accuracy --function gelu --range -8,8 --csv " + dir + "/a.csv --json " + dir + "/a.json --plot " + dir + "/a.svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* m : {"fp32", "bespoke", "universal", "nnlut", "ibert", "ivit"}) EXPECT_TRUE(contains(r.out, m)) << m;
  const std::string csv = read_file(dir + "/a.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  const json::Value j = json::parse(read_file(dir + "/a.json"), "a.json");
  EXPECT_EQ(j.find("methods")->items().size(), 6u);
  const std::string svg = read_file(dir + "/a.svg");
  EXPECT_TRUE(contains(svg, "<svg"));
  for (const char* m : {"data-name=\"bespoke\"", "data-name=\"nnlut\"", "data-name=\"ivit\""}) EXPECT_TRUE(contains(svg, m)) << m;
  std::filesystem::remove_all(dir);
}

TEST(NpusimAccuracy, CompositeOpsOnRandomRows) {
  for (const char* op : {"softmax", "layernorm", "rmsnorm"}) {
    const auto r = run_npusim(std::string("accuracy --op ") + op + " --shape 16,128 --dist normal:0,2 --methods fp32,bespoke,ibert");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "worst row")) << r.out;
    EXPECT_FALSE(contains(r.out, "ivit")) << r.out;
  }
}

TEST(NpusimAccuracy, BadArgumentsAreClearErrors) {
  const struct { std::string args; int code; std::string message; } cases[] = {
      {"accuracy", 2, "give either --function F --range A,B or --op OP"},
      {"accuracy --function gelu", 2, "--function needs --range"},
      {"accuracy --function gelu --range 2,1", 1, "range needs min < max"},
      {"accuracy --op softmaxx", 1, "unknown op 'softmaxx' (did you mean 'softmax'?)"},
      {"accuracy --op softmax --dist gauss:0,1", 1, "unknown distribution 'gauss'"},
      {"accuracy --op softmax --shape 0,4", 1, "row shape must be R,C"},
      {"accuracy --function gelu --range -1,1 --methods fp32,lutt", 1, "unknown method 'lutt'"},
      {"ablation", 2, "give 'bits' or 'threshold'"},
      {"ablation bits --function gelu --range 1,1", 1, "range needs min < max"},
      {"ablation threshold --model nope", 1, "unknown model 'nope'"},
  };
  for (const auto& c : cases) {
    const auto r = run_npusim(c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.args << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << c.args << "\n" << r.err;
  }
}

TEST(NpusimAblation, BitsAndThreshold) {
  const auto bits = run_npusim("ablation bits --function reciprocal --range 0.01,8");
  ASSERT_EQ(bits.exit_code, 0) << bits.err;
  EXPECT_TRUE(contains(bits.out, "8193")) << bits.out;  // 13 index bits
  const auto threshold = run_npusim("ablation threshold --model vit_base --full");
  ASSERT_EQ(threshold.exit_code, 0) << threshold.err;
  EXPECT_TRUE(contains(threshold.out, "61 LUT instances")) << threshold.out;
}

}  // namespace
}  // namespace npusim
