#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/json.hpp"
#include "tests/error_text.hpp"

namespace npusim {
namespace {

using testing::error_of;

// Line and column (1-based, in bytes) of byte `offset` of `text`, counted here independently of the parser.
std::string place_of(const std::string& text, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string place_of(const json::Value& v) { return std::to_string(v.line()) + ":" + std::to_string(v.column()); }

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

// The layout other tools and tests rely on: two-space indentation, keys in the order they were set, whole
// numbers without ".0" or exponent, JSON's escapes, no NaN or infinity.
TEST(Json, WritesTheDocumentedLayout) {
  json::Value root = json::Value::object();
  root.set("z_first", 1);
  root.set("a_second", 12681808.741);
  root.set("whole", 1000000.0);
  root.set("big", int64_t{1} << 62);
  root.set("huge", 1e300);
  root.set("negative_half", -0.5);
  root.set("nan", std::nan(""));
  root.set("infinity", std::numeric_limits<double>::infinity());
  root.set("text", std::string("tab\tquote\"back\\slash\x01\xc3\xa9"));
  root.set("empty_list", json::Value::array());
  root.set("empty_object", json::Value::object());
  json::Value range = json::Value::array();
  range.push_back(-8);
  range.push_back(8.25);
  root.set("range", range);
  root.set("z_first", 2);  // replacing keeps the place
  EXPECT_EQ(json::write(root),
            "{\n"
            "  \"z_first\": 2,\n"
            "  \"a_second\": 12681808.741,\n"
            "  \"whole\": 1000000,\n"
            "  \"big\": 4611686018427387904,\n"
            "  \"huge\": 1e+300,\n"
            "  \"negative_half\": -0.5,\n"
            "  \"nan\": null,\n"
            "  \"infinity\": null,\n"
            "  \"text\": \"tab\\tquote\\\"back\\\\slash\\u0001\xc3\xa9\",\n"
            "  \"empty_list\": [],\n"
            "  \"empty_object\": {},\n"
            "  \"range\": [\n"
            "    -8,\n"
            "    8.25\n"
            "  ]\n"
            "}\n");
}

// Bytes that are not UTF-8 cannot be written as JSON; they become U+FFFD, so the file still reads back.
TEST(Json, InvalidUtf8IsReplacedWhenWritten) {
  json::Value root = json::Value::object();
  root.set("path", std::string("caf\xe9.yaml"));
  const std::string text = json::write(root);
  EXPECT_EQ(text, "{\n  \"path\": \"caf\xef\xbf\xbd.yaml\"\n}\n");
  EXPECT_EQ(json::parse(text, "mem").find("path")->as_string(), "caf\xef\xbf\xbd.yaml");
}

// Every double written reads back as the same double (compared with strtod, not with the parser).
TEST(Json, NumbersReadBackExactly) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    double d = 0;
    const uint64_t bits = random();
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    json::Value list = json::Value::array();
    list.push_back(d);
    const std::string text = json::write(list);
    const size_t first = text.find_first_not_of("[\n ");
    ASSERT_EQ(std::strtod(text.c_str() + first, nullptr), d) << text;
    ASSERT_EQ(json::parse(text, "mem").items().at(0).as_number(), d) << text;
  }
}

// Each value carries the line and column of its first byte, wherever it sits and whatever follows it.
// A document built with nlohmann-json converts to the value its dumped text parses to: every kind,
// keys in insertion order, integers beyond 2^53 and fractions rounded as the parser rounds them.
TEST(Json, FromNlohmannIsWhatTheDumpParsesTo) {
  nlohmann::ordered_json document;
  document["zeta"] = 1;
  document["alpha"] = {{"nested", nullptr}, {"flag", true}, {"off", false}};
  document["numbers"] = {-7, 9007199254740993LL, 18446744073709551615ULL, 0.1, -2.5e-300, 1e300};
  document["text"] = "quote \" and \u00e9";
  document["empty_array"] = nlohmann::ordered_json::array();
  document["empty_object"] = nlohmann::ordered_json::object();
  const json::Value converted = json::from_nlohmann(document);
  EXPECT_EQ(json::write(converted), json::write(json::parse(document.dump(), "dump")));
  ASSERT_EQ(converted.members().size(), 6u);
  EXPECT_EQ(converted.members()[0].first, "zeta");
  EXPECT_EQ(converted.members()[1].first, "alpha");
  EXPECT_EQ(converted.find("numbers")->items()[4].as_number(), -2.5e-300);
  EXPECT_EQ(converted.find("text")->as_string(), "quote \" and \u00e9");
  EXPECT_EQ(json::write(json::from_nlohmann(nlohmann::ordered_json())), json::write(json::Value()));
  EXPECT_THROW(json::from_nlohmann(nlohmann::ordered_json::binary({1, 2})), Error);
}

TEST(Json, ValuesRememberWhereTheyBegin) {
  const std::string text =
      "{\"alpha\":11,\"beta\" :[12,-13.5e1 ,true,\r\n"
      "  false,null,\"s\\\"1\\u00e9\"],\n"
      "\t\"gamma\": {\"delta\": [[14],{}], \"eps\":\"x,: \"}\n"
      "  ,\"zeta\"  :  15\n"
      "}";
  const json::Value root = json::parse(text, "p.json");
  EXPECT_EQ(place_of(root), "1:1");
  const json::Value& beta = *root.find("beta");
  const std::vector<std::pair<const json::Value*, std::string>> expected = {
      {root.find("alpha"), "11"},
      {&beta, "[12"},
      {&beta.items()[0], "12"},
      {&beta.items()[1], "-13.5e1"},
      {&beta.items()[2], "true"},
      {&beta.items()[3], "false"},
      {&beta.items()[4], "null"},
      {&beta.items()[5], "\"s\\\""},
      {root.find("gamma"), "{\"delta\""},
      {root.find("gamma")->find("delta"), "[[14]"},
      {&root.find("gamma")->find("delta")->items()[0], "[14]"},
      {&root.find("gamma")->find("delta")->items()[0].items()[0], "14]"},
      {&root.find("gamma")->find("delta")->items()[1], "{}"},
      {root.find("gamma")->find("eps"), "\"x,: \""},
      {root.find("zeta"), "15"},
  };
  for (const auto& [value, token] : expected) {
    ASSERT_NE(value, nullptr) << token;
    const size_t offset = text.find(token);
    ASSERT_NE(offset, std::string::npos) << token;
    EXPECT_EQ(place_of(*value), place_of(text, offset)) << token;
  }
  EXPECT_EQ(beta.items()[1].as_number(), -135);
  EXPECT_EQ(beta.items()[5].as_string(), "s\"1\xc3\xa9");
}

TEST(Json, SyntaxErrorsCarryLineAndColumn) {
  // nlohmann's message, after the position of the byte where the text stopped being JSON.
  EXPECT_EQ(error_of([] { json::parse("{\n  \"a\": 1,\n  \"b\": tru\n}", "f.json"); }),
            "f.json:3:11: syntax error while parsing value - invalid literal; last read: '\"b\": tru<U+000A>'");
  EXPECT_EQ(error_of([] { json::parse("[1, 2", "f.json"); }),
            "f.json:1:6: syntax error while parsing array - unexpected end of input; expected ']'");
  EXPECT_EQ(error_of([] { json::parse("{} x", "f.json"); }),
            "f.json:1:4: syntax error while parsing value - invalid literal; last read: '{} x'; expected end of input");
  EXPECT_EQ(error_of([] { json::parse("1.2.3", "f.json"); }),
            "f.json:1:4: syntax error while parsing value - invalid literal; last read: '1.2.'; expected end of input");
  EXPECT_EQ(error_of([] { json::parse("", "f.json"); }),
            "f.json:1:1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(error_of([] { json::parse("{\"a\": 1, // note\n}", "f.json"); }),
            "f.json:1:10: syntax error while parsing object key - invalid literal; last read: '1, /'; expected string literal");
  EXPECT_EQ(error_of([] { json::parse("[\"ab\ncd\"]", "f.json"); }),
            "f.json:1:5: syntax error while parsing value - invalid string: control character U+000A (LF) must be escaped to "
            "\\u000A or \\n; last read: '\"ab<U+000A>'");
  EXPECT_EQ(error_of([] { json::parse("[\"\xff\"]", "f.json"); }).substr(0, 84),
            "f.json:1:3: syntax error while parsing value - invalid string: ill-formed UTF-8 byte");
  EXPECT_EQ(error_of([] { json::parse("[1,]", "f.json"); }),
            "f.json:1:4: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal");
}

