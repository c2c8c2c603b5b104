// Result folders that cannot mix (common/output_folder.hpp): a writer replaces its own kind's earlier
// files and nothing else, refuses another kind's result or files npusim did not write unless forced, and
// never removes a file outside the folder whatever its manifest says.
#include "common/output_folder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"
#include "tests/error_text.hpp"

namespace npusim {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

// Every file under `dir`, relative, the manifest included.
std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_directory() || e.is_symlink()) files.insert(e.path().lexically_relative(dir).generic_string());
  }
  return files;
}

void write(const std::string& path, const std::string& text = "x\n") {
  fs::create_directories(fs::path(path).parent_path());
  write_file_atomically(path, text);
}

OutputManifest manifest_of(const std::string& dir) {
  return parse_output_manifest(read_file(dir + "/" + kOutputManifestName), kOutputManifestName);
}

class OutputFolderTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = testing::make_temp_dir("npusim_output_folder"); }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

TEST_F(OutputFolderTest, AFreshFolderIsCreatedAndItsManifestListsWhatWasWritten) {
  const std::string dir = root_ + "/new/g";
  OutputFolder folder = OutputFolder::prepare(dir, "golden", "npusim golden");
  EXPECT_FALSE(manifest_of(dir).complete);  // an interrupted writer leaves it so
  write(dir + "/base.hex");
  write(dir + "/sub/stimulus.hex");
  folder.commit();
  const OutputManifest m = manifest_of(dir);
  EXPECT_TRUE(m.complete);
  EXPECT_EQ(m.kind, "golden");
  EXPECT_EQ(m.command, "npusim golden");
  EXPECT_EQ(m.files, (std::vector<std::string>{"base.hex", "sub/stimulus.hex"}));
  EXPECT_TRUE(m.other_files.empty());
}

TEST_F(OutputFolderTest, TheSameKindAgainRemovesTheEarlierFilesAndTheFoldersTheyLeaveEmpty) {
  const std::string dir = root_ + "/g";
  OutputFolder first = OutputFolder::prepare(dir, "golden", "npusim golden");
  for (const char* f : {"base.hex", "dual.hex", "gelu/expected.hex"}) write(dir + "/" + f);
  first.commit();
  OutputFolder second = OutputFolder::prepare(dir, "golden", "npusim golden");
  EXPECT_EQ(files_in(dir), (std::set<std::string>{kOutputManifestName}));
  write(dir + "/base.hex");
  second.commit();
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"base.hex", kOutputManifestName}));
}

TEST_F(OutputFolderTest, AnotherKindIsRefusedNamingForceAndForceReplacesOnlyNpusimFiles) {
  const std::string dir = root_ + "/run1";
  OutputFolder run = OutputFolder::prepare(dir, "run", "npusim run");
  write(dir + "/summary.csv");
  write(dir + "/dsp/report.json");
  run.commit();
  const std::string error = testing::error_of([&] { OutputFolder::prepare(dir, "sweep", "npusim sweep"); });
  EXPECT_TRUE(contains(error, dir + " holds a run result (written by npusim run), not a sweep result")) << error;
  EXPECT_TRUE(contains(error, "--force")) << error;
  EXPECT_EQ(files_in(dir).size(), 3u) << "a refused writer changes nothing";

  write(dir + "/my_notes.txt");  // the user's own file
  OutputFolder sweep = OutputFolder::prepare(dir, "sweep", "npusim sweep", {true, false});
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"my_notes.txt", kOutputManifestName}));
  write(dir + "/summary.csv");
  sweep.commit();
  const OutputManifest m = manifest_of(dir);
  EXPECT_EQ(m.files, (std::vector<std::string>{"summary.csv"}));
  EXPECT_EQ(m.other_files, (std::vector<std::string>{"my_notes.txt"}));
  // The user's file, once accepted with --force, does not need --force again; it stays.
  OutputFolder::prepare(dir, "sweep", "npusim sweep").commit();
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"my_notes.txt", kOutputManifestName}));
}

TEST_F(OutputFolderTest, FilesNpusimDidNotWriteAreRefusedAndKeptUnderForce) {
  const std::string dir = root_ + "/mine";
  write(dir + "/thesis.tex");
  write(dir + "/figures/a.pdf");
  const std::string error = testing::error_of([&] { OutputFolder::prepare(dir, "golden", "npusim golden"); });
  EXPECT_TRUE(contains(error, "holds files npusim did not write (figures/a.pdf, thesis.tex)")) << error;
  EXPECT_TRUE(contains(error, "--force")) << error;
  EXPECT_FALSE(fs::exists(dir + "/" + kOutputManifestName));
  OutputFolder folder = OutputFolder::prepare(dir, "golden", "npusim golden", {true, false});
  write(dir + "/base.hex");
  folder.commit();
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"base.hex", "figures/a.pdf", "thesis.tex", kOutputManifestName}));
  EXPECT_EQ(manifest_of(dir).files, (std::vector<std::string>{"base.hex"}));

  // A file added to a result folder afterwards is foreign too.
  write(dir + "/later.txt");
  EXPECT_TRUE(contains(testing::error_of([&] { OutputFolder::prepare(dir, "golden", "npusim golden"); }), "(later.txt)"));
}

