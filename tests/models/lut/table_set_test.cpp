#include "models/lut/table_set.hpp"

#include <gtest/gtest.h>

#include "tests/error_text.hpp"

#include <cmath>
#include <filesystem>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "models/lut/lut_export.hpp"
#include "common/readmemh.hpp"
#include "models/lut/universal_lut.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::error_of;

TableSet sample_set() {
  TableSet set("vit_base");
  set.add("blocks.0.mlp.gelu", BespokeLut::build(Function::gelu, -7.3, 11.1));
  set.add("blocks.0.attn.softmax.exp", BespokeLut::build(Function::exp, -13.7, 0.0));
  set.add("blocks.0.attn.softmax.reciprocal", BespokeLut::build(Function::reciprocal, 0.0, 197.0));
  LutOptions ten_bits;
  ten_bits.index_bits = 10;
  set.add("blocks.0.norm1.rsqrt", BespokeLut::build(Function::rsqrt, 1e-4, 3.3, ten_bits));
  return set;
}

TEST(TableSet, RoundTripsUnchanged) {
  const TableSet set = sample_set();
  ASSERT_EQ(set.dual_table_count(), 2u);
  EXPECT_EQ(set.total_bytes(), 514u + 514u + (514u + 34u) + (1025u * 2 + 34u));
  const std::string dir = testing::make_temp_dir();
  set.save(dir + "/tables.json");
  const TableSet back = TableSet::load(dir + "/tables.json");
  EXPECT_TRUE(back == set);
  EXPECT_EQ(back.find("blocks.0.norm1.rsqrt")->index_bits(), 10);
  EXPECT_EQ(back.to_json(), set.to_json());
  std::filesystem::remove_all(dir);
}

TEST(TableSet, DuplicateLayersAreRejected) {
  TableSet set = sample_set();
  EXPECT_EQ(error_of([&] { set.add("blocks.0.mlp.gelu", BespokeLut::build(Function::gelu, -1, 1)); }),
            "layer 'blocks.0.mlp.gelu' already has a table");
}

TEST(TableSet, BadFilesNameTheLineAndColumn) {
  const std::string good = sample_set().to_json();
  EXPECT_EQ(error_of([] { TableSet::from_json("{\"format\": \"npusim-table-set\", \"version\": 2, \"model\": \"m\", \"tables\": []}", "t.json"); }),
            "t.json:1:43: table set version 2 is not supported (this npusim reads version 1)");
  EXPECT_EQ(error_of([] { TableSet::from_json("{\"format\": \"x\", \"version\": 1, \"model\": \"m\", \"tables\": []}", "t.json"); }),
            "t.json:1:12: not a table set (format must be 'npusim-table-set')");
  EXPECT_EQ(error_of([] { TableSet::from_json("{\"format\": \"npusim-table-set\", \"version\": 1, \"modle\": \"m\", \"tables\": []}", "t.json"); }),
            "t.json:1:55: unknown key 'modle' (did you mean 'model'?)");
  const std::string bad_entry = "{\"format\": \"npusim-table-set\", \"version\": 1, \"model\": \"m\", \"tables\": [\n"
                                "{\"layer\": \"l\", \"function\": \"gelu\", \"range\": [1, -1], \"index_bits\": 8, \"out_scale\": 0.1,"
                                " \"base\": [], \"dual\": []}]}";
  EXPECT_EQ(error_of([&] { TableSet::from_json(bad_entry, "t.json"); }), "t.json:2:1: table 'l': range needs min < max, got [1, -1]");
  const std::string bad_value = "{\"format\": \"npusim-table-set\", \"version\": 1, \"model\": \"m\", \"tables\": [\n"
                                "{\"layer\": \"l\", \"function\": \"gelu\", \"range\": [-1, 1], \"index_bits\": 4, \"out_scale\": 0.1,"
                                " \"base\": [40000], \"dual\": []}]}";
  EXPECT_EQ(error_of([&] { TableSet::from_json(bad_value, "t.json"); }), "t.json:2:98: a table entry must be in [-32768, 32767]");
  EXPECT_NE(error_of([] { TableSet::load("/nonexistent/tables.json"); }).find("cannot read /nonexistent/tables.json"), std::string::npos);
}

TEST(LutExport, WritesReadmemhTablesAndAManifestThatReadsBack) {
  const std::string dir = testing::make_temp_dir() + "/nested/export";
  const BespokeLut lut = BespokeLut::build(Function::rsqrt, 0.0, 4.0);
  ASSERT_TRUE(lut.has_dual_range());
  const ExportedLutFiles files = export_lut(lut, dir, "ln1");
  const std::string base_text = read_file(files.base_path);
  EXPECT_EQ(base_text.size(), 257u * 5);  // 4 hex digits and a newline per entry
  EXPECT_EQ(parse_readmemh(base_text, files.base_path), lut.base_table());
  EXPECT_EQ(parse_readmemh(read_file(files.dual_path), files.dual_path), lut.dual_table());
  const BespokeLut back = import_lut(files.manifest_path);
  EXPECT_TRUE(back == lut);
  const json::Value manifest = json::parse(read_file(files.manifest_path), files.manifest_path);
  EXPECT_EQ(manifest.find("index_bits")->as_number(), 8);
  EXPECT_TRUE(manifest.find("dual_range")->as_bool());
  EXPECT_EQ(manifest.find("files")->find("dual")->as_string(), "ln1_dual.hex");
}

TEST(LutExport, UnwritableFolderIsAnError) {
  const std::string dir = testing::make_temp_dir();
  write_file_atomically(dir + "/plain_file", "x");
  const BespokeLut lut = BespokeLut::build(Function::gelu, -1, 1);
  EXPECT_NE(error_of([&] { export_lut(lut, dir + "/plain_file/sub", "g"); }).find("cannot create directory"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(UniversalLut, CoversTheUnionOfInstanceRanges) {
  const BespokeLut lut = build_universal_lut(Function::gelu, {{-3, 2}, {-8, 1}, {0, 6}});
  EXPECT_EQ(lut.range_min(), -8);
  EXPECT_EQ(lut.range_max(), 6);
  EXPECT_EQ(error_of([] { build_universal_lut(Function::gelu, {}); }), "a universal LUT needs at least one instance range");
  EXPECT_THROW(build_universal_lut(Function::gelu, {{1, 1}}), Error);
}

TEST(UniversalLut, BespokeIsAtLeastAsAccurateOnEverySubRange) {
  const std::vector<InputRange> ranges = {{-3, 2}, {-8, 1}, {0, 6}, {-1, 1}};
  const BespokeLut universal = build_universal_lut(Function::gelu, ranges);
  for (const InputRange& r : ranges) {
    const BespokeLut bespoke = BespokeLut::build(Function::gelu, r.min, r.max);
    double bespoke_max = 0, universal_max = 0;
    for (int i = 0; i <= 4096; ++i) {
      const double x = r.min + (r.max - r.min) * i / 4096.0;
      const double truth = evaluate(Function::gelu, x);
      bespoke_max = std::max(bespoke_max, std::fabs(truth - bespoke.output_value(bespoke.lookup(bespoke.code_of(x)))));
      universal_max = std::max(universal_max, std::fabs(truth - universal.output_value(universal.lookup(universal.code_of(x)))));
    }
    EXPECT_LE(bespoke_max, universal_max) << "range [" << r.min << ", " << r.max << "]";
  }
}

}  // namespace
}  // namespace npusim
