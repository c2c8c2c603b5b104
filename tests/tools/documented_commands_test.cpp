// Every command the documentation shows as runnable runs and exits 0 (docs/index.md states the
// convention): inside a fenced block marked `console` in README.md or docs/*.md, each line that starts with
// "$ " is a command. The commands of one page run in order, through /bin/sh, from a fresh folder holding
// the repository's configs/, workloads/, examples/ and hw/ and the built binaries under build/, as they
// would from the repository root. A command whose program is not installed (Icarus, the Verilator
// testbench) is skipped with the rest of its block, and said so.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

namespace fs = std::filesystem;

struct Command {
  int line = 0;          // in the page, from 1
  int block = 0;         // which console block, from 0
  std::string text;      // without the "$ "
};

// The commands of a Markdown page: "$ " lines of ```console blocks.
std::vector<Command> documented_commands(const std::string& markdown) {
  std::vector<Command> commands;
  std::istringstream lines(markdown);
  std::string line;
  int number = 0, block = -1;
  bool in_fence = false, in_console = false;
  while (std::getline(lines, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      in_console = !in_fence && line == "```console";
      if (in_console) ++block;
      in_fence = !in_fence;
      continue;
    }
    if (in_console && line.rfind("$ ", 0) == 0) commands.push_back({number, block, line.substr(2)});
  }
  return commands;
}

// The pages: README.md and every docs/*.md, by name.
std::vector<std::string> documentation_pages() {
  std::vector<std::string> pages = {"README.md"};
  std::vector<std::string> docs;
  for (const auto& entry : fs::directory_iterator(fs::path(NPUSIM_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() == ".md") docs.push_back("docs/" + entry.path().filename().string());
  }
  std::sort(docs.begin(), docs.end());
  pages.insert(pages.end(), docs.begin(), docs.end());
  return pages;
}

bool program_available(const std::string& command, const fs::path& dir) {
  const std::string program = command.substr(0, command.find(' '));
  if (program.find('/') != std::string::npos) return fs::exists(dir / program);
  return std::system(("command -v '" + program + "' >/dev/null 2>&1").c_str()) == 0;
}

// A folder laid out as the repository root after the build.
fs::path make_root() {
  const fs::path dir = testing::make_temp_dir("npusim_docs");
  const fs::path source = NPUSIM_SOURCE_DIR;
  for (const char* folder : {"configs", "workloads", "examples", "hw"}) fs::create_directory_symlink(source / folder, dir / folder);
  fs::create_directory(dir / "build");
  fs::create_symlink(NPUSIM_BINARY, dir / "build" / "npusim");
  fs::create_symlink(NPUSIM_EXAMPLE_UNITS, dir / "build" / fs::path(NPUSIM_EXAMPLE_UNITS).filename());
  const std::string verilated = NPUSIM_VERILATOR_TB;
  if (!verilated.empty()) fs::create_symlink(verilated, dir / "build" / "bespoke_lut_vtb");
  return dir;
}

class DocumentedCommands : public ::testing::TestWithParam<std::string> {};

TEST_P(DocumentedCommands, RunAndExitZero) {
  const std::string page = GetParam();
  const std::vector<Command> commands = documented_commands(testing::read_whole_file(std::string(NPUSIM_SOURCE_DIR) + "/" + page));
  const fs::path root = make_root();
  int skipped_block = -1;
  std::vector<std::string> skipped;
  for (const Command& c : commands) {
    if (c.block == skipped_block || !program_available(c.text, root)) {
      skipped_block = c.block;
      skipped.push_back(page + ":" + std::to_string(c.line) + ": " + c.text);
      continue;
    }
    const std::string log = (root / "command.log").string();
    const std::string shell = "cd '" + root.string() + "' && (" + c.text + ") >'" + log + "' 2>&1 </dev/null";
    const auto start = std::chrono::steady_clock::now();
    const int status = std::system(shell.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    EXPECT_EQ(code, 0) << page << ":" << c.line << ": $ " << c.text << "\n" << testing::read_whole_file(log);
    // A documented example the suite runs stays small (docs/index.md): a slow one goes in an `sh` block.
    EXPECT_LT(seconds, 20.0) << page << ":" << c.line << ": $ " << c.text << " took " << seconds << " s";
  }
  for (const auto& s : skipped) std::cout << "not run (program not installed): " << s << "\n";
  if (!HasFailure()) fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Pages, DocumentedCommands, ::testing::ValuesIn(documentation_pages()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// The marking convention itself: only "$ " lines of console blocks count.
TEST(DocumentedCommandsConvention, OnlyDollarLinesOfConsoleBlocksAreCommands) {
  const std::string page =
      "```console\n$ build/npusim lut --function exp --range -8,0\noutput line\n```\n"
      "```sh\nbuild/npusim area\n$ build/npusim area\n```\n"
      "$ build/npusim outside a block\n"
      "```console\n$ build/npusim golden --out g\n```\n";
  const std::vector<Command> commands = documented_commands(page);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].text, "build/npusim lut --function exp --range -8,0");
  EXPECT_EQ(commands[0].line, 2);
  EXPECT_EQ(commands[1].text, "build/npusim golden --out g");
  EXPECT_EQ(commands[1].block, 1);
}

// Every page the documentation map names has runnable commands where a user needs them: the README's
// tour and the user guide are not allowed to lose theirs silently.
TEST(DocumentedCommandsConvention, TheReadmeAndTheUserGuideHaveCommandsToRun) {
  for (const std::string page : {"README.md", "docs/user-guide.md", "docs/rtl-flow.md"}) {
    EXPECT_GE(documented_commands(testing::read_whole_file(std::string(NPUSIM_SOURCE_DIR) + "/" + page)).size(), 5u) << page;
  }
}

// The README's "What the default job shows" is what `npusim` prints today, line for line.
TEST(DocumentedCommandsConvention, TheReadmeShowsTheDefaultJobsOutput) {
  const std::string readme = testing::read_whole_file(std::string(NPUSIM_SOURCE_DIR) + "/README.md");
  const size_t section = readme.find("## What the default job shows");
  ASSERT_NE(section, std::string::npos);
  const size_t start = readme.find("```\n", section) + 4, end = readme.find("```\n", start);
  ASSERT_LT(start, end);
  const auto run = testing::run_npusim("");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(readme.substr(start, end - start), run.out);
}

}  // namespace
}  // namespace npusim