TEST(Json, DuplicateMembersAndHugeNumbersPointAtThemselves) {
  EXPECT_EQ(error_of([] { json::parse("{\"a\": 1, \"a\": 2}", "f.json"); }), "f.json:1:10: duplicate member 'a'");
  EXPECT_EQ(error_of([] { json::parse("{\"x\": {\"a\": 1},\n \"y\": {\"a\": 1, \"b\": 2, \"b\": 3}}", "f.json"); }),
            "f.json:2:24: duplicate member 'b'");
  EXPECT_EQ(error_of([] { json::parse("[1,\n  -1e400]", "f.json"); }), "f.json:2:3: number overflow parsing '-1e400'");
}

// Nesting is capped, so a file of 100,000 '[' is one clear error, not a stack overflow.
TEST(Json, DeepNestingIsRefused) {
  const std::string deep(100000, '[');
  EXPECT_EQ(error_of([&] { json::parse(deep, "d.json"); }), "d.json:1:258: nesting deeper than 256 levels");
  EXPECT_EQ(error_of([&] { json::parse("\n{" + std::string(299, ' '), "d.json"); }),
            "d.json:2:301: syntax error while parsing object key - unexpected end of input; expected string literal");
  std::string nested_objects;
  for (int i = 0; i < 300; ++i) nested_objects += "{\"k\":";
  EXPECT_EQ(error_of([&] { json::parse(nested_objects, "d.json"); }), "d.json:1:1286: nesting deeper than 256 levels");
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  EXPECT_EQ(json::parse(ok, "d.json").items().size(), 1u);
}

