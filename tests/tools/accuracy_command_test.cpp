// End-to-end tests of npusim accuracy and npusim ablation.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/npy.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(NpusimAccuracy, FunctionTableCsvJsonAndPlot) {
  const std::string dir = testing::make_temp_dir("npusim_acc");
  const auto r = run_npusim("accuracy --function gelu --range -8,8 --csv " + dir + "/a.csv --json " + dir + "/a.json --plot " + dir + "/a.svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* m : {"fp32", "bespoke", "universal", "nnlut", "nnlut-lsq", "ibert", "ibert8", "ivit", "ivit+"}) EXPECT_TRUE(contains(r.out, m)) << m;
  // Every variant that is not the published method says so.
  EXPECT_TRUE(contains(r.out, "ivit+: I-ViT widened and with extra bits (ours, not published)")) << r.out;
  EXPECT_TRUE(contains(r.out, "bespoke-rr has no kernel for gelu")) << r.out;
  // I-BERT's i-erf on an INT8 grid is a note, not a number (item 7 of issue 24).
  EXPECT_TRUE(contains(r.out, "note: ibert8 is outside its published domain here: I-BERT's i-erf (n = 14)")) << r.out;
  const std::string csv = read_file(dir + "/a.csv");
  EXPECT_EQ(line_count(csv), 9);  // header + 8 methods (bespoke-rr has no GELU, ibert8's is outside its domain)
  EXPECT_FALSE(contains(csv, "ibert8,"));
  const nlohmann::json j = nlohmann::json::parse(read_file(dir + "/a.json"));
  EXPECT_EQ(j["methods"].size(), 8u);
  EXPECT_EQ(j["methods"][0]["method"], "fp32");
  const std::string svg = read_file(dir + "/a.svg");
  EXPECT_TRUE(contains(svg, "<svg"));
  for (const char* m : {"data-name=\"bespoke\"", "data-name=\"nnlut\"", "data-name=\"ivit\""}) EXPECT_TRUE(contains(svg, m)) << m;
  std::filesystem::remove_all(dir);
}

TEST(NpusimAccuracy, CompositeOpsOnEveryDistribution) {
  for (const char* op : {"softmax", "layernorm", "rmsnorm"}) {
    for (const char* dist : {"normal:0,2", "rowscale:1,1", "outliers:1,0.02,20", "rowscale:1,0.5+first:2,0.001"}) {
      const auto r = run_npusim(std::string("accuracy --op ") + op + " --shape 16,128 --dist " + dist + " --methods fp32,bespoke,bespoke-rr,ibert");
      ASSERT_EQ(r.exit_code, 0) << op << " " << dist << "\n" << r.err;
      EXPECT_TRUE(contains(r.out, "worst row")) << r.out;
      EXPECT_TRUE(contains(r.out, "bespoke-rr")) << r.out;
      EXPECT_FALSE(contains(r.out, "ivit")) << r.out;
    }
  }
}

TEST(NpusimAccuracy, WideInputsNeverCrash) {
  // Issue 13/14: this died with SIGFPE (I-BERT's softmax divided by a zero sum).
  const auto r = run_npusim("accuracy --op softmax --shape 197,197 --dist normal:0,60 --methods ibert,ibert8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "ibert8 is not applicable here")) << r.out;
  for (const char* dist : {"normal:0,1e28", "uniform:-1e-20,1e-20", "outliers:1,1,1e25", "normal:0,1+first:1e20,0"}) {
    for (const char* op : {"softmax", "layernorm", "rmsnorm"}) {
      // Every method but the trained NN-LUT (covered in tests/models; training per process is slow).
      const auto w = run_npusim(std::string("accuracy --op ") + op + " --shape 8,64 --dist " + dist +
                                " --methods fp32,bespoke,bespoke-rr,universal,ibert,ibert8,ivit,ivit+");
      EXPECT_EQ(w.exit_code, 0) << op << " " << dist << "\n" << w.err;
    }
  }
}

TEST(NpusimAccuracy, MapeIsNotApplicableWhereNothingIsMeasured) {
  const auto r = run_npusim("accuracy --function relu --range -8,-1 --methods bespoke");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "n/a")) << r.out;
  const auto lut = run_npusim("lut --function exp --range -16,0");
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  EXPECT_TRUE(contains(lut.out, "MAPE_0              n/a")) << lut.out;
}

