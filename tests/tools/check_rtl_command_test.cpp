// End-to-end tests of npusim check-rtl against golden-vector folders that do not hold together.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/sha256.hpp"
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

// The manifest's digest of `role` made to match its (edited) file, as if one golden run had written
// both, so what stops the check is the count or width check behind the digests.
void resign(const std::string& folder, const std::string& role) {
  const std::regex digest("\"" + role + "\": \"[0-9a-f]{64}\"");
  const std::string fresh = "\"" + role + "\": \"" + sha256_hex(read_file(folder + "/" + role + ".hex")) + "\"";
  write_file_atomically(folder + "/manifest.json", std::regex_replace(read_file(folder + "/manifest.json"), digest, fresh));
}

// Regression (issue 13): check-rtl printed PASS for a stimulus file of 100 lines against 511 expected
// values. Now the golden set's word counts are checked against its manifest first.
TEST(NpusimCheckRtl, AStimulusShorterThanTheManifestSaysIsRefused) {
  const Golden g = make_golden();
  write_file_atomically(g.folder + "/stimulus.hex", head(read_file(g.folder + "/stimulus.hex"), 100));
  resign(g.folder, "stimulus");
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
  EXPECT_TRUE(contains(mixed.err, g.folder + "/expected.hex: does not match the SHA-256 of files.expected in " + g.folder + "/manifest.json"))
      << mixed.err;
  std::filesystem::remove(g.folder + "/manifest.json");
  const auto interrupted = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(interrupted.exit_code, 1);
  EXPECT_TRUE(contains(interrupted.err, "manifest.json: missing (not a golden-vector folder, or its golden run did not finish)"))
      << interrupted.err;
  std::filesystem::remove_all(g.dir);
}

// Regression (issue 27): the digests were keyed by file name, so a manifest with stimulus and expected
// swapped still matched them, and an RTL dump that echoes its stimulus passed. They are keyed by role.
TEST(NpusimCheckRtl, SwappedRolesAreRefused) {
  const Golden g = make_golden();
  const std::string echo = g.dir + "/echo.hex";
  write_file_atomically(echo, read_file(g.folder + "/stimulus.hex"));
  std::string manifest = replaced(read_file(g.folder + "/manifest.json"), "\"stimulus\": \"stimulus.hex\"", "\"stimulus\": \"expected.hex\"");
  write_file_atomically(g.folder + "/manifest.json", replaced(manifest, "\"expected\": \"expected.hex\"", "\"expected\": \"stimulus.hex\""));
  const auto r = run_npusim("check-rtl --expected " + g.folder + " --actual " + echo);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(contains(r.out, "PASS")) << r.out;
  EXPECT_TRUE(contains(r.err, g.folder + "/expected.hex: does not match the SHA-256 of files.stimulus in ")) << r.err;
  // A manifest of the old format (digests by file name) is refused with what to do.
  std::filesystem::remove_all(g.folder);
  ASSERT_EQ(run_npusim("golden --function gelu --range -8,8 --codes 500 --out " + g.folder).exit_code, 0);
  write_file_atomically(g.folder + "/manifest.json", replaced(read_file(g.folder + "/manifest.json"), "\"version\": 2", "\"version\": 1"));
  const auto old = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_TRUE(contains(old.err, "a version 1 manifest keys its digests by file name, which does not tie a file to its role")) << old.err;
  std::filesystem::remove_all(g.dir);
}

// Regression (issue 27): an RTL dump with fewer digits per word than the width (`1` for `0001`) was read
// as if zero-extended; its words must have exactly word_bits / 4 digits, like the golden files.
TEST(NpusimCheckRtl, ShortWordsInTheDumpAreRefused) {
  const Golden g = make_golden();
  std::string dump = read_file(g.dump);
  dump.replace(0, dump.find('\n'), "1");
  write_file_atomically(g.dump, dump);
  const auto r = run_npusim("check-rtl --expected " + g.folder + " --actual " + g.dump);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.err, "npusim: error: " + g.dump + ":1:1: a 16-bit word has 4 hex digits, this one has 1\n");
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
