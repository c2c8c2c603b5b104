#include "common/yaml_reader.hpp"

#include <gtest/gtest.h>

#include "tests/error_text.hpp"

namespace npusim::workloads {
namespace {

using testing::error_of;

std::string read_error(const std::string& text) { return error_of([&] { YamlFile file(text, "f.yaml"); }); }

// Regression (issue 13): yaml-cpp keeps one of two equal keys without a word, so `dram.bandwidth_gbps`
// given twice, or an op's `type` given twice, ran with whichever it kept.
TEST(YamlReader, DuplicateKeysAreRefusedWithBothPositions) {
  EXPECT_EQ(read_error("a: 1\nb: 2\na: 3\n"), "f.yaml:3:1: duplicate key 'a' (first given at line 1, column 1)");
  EXPECT_EQ(read_error("dram:\n  bandwidth_gbps: 3\n  latency_ns: 5\n  bandwidth_gbps: 6\n"),
            "f.yaml:4:3: duplicate key 'bandwidth_gbps' (first given at line 2, column 3)");
  EXPECT_EQ(read_error("ops:\n  - {id: x, type: relu, type: gelu}\n"),
            "f.yaml:2:25: duplicate key 'type' (first given at line 2, column 13)");
  // Quoting does not make a key different.
  EXPECT_EQ(read_error("a: 1\n'a': 2\n"), "f.yaml:2:1: duplicate key 'a' (first given at line 1, column 1)");
  // Equal keys in different maps, and equal values, are fine.
  EXPECT_EQ(read_error("a: {x: 1}\nb: {x: 1}\nc: [x, x]\nd: x\ne: x\n"), "(no error)");
  EXPECT_EQ(read_error("- {x: 1}\n- {x: 2}\n"), "(no error)");
}

TEST(YamlReader, AliasesAndSecondDocumentsAreRefused) {
  // Aliases can make a few lines stand for exponentially many nodes.
  EXPECT_EQ(read_error("a: &x [1, 2]\nb: *x\n"), "f.yaml:2:4: aliases (*name) are not accepted: write the value out");
  EXPECT_EQ(read_error("a: 1\n---\nb: 2\n"), "f.yaml:2:1: a second YAML document is not accepted here");
  EXPECT_EQ(read_error("a: &x 1\n"), "(no error)");
}

TEST(YamlReader, EmptyFilesAreRecognisedAndSyntaxErrorsPositioned) {
  for (const char* nothing : {"", "\n\n", "# only a comment\n  # and another\n", "~\n", "---\n"}) {
    EXPECT_TRUE(YamlFile(nothing, "f.yaml").empty()) << nothing;
  }
  EXPECT_FALSE(YamlFile("a: 1\n", "f.yaml").empty());
  EXPECT_EQ(read_error("a: [1, 2\n"), "f.yaml:2:1: end of sequence flow not found");
  // Deep nesting ends in an error, not a stack overflow.
  EXPECT_NE(read_error(std::string(100000, '[')).find("f.yaml:"), std::string::npos);
}

}  // namespace
}  // namespace npusim::workloads