// A large object parses in linear time (names are checked for duplicates with a set, lines counted once).
TEST(Json, LargeDocumentsKeepPositions) {
  std::string text = "{";
  for (int i = 0; i < 100000; ++i) text += (i ? ",\n\"k" : "\n\"k") + std::to_string(i) + "\": " + std::to_string(i);
  text += "}";
  const json::Value root = json::parse(text, "big.json");
  ASSERT_EQ(root.members().size(), 100000u);
  EXPECT_EQ(place_of(*root.find("k99999")), "100001:11");
}

TEST(Json, ReaderChecksKeysAndTypes) {
  const json::Value v = json::parse("{\n  \"bits\": 8.5,\n  \"colour\": 1\n}", "c.json");
  const json::Reader r(v, "c.json");
  EXPECT_EQ(error_of([&] { r.reject_unknown({"bits", "color"}); }), "c.json:3:13: unknown key 'colour' (did you mean 'color'?)");
  EXPECT_EQ(error_of([&] { r.integer("bits", 4, 13); }), "c.json:2:11: 'bits' must be a whole number");
  EXPECT_EQ(error_of([&] { r.string("bits"); }), "c.json:2:11: 'bits' must be a string");
  EXPECT_EQ(error_of([&] { r.require("missing"); }), "c.json:1:1: missing key 'missing'");
  EXPECT_EQ(error_of([&] { json::Reader(json::parse("\n  [1]", "a.json"), "a.json"); }), "a.json:2:3: expected a JSON object");
  const json::Value w = json::parse("{\"n\": 70000, \"flag\": 1, \"list\": {}}", "w.json");
  const json::Reader rw(w, "w.json");
  EXPECT_EQ(error_of([&] { rw.integer("n", 0, 65535); }), "w.json:1:7: 'n' must be in [0, 65535]");
  EXPECT_EQ(error_of([&] { rw.boolean("flag"); }), "w.json:1:22: 'flag' must be true or false");
  EXPECT_EQ(error_of([&] { rw.array("list"); }), "w.json:1:33: 'list' must be an array");
}

}  // namespace
}  // namespace npusim
