#include <gtest/gtest.h>

#include "tests/error_text.hpp"

#include <filesystem>
#include <fstream>

#include "models/error.hpp"
#include "models/io/atomic_file.hpp"
#include "models/io/did_you_mean.hpp"
#include "models/io/json.hpp"
#include "models/io/readmemh.hpp"
#include "tests/tools/cli_runner.hpp"

namespace npusim {
namespace {

using testing::error_of;

TEST(DidYouMean, SuggestsCloseNamesOnly) {
  EXPECT_EQ(closest_match("gelx", {"gelu", "silu", "exp"}), "gelu");
  EXPECT_EQ(closest_match("bandwith_gbps", {"bandwidth_gbps", "latency_ns"}), "bandwidth_gbps");
  EXPECT_EQ(closest_match("zzzzzz", {"gelu", "silu"}), "");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
}

TEST(Json, WritesAndParsesBack) {
  json::Value root = json::Value::object();
  root.set("name", "gelu \"layer\"\n");
  root.set("scale", 0.1);
  root.set("tiny", 1e-300);
  root.set("flag", true);
  root.set("none", nullptr);
  json::Value list = json::Value::array();
  list.push_back(-32768);
  list.push_back(32767);
  root.set("list", list);
  const json::Value back = json::parse(json::write(root), "mem");
  EXPECT_EQ(back.find("name")->as_string(), "gelu \"layer\"\n");
  EXPECT_EQ(back.find("scale")->as_number(), 0.1);  // shortest form reads back exactly
  EXPECT_EQ(back.find("tiny")->as_number(), 1e-300);
  EXPECT_TRUE(back.find("flag")->as_bool());
  EXPECT_TRUE(back.find("none")->is_null());
  EXPECT_EQ(back.find("list")->items().at(0).as_number(), -32768);
}

TEST(Json, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(error_of([] { json::parse("{\n  \"a\": 1,\n  \"b\": tru\n}", "f.json"); }), "f.json:3:8: unknown literal");
  EXPECT_EQ(error_of([] { json::parse("{\"a\": 1, \"a\": 2}", "f.json"); }), "f.json:1:10: duplicate member 'a'");
  EXPECT_EQ(error_of([] { json::parse("[1, 2", "f.json"); }), "f.json:1:6: expected ']'");
  EXPECT_EQ(error_of([] { json::parse("{} x", "f.json"); }), "f.json:1:4: unexpected text after the JSON value");
  EXPECT_EQ(error_of([] { json::parse("1.2.3", "f.json"); }), "f.json:1:1: malformed number");
}

TEST(Json, ReaderChecksKeysAndTypes) {
  const json::Value v = json::parse("{\n  \"bits\": 8.5,\n  \"colour\": 1\n}", "c.json");
  const json::Reader r(v, "c.json");
  EXPECT_EQ(error_of([&] { r.reject_unknown({"bits", "color"}); }), "c.json:3:13: unknown key 'colour' (did you mean 'color'?)");
  EXPECT_EQ(error_of([&] { r.integer("bits", 4, 13); }), "c.json:2:11: 'bits' must be a whole number");
  EXPECT_EQ(error_of([&] { r.string("bits"); }), "c.json:2:11: 'bits' must be a string");
  EXPECT_EQ(error_of([&] { r.require("missing"); }), "c.json:1:1: missing key 'missing'");
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
