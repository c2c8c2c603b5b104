// Output folders end to end (common/output_folder.hpp): a second `golden` into a folder leaves only its
// own set, and the testbench line it prints then passes check-rtl; another kind of result or the user's
// files are refused naming --force; --force keeps what npusim did not write; `lut --export` keeps tables
// of other names and replaces its own; `lutnn export` replaces its earlier export.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "common/atomic_file.hpp"
#include "common/output_folder.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_directory()) files.insert(e.path().lexically_relative(dir).generic_string());
  }
  return files;
}

// The line of `out` after the one containing `marker`, without its indentation.
std::string line_after(const std::string& out, const std::string& marker) {
  const size_t at = out.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = out.find_first_not_of(' ', out.find('\n', at) + 1);
  return out.substr(start, out.find('\n', start) - start);
}

class OutputFolders : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("npusim_output_folders"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Issue 25: rsqrt (with a dual-range table) then gelu (without) into one folder left rsqrt's dual.hex,
// and the testbench then ran gelu's vectors through rsqrt's dual table.
TEST_F(OutputFolders, ASecondGoldenSetReplacesTheFirstAndItsTestbenchLinePasses) {
  const std::string g = dir_ + "/g";
  const auto rsqrt = run_npusim("golden --function rsqrt --range 0,4 --out " + g);
  ASSERT_EQ(rsqrt.exit_code, 0) << rsqrt.err;
  EXPECT_TRUE(files_in(g).count("dual.hex"));
  const auto gelu = run_npusim("golden --function gelu --range -8,8 --codes 5000 --seed 3 --out " + g);
  ASSERT_EQ(gelu.exit_code, 0) << gelu.err;
  EXPECT_EQ(files_in(g), (std::set<std::string>{"base.hex", "expected.hex", "manifest.json", "stimulus.hex", kOutputManifestName}));
  std::string testbench = line_after(gelu.out, "testbench");
  EXPECT_EQ(testbench, "bespoke_lut_vtb " + g + "/base.hex - " + g + "/stimulus.hex rtl_out.hex") << gelu.out;
  const std::string check = line_after(gelu.out, testbench);
  EXPECT_EQ(check, "npusim check-rtl --expected " + g + " --actual rtl_out.hex") << gelu.out;
  const std::string verilated = NPUSIM_VERILATOR_TB;
  if (verilated.empty()) GTEST_SKIP() << "Verilator was not found at configure time: the printed testbench line is not run";
  testbench.replace(0, std::string("bespoke_lut_vtb").size(), verilated);
  const std::string dump = dir_ + "/rtl_out.hex";
  testbench.replace(testbench.rfind("rtl_out.hex"), std::string("rtl_out.hex").size(), dump);
  ASSERT_EQ(std::system((testbench + " >/dev/null").c_str()), 0) << testbench;
  const auto checked = run_npusim("check-rtl --expected " + g + " --actual " + dump);
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
}

TEST_F(OutputFolders, AGoldenFolderWrittenBeforeManifestsCountsAsAnEarlierGoldenSet) {
  const std::string g = dir_ + "/old";
  ASSERT_EQ(run_npusim("golden --function rsqrt --range 0,4 --codes 100 --out " + g).exit_code, 0);
  std::filesystem::remove(g + "/" + kOutputManifestName);  // as an older npusim left it
  const auto again = run_npusim("golden --function gelu --range -8,8 --codes 100 --out " + g);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(files_in(g).count("dual.hex"));
}

TEST_F(OutputFolders, AnotherKindOfResultOrTheUsersFilesAreRefusedNamingForce) {
  const std::string folder = dir_ + "/layer";
  ASSERT_EQ(run_npusim("lutnn export --in-features 32 --out-features 16 --tokens 64 --out " + folder).exit_code, 0);
  const auto golden = run_npusim("golden --function gelu --range -8,8 --codes 100 --out " + folder);
  EXPECT_EQ(golden.exit_code, 1);
  EXPECT_TRUE(contains(golden.err, folder + " holds a lutnn-export result (written by npusim lutnn export), not a golden result")) << golden.err;
  EXPECT_TRUE(contains(golden.err, "--force")) << golden.err;
  EXPECT_FALSE(files_in(folder).count("stimulus.hex"));

  write_file_atomically(folder + "/notes.txt", "mine\n");
  const auto export_again = run_npusim("lutnn export --in-features 32 --out-features 16 --tokens 64 --out " + folder);
  EXPECT_EQ(export_again.exit_code, 1);
  EXPECT_TRUE(contains(export_again.err, "holds files npusim did not write (notes.txt)")) << export_again.err;

  const auto forced = run_npusim("golden --function gelu --range -8,8 --codes 100 --force --out " + folder);
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(files_in(folder),
            (std::set<std::string>{"base.hex", "expected.hex", "manifest.json", "stimulus.hex", "notes.txt", kOutputManifestName}));
}

TEST_F(OutputFolders, LutExportKeepsTablesOfOtherNamesAndReplacesItsOwn) {
  const std::string folder = dir_ + "/tables";
  ASSERT_EQ(run_npusim("lut --function rsqrt --range 0,4 --dual-range on --export " + folder + " --name norm").exit_code, 0);
  ASSERT_EQ(run_npusim("lut --function exp --range -8,0 --export " + folder).exit_code, 0);
  EXPECT_TRUE(files_in(folder).count("norm_dual.hex"));
  ASSERT_EQ(run_npusim("lut --function rsqrt --range 0,4 --dual-range off --export " + folder + " --name norm").exit_code, 0);
  EXPECT_EQ(files_in(folder), (std::set<std::string>{"exp.json", "exp_base.hex", "norm.json", "norm_base.hex", kOutputManifestName}));
}

}  // namespace
}  // namespace npusim