TEST_F(OutputFolderTest, AnInterruptedWritersFilesGoWithTheNextWriterOfItsKind) {
  const std::string dir = root_ + "/cut";
  write(dir + "/keep.txt");
  OutputFolder::prepare(dir, "run", "npusim run", {true, false});  // kept keep.txt; never committed
  write(dir + "/ops.csv");
  write(dir + "/ops.csv.tmp.1234");
  EXPECT_TRUE(contains(testing::error_of([&] { OutputFolder::prepare(dir, "golden", "npusim golden"); }), "holds a run result"));
  OutputFolder::prepare(dir, "run", "npusim run").commit();
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"keep.txt", kOutputManifestName}));
}

TEST_F(OutputFolderTest, KeepPreviousKeepsTheKindsFilesAndRemovePreviousReplacesNamedOnes) {
  const std::string dir = root_ + "/tables";
  OutputFolder first = OutputFolder::prepare(dir, "lut-export", "npusim lut");
  for (const char* f : {"gelu.json", "gelu_base.hex", "gelu_dual.hex"}) write(dir + "/" + f);
  first.commit();
  OutputFolder second = OutputFolder::prepare(dir, "lut-export", "npusim lut", {false, true});
  write(dir + "/exp.json");
  second.commit();
  EXPECT_EQ(manifest_of(dir).files, (std::vector<std::string>{"exp.json", "gelu.json", "gelu_base.hex", "gelu_dual.hex"}));
  // gelu again, now without a dual-range table: its old dual file goes, exp stays.
  OutputFolder third = OutputFolder::prepare(dir, "lut-export", "npusim lut", {false, true});
  third.remove_previous({"gelu.json", "gelu_base.hex", "gelu_dual.hex", "not_there.hex"});
  write(dir + "/gelu.json");
  write(dir + "/gelu_base.hex");
  third.commit();
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"exp.json", "gelu.json", "gelu_base.hex", kOutputManifestName}));
}

TEST_F(OutputFolderTest, AManifestCannotMakeAWriterRemoveFilesOutsideTheFolder) {
  const std::string dir = root_ + "/evil", outside = root_ + "/outside";
  write(outside + "/secret.txt");
  fs::create_directories(dir);
  fs::create_directory_symlink(outside, dir + "/link");
  // A manifest naming a path through a symbolic link: the link is the folder's file, what it points to is not.
  write(dir + "/" + kOutputManifestName,
        R"({"format": "npusim-output", "version": 1, "kind": "run", "command": "npusim run", "complete": true,
            "files": ["link", "link/secret.txt"], "other_files": []})");
  OutputFolder::prepare(dir, "run", "npusim run").commit();
  EXPECT_TRUE(fs::exists(outside + "/secret.txt"));
  EXPECT_FALSE(fs::exists(dir + "/link"));
  // Paths that leave the folder are an error naming the place.
  for (const char* path : {"../outside/secret.txt", "/etc/passwd", "a/../../x", "./a", "a//b", ""}) {
    const std::string text = std::string(R"({"format": "npusim-output", "version": 1, "kind": "run", "command": "npusim run", )") +
                             R"("complete": true, "files": [")" + path + R"("], "other_files": []})";
    write(dir + "/" + kOutputManifestName, text);
    const std::string error = testing::error_of([&] { OutputFolder::prepare(dir, "run", "npusim run"); });
    EXPECT_TRUE(contains(error, std::string(kOutputManifestName) + ":1:")) << path << ": " << error;
    EXPECT_TRUE(contains(error, "is not a relative path inside the folder")) << path << ": " << error;
  }
  EXPECT_TRUE(fs::exists(outside + "/secret.txt"));
}

TEST_F(OutputFolderTest, MalformedManifestsAndFilesInPlaceOfFoldersAreClearErrors) {
  const std::string dir = root_ + "/bad";
  write(dir + "/" + kOutputManifestName, R"({"format": "npusim-output", "version": 1, "kind": "run", "comand": "x"})");
  EXPECT_TRUE(contains(testing::error_of([&] { OutputFolder::prepare(dir, "run", "npusim run"); }), "comand")) << "unknown key";
  write(dir + "/" + kOutputManifestName, R"({"format": "npusim-output", "version": 2, "kind": "run", "command": "x", "complete": true, "files": [], "other_files": []})");
  EXPECT_TRUE(contains(testing::error_of([&] { OutputFolder::prepare(dir, "run", "npusim run"); }), "version"));
  write(root_ + "/file");
  EXPECT_EQ(testing::error_of([&] { OutputFolder::prepare(root_ + "/file", "run", "npusim run"); }), root_ + "/file is not a folder");
}

}  // namespace
}  // namespace npusim