TEST(NpusimAccuracy, RowsFromANpyFile) {
  const std::string dir = testing::make_temp_dir("npusim_acc");
  std::vector<float> values;
  for (int i = 0; i < 8 * 32; ++i) values.push_back(static_cast<float>(std::sin(i * 0.37) * 3));
  npy::write_float32(dir + "/x.npy", {8, 32}, values);
  const auto r = run_npusim("accuracy --op rmsnorm --input " + dir + "/x.npy --methods fp32,bespoke-rr");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "8,32 rows of " + dir + "/x.npy")) << r.out;
  // Rank 3, as activations are dumped: rows along the last axis.
  npy::write_float32(dir + "/r.npy", {2, 4, 32}, values);
  const auto r3 = run_npusim("accuracy --op rmsnorm --input " + dir + "/r.npy --methods fp32");
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  EXPECT_TRUE(contains(r3.out, "8,32 rows of " + dir + "/r.npy")) << r3.out;
  npy::write_int8(dir + "/b.npy", {2, 2}, {1, 2, 3, 4});
  npy::write_float32(dir + "/one.npy", {4, 1}, {1, 2, 3, 4});
  const struct { std::string args; int code; std::string message; } cases[] = {
      {"--input " + dir + "/b.npy", 1, "b.npy: expected floating-point rows (float32, float64 or float16), found |i1"},
      {"--input " + dir + "/one.npy", 1, "one.npy: [4, 1] as rows of its last axis: row shape must be"},
      {"--input " + dir + "/none.npy", 1, "none.npy"},
      {"--input " + dir + "/x.npy --shape 4,4", 2, "leave out --shape and --dist"},
  };
  for (const auto& c : cases) {
    const auto e = run_npusim("accuracy --op softmax " + c.args);
    EXPECT_EQ(e.exit_code, c.code) << c.args << "\n" << e.err;
    EXPECT_TRUE(contains(e.err, c.message)) << c.args << "\n" << e.err;
    EXPECT_EQ(line_count(e.err), 1) << e.err;
  }
  std::filesystem::remove_all(dir);
}

// The per-layer reciprocal of softmax is calibrated on the rows' sums, and the output says so: over
// [1, columns] it made bespoke 6e-2 on these rows; calibrated it is below 1e-3 (README's table).
TEST(NpusimAccuracy, SoftmaxReciprocalIsCalibratedOnTheRowSums) {
  const std::string dir = testing::make_temp_dir("npusim_acc");
  const auto r = run_npusim("accuracy --op softmax --shape 197,197 --dist normal:0,3 --methods bespoke --json " + dir + "/a.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "bespoke: exp over [-24.4, 0], reciprocal over [1.048, 11.18] (calibrated on the rows' sums)")) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read_file(dir + "/a.json"));
  std::filesystem::remove_all(dir);
  EXPECT_LT(j["methods"][0]["max_abs_error"].get<double>(), 1e-3);
  EXPECT_TRUE(contains(j["methods"][0]["tables"].get<std::string>(), "(calibrated on the rows' sums)"));
}

// A table that does not cover the range clamps, and says how much; I-ViT's ShiftGELU past its exponent's
// resolution is a note.
TEST(NpusimAccuracy, ClampsAndOutOfDomainMethodsAreNotes) {
  const auto r = run_npusim("accuracy --function gelu --range -16,16 --methods bespoke,nnlut,ivit");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "note: nnlut clamps 50 % of the range to its table's [-8, 8]")) << r.out;
  EXPECT_TRUE(contains(r.out, "note: ivit is outside its published domain here: I-ViT's ShiftGELU with the row maximum at 16")) << r.out;
  EXPECT_FALSE(contains(r.out, "\n  ivit ")) << r.out;
  const auto fits = run_npusim("accuracy --function gelu --range -8,8 --methods ivit");
  EXPECT_TRUE(contains(fits.out, "\n  ivit ")) << fits.out;  // a maximum of 8 fits its 2^-23 exponent
}

TEST(NpusimAccuracy, BadArgumentsAreClearErrors) {
  const struct { std::string args; int code; std::string message; } cases[] = {
      {"accuracy", 2, "give either --function F --range A,B or --op OP"},
      {"accuracy --function gelu", 2, "--function needs --range"},
      {"accuracy --function gelu --range 2,1", 1, "range needs min < max"},
      {"accuracy --op softmaxx", 1, "unknown op 'softmaxx' (did you mean 'softmax'?)"},
      {"accuracy --op softmax --dist gauss:0,1", 1, "unknown distribution 'gauss'"},
      {"accuracy --op softmax --shape 0,4", 1, "row shape must be R,C"},
      {"accuracy --op softmax --shape 4611686018427387904,4", 1, "at most 16777216 elements"},
      {"accuracy --op softmax --shape 1e300,1e300", 1, "at most 131072 columns"},
      {"accuracy --op layernorm --shape 8192,4096", 1, "at most 16777216 elements (4096 x 4096)"},
      {"accuracy --op softmax --dist normal:0,1e300", 1, "beyond the limit of +-1e30"},
      {"accuracy --op softmax --range-reduced gelu", 1, "--range-reduced takes reciprocal and rsqrt"},
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
  const auto exp = run_npusim("ablation bits --function exp --range -16,0");
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  EXPECT_TRUE(contains(exp.out, "n/a")) << exp.out;  // interval 0 of exp on [-16, 0] counts no code
  const auto threshold = run_npusim("ablation threshold --model vit_base --full");
  ASSERT_EQ(threshold.exit_code, 0) << threshold.err;
  EXPECT_TRUE(contains(threshold.out, "61 LUT instances")) << threshold.out;
}

}  // namespace
}  // namespace npusim
