#include <gtest/gtest.h>

#include "tests/error_text.hpp"

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "common/readmemh.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::error_of;

TEST(DidYouMean, SuggestsCloseNamesOnly) {
  EXPECT_EQ(closest_match("gelx", {"gelu", "silu", "exp"}), "gelu");
  EXPECT_EQ(closest_match("bandwith_gbps", {"bandwidth_gbps", "latency_ns"}), "bandwidth_gbps");
  EXPECT_EQ(closest_match("zzzzzz", {"gelu", "silu"}), "");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
}

TEST(Readmemh, FormatsFourHexDigitsPerLine) {
  EXPECT_EQ(format_readmemh({0, 1, -1, 32767, -32768}), "0000\n0001\nffff\n7fff\n8000\n");
  const std::vector<int16_t> back = parse_readmemh("0000\n// note\n1\nFFFF  // end\n\n7fff\n8000\n", "t.hex");
  EXPECT_EQ(back, (std::vector<int16_t>{0, 1, -1, 32767, -32768}));
}

TEST(Readmemh, MalformedLinesAreErrors) {
  EXPECT_EQ(error_of([] { parse_readmemh("0000\n12g4\n", "t.hex"); }), "t.hex:2:3: 'g' is not a hex digit");
  EXPECT_EQ(error_of([] { parse_readmemh("12345\n", "t.hex"); }), "t.hex:1:1: more than 4 hex digits in a 16-bit word");
  EXPECT_EQ(error_of([] { parse_readmemh("0001 0002\n", "t.hex"); }), "t.hex:1:6: one word per line expected");
}

TEST(AtomicFile, WritesReplacesAndReportsFailures) {
  const std::string dir = testing::make_temp_dir();
  const std::string path = dir + "/result.txt";
  write_file_atomically(path, "first");
  write_file_atomically(path, "second");
  EXPECT_EQ(read_file(path), "second");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename(), "result.txt");  // no temporary left behind
  }
  EXPECT_NE(error_of([&] { write_file_atomically(dir + "/missing/x.txt", "x"); }).find("cannot write"), std::string::npos);
  EXPECT_NE(error_of([&] { read_file(dir + "/absent"); }).find("cannot read"), std::string::npos);
  EXPECT_NE(error_of([&] { ensure_writable_directory(path + "/sub"); }).find("cannot create directory"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
