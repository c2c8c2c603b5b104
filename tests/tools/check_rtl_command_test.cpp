// End-to-end tests of npusim check-rtl against golden-vector folders that do not hold together.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The first `lines` lines of `text`.
std::string head(const std::string& text, int lines) {
  size_t at = 0;
  for (int i = 0; i < lines && at != std::string::npos; ++i) at = text.find('\n', at) + 1;
  return text.substr(0, at);
}

// A golden folder of 511 codes (the corner codes and 500 random ones) and a perfect RTL dump of it.
struct Golden {
  std::string dir, folder, dump;
};
Golden make_golden() {
  Golden g;
  g.dir = testing::make_temp_dir("npusim_check_rtl");
  g.folder = g.dir + "/gelu";
  EXPECT_EQ(run_npusim("golden --function gelu --range -8,8 --codes 500 --out " + g.folder).exit_code, 0);
  g.dump = g.dir + "/rtl_out.hex";
  write_file_atomically(g.dump, read_file(g.folder + "/expected.hex"));
  EXPECT_EQ(run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump).exit_code, 0);
  return g;
}

// Without the digests (as manifests written before them), so the count and width checks are what stop it.
void drop_digests(const std::string& folder) {
  std::string manifest = read_file(folder + "/manifest.json");
  const size_t from = manifest.find("  \"files_sha256\"");
  if (from != std::string::npos) manifest.erase(from, manifest.find("},\n", from) + 3 - from);
  write_file_atomically(folder + "/manifest.json", manifest);
}

// Regression (issue 13): check-rtl printed PASS for a stimulus file of 100 lines against 511 expected
// values. Now the golden set's word counts are checked against its manifest first.
TEST(NpusimCheckRtl, AStimulusShorterThanTheManifestSaysIsRefused) {
  const Golden g = make_golden();
  write_file_atomically(g.folder + "/stimulus.hex", head(read_file(g.folder + "/stimulus.hex"), 100));
  drop_digests(g.folder);
  const auto r = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(contains(r.out, "PASS")) << r.out;
  EXPECT_TRUE(contains(r.err, g.folder + "/stimulus.hex: 100 words, but " + g.folder + "/manifest.json says stimulus.count 511"))
      << r.err;
  // An RTL dump of another length names the dump.
  write_file_atomically(g.dump, head(read_file(g.folder + "/expected.hex"), 510));
  std::filesystem::remove_all(g.folder);
  ASSERT_EQ(run_npusim("golden --function gelu --range -8,8 --codes 500 --out " + g.folder).exit_code, 0);
  const auto short_dump = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(short_dump.exit_code, 1);
  EXPECT_TRUE(contains(short_dump.err, g.dump + ": 510 words, but the golden set has 511 expected outputs")) << short_dump.err;
  std::filesystem::remove_all(g.dir);
}

// Regression (issue 13): a manifest saying `word_bits: 32` over 16-bit golden vectors printed PASS.
TEST(NpusimCheckRtl, AWordWidthThatDoesNotMatchTheFilesIsRefused) {
  const Golden g = make_golden();
  drop_digests(g.folder);
  std::string manifest = replaced(read_file(g.folder + "/manifest.json"), "  \"word_bits\": 16,\n", "");
  write_file_atomically(g.folder + "/manifest.json",
                        replaced(manifest, "\"unit\": \"bespoke_lut\",", "\"unit\": \"bespoke_lut\",\n  \"word_bits\": 32,"));
  const auto r = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(contains(r.out, "PASS")) << r.out;
  EXPECT_TRUE(contains(r.err, "word_bits 32 does not match unit bespoke_lut (16-bit words)")) << r.err;
  // Claiming the 32-bit unit as well: the 4-digit words themselves give it away.
  write_file_atomically(g.folder + "/manifest.json", replaced(read_file(g.folder + "/manifest.json"), "\"unit\": \"bespoke_lut\"", "\"unit\": \"nnlut\""));
  const auto nnlut = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(nnlut.exit_code, 1) << nnlut.out;
  EXPECT_TRUE(contains(nnlut.err, g.folder + "/stimulus.hex:1:1: a 32-bit word has 8 hex digits, this one has 4")) << nnlut.err;
  std::filesystem::remove_all(g.dir);
}

