// End-to-end tests of `npusim lut`, the default job and the command-line plumbing.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/readmemh.hpp"
#include "models/lut/lut_export.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

using testing::contains;

TEST(NpusimCli, HelpListsSubcommands) {
  const auto r = run_npusim("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "lut")) << r.out;
  const auto lut_help = run_npusim("lut --help");
  EXPECT_EQ(lut_help.exit_code, 0);
  EXPECT_TRUE(contains(lut_help.out, "--dual-range")) << lut_help.out;
}

TEST(NpusimCli, UnknownSubcommandOrOptionIsAOneLineUsageError) {
  const auto sub = run_npusim("lutt");
  EXPECT_EQ(sub.exit_code, 2);
  EXPECT_EQ(sub.err, "npusim: unknown subcommand 'lutt' (did you mean 'lut'?) (see 'npusim --help')\n");
  const auto option = run_npusim("lut --function gelu --range -1,1 --colour red");
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_TRUE(contains(option.err, "unrecognised option '--colour'")) << option.err;
  EXPECT_EQ(std::count(option.err.begin(), option.err.end(), '\n'), 1);
  const auto missing = run_npusim("lut --function gelu");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(contains(missing.err, "'--range' is required")) << missing.err;
  const auto malformed = run_npusim("lut --function gelu --range 1");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_TRUE(contains(malformed.err, "--range takes MIN,MAX")) << malformed.err;
  const auto bad_bits = run_npusim("lut --function gelu --range -1,1 --bits eight");
  EXPECT_EQ(bad_bits.exit_code, 2);
}

TEST(NpusimCli, LutBlockReportsTheBlocksTables) {
  const auto r = run_npusim("lut-block");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"exp", "reciprocal", "rsqrt", "gelu", "silu", "total table memory"}) {
    EXPECT_TRUE(contains(r.out, name)) << name;
  }
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(NpusimLut, ReportsScalesErrorsAndTheDualDecision) {
  const auto r = run_npusim("lut --function rsqrt --range 0,4 --intervals 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* fragment : {"257 base entries + 17 dual-range entries", "output scale s_out", "attached (MAPE_0",
                               "with the dual-range table", "max abs error", "mean rel error", "First 3 intervals",
                               "Worst 3 intervals", "table bytes         548"}) {
    EXPECT_TRUE(contains(r.out, fragment)) << fragment << "\n" << r.out;
  }
  const auto off = run_npusim("lut --function rsqrt --range 0,4 --dual-range off");
  ASSERT_EQ(off.exit_code, 0);
  EXPECT_TRUE(contains(off.out, "not attached (--dual-range off)")) << off.out;
  const auto negative = run_npusim("lut --function gelu --range -8,-1 --bits 6");
  ASSERT_EQ(negative.exit_code, 0) << negative.err;
  EXPECT_TRUE(contains(negative.out, "gelu on [-8, -1]")) << negative.out;
  EXPECT_TRUE(contains(negative.out, "65 base entries")) << negative.out;
}

TEST(NpusimLut, ExportWritesTablesAndManifest) {
  const std::string dir = testing::make_temp_dir() + "/rtl";
  const auto r = run_npusim("lut --function reciprocal --range 0.01,8 --export " + dir + " --name softmax_recip");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const BespokeLut lut = import_lut(dir + "/softmax_recip.json");
  EXPECT_TRUE(lut == BespokeLut::build(Function::reciprocal, 0.01, 8.0));
  EXPECT_EQ(parse_readmemh(read_file(dir + "/softmax_recip_base.hex"), "base").size(), 257u);
  EXPECT_EQ(parse_readmemh(read_file(dir + "/softmax_recip_dual.hex"), "dual").size(), 17u);
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(NpusimLut, BadInputIsAClearErrorWithExitCode1) {
  const std::string dir = testing::make_temp_dir();
  write_file_atomically(dir + "/file", "x");
  const struct {
    std::string args;
    std::string message;
  } cases[] = {
      {"lut --function gelu --range 2,1", "range needs min < max"},
      {"lut --function gelu --range 1,1", "range needs min < max"},
      {"lut --function gelu --range nan,1", "range bounds must be numbers"},
      {"lut --function gelx --range -1,1", "unknown function 'gelx' (did you mean 'gelu'?)"},
      {"lut --function gelu --range -1,1 --bits 3", "index bits must be in 4..13, got 3"},
      {"lut --function gelu --range -1,1 --bits 14", "index bits must be in 4..13, got 14"},
      {"lut --function gelu --range -1,1 --dual-range maybe", "dual-range mode must be auto, on or off"},
      {"lut --function gelu --range -1,1 --out-scale -2", "output scale must be a positive finite number"},
      {"lut --function rsqrt --range -1,1", "rsqrt is undefined"},
      {"lut --function gelu --range -1,1 --export " + dir + "/file/sub", "cannot create directory"},
  };
  for (const auto& c : cases) {
    const auto r = run_npusim(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_TRUE(contains(r.err, "npusim: error: " + c.message)) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