// A golden run killed part-way leaves no manifest; files of two runs mixed fail their digests.
TEST(NpusimCheckRtl, InterruptedOrMixedGoldenSetsAreRefused) {
  const Golden g = make_golden();
  ASSERT_EQ(run_npusim("golden --function silu --range -8,8 --codes 500 --out " + g.dir + "/silu").exit_code, 0);
  write_file_atomically(g.folder + "/expected.hex", read_file(g.dir + "/silu/expected.hex"));
  const auto mixed = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_TRUE(contains(mixed.err, g.folder + "/expected.hex: does not match the SHA-256 in " + g.folder + "/manifest.json")) << mixed.err;
  std::filesystem::remove(g.folder + "/manifest.json");
  const auto interrupted = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(interrupted.exit_code, 1);
  EXPECT_TRUE(contains(interrupted.err, "manifest.json: missing (not a golden-vector folder, or its golden run did not finish)"))
      << interrupted.err;
  std::filesystem::remove_all(g.dir);
}

// A mismatch row names the datapath step that made the expected value, and the manifest says how to
// drive the unit's ports.
TEST(NpusimCheckRtl, MismatchRowsNameTheTableIntervalAndWeight) {
  const Golden g = make_golden();
  std::string dump = read_file(g.dump);
  const std::string stimulus = read_file(g.folder + "/stimulus.hex");
  // The first stimulus code, and the expected word one off in the dump.
  const int code = std::stoi(stimulus.substr(0, 4), nullptr, 16);
  const int expected = std::stoi(dump.substr(0, 4), nullptr, 16);
  char wrong[8];
  std::snprintf(wrong, sizeof wrong, "%04x", (expected + 1) & 0xffff);
  dump.replace(0, 4, wrong);
  write_file_atomically(g.dump, dump);
  const auto r = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(r.exit_code, 1);
  // The header and the first mismatch row, word by word.
  const auto words_of_line_after = [&](const std::string& marker) {
    const size_t at = r.out.find('\n', r.out.find(marker)) + 1;
    std::istringstream line(r.out.substr(at, r.out.find('\n', at) - at));
    std::vector<std::string> words;
    for (std::string w; line >> w;) words.push_back(w);
    return words;
  };
  const std::vector<std::string> header = words_of_line_after("first mismatches:");
  EXPECT_EQ(header, (std::vector<std::string>{"index", "input", "table", "j", "w", "expected", "actual", "difference"})) << r.out;
  const size_t rule = r.out.find("---", r.out.find("first mismatches:"));
  std::istringstream first_row(r.out.substr(r.out.find('\n', rule) + 1));
  std::vector<std::string> row(8);
  for (auto& w : row) first_row >> w;
  char code_hex[8];
  std::snprintf(code_hex, sizeof code_hex, "%04x", code);
  EXPECT_EQ(row[1], code_hex) << r.out;
  EXPECT_EQ(row[2], "base") << r.out;
  EXPECT_EQ(row[3], std::to_string(code >> 8)) << r.out;
  EXPECT_EQ(row[4], std::to_string(code & 255)) << r.out;
  EXPECT_EQ(row[7], "1") << r.out;
  const std::string manifest = read_file(g.folder + "/manifest.json");
  EXPECT_TRUE(contains(manifest, "\"port_protocol\"")) << manifest;
  EXPECT_TRUE(contains(manifest, "\"module\": \"bespoke_lut_unit\"")) << manifest;
  EXPECT_TRUE(contains(manifest, "\"latency_cycles\": 2")) << manifest;
  std::filesystem::remove_all(g.dir);
}

}  // namespace
}  // namespace npusim
