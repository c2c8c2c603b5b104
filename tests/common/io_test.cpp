#include <gtest/gtest.h>

#include "tests/error_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

// Issue 27: readers had no size cap, so `npusim import /dev/zero` read until memory ran out.
TEST(ReadFile, StopsAtTheReadersLimitNamingIt) {
  const std::string dir = testing::make_temp_dir();
  const ReadLimit limit{"a test file", read_limits::kMiB};
  write_file_atomically(dir + "/exact", std::string(read_limits::kMiB, 'x'));
  EXPECT_EQ(read_file(dir + "/exact", limit).size(), static_cast<size_t>(read_limits::kMiB));
  write_file_atomically(dir + "/over", std::string(read_limits::kMiB + 1, 'x'));
  EXPECT_EQ(error_of([&] { read_file(dir + "/over", limit); }), "cannot read " + dir + "/over: more than 1 MiB, the limit for a test file");
  // A device has no size: it is read one chunk past the limit, not until memory runs out.
  EXPECT_EQ(error_of([&] { read_file("/dev/zero", limit); }), "cannot read /dev/zero: more than 1 MiB, the limit for a test file");
  EXPECT_EQ(read_file("/dev/null", limit), "");
  std::filesystem::remove_all(dir);
}

// Outputs through paths that are not regular files (issue 27: every output was renamed over its
// target, so as root --json /dev/null turned /dev/null into a regular file, and a symlinked output was
// replaced while its target was left as it was). Both writers, each case.
struct Writer {
  const char* name;
  void (*write)(const std::string& path, const std::string& text);
};
const Writer kWriters[] = {
    {"write_file_atomically", [](const std::string& path, const std::string& text) { write_file_atomically(path, text); }},
    {"AtomicFileWriter",
     [](const std::string& path, const std::string& text) {
       AtomicFileWriter writer(path);
       writer.write(text.substr(0, 3));
       writer.write(text.substr(3));
       writer.commit();
     }},
};

std::filesystem::file_type type_of(const std::string& path) { return std::filesystem::symlink_status(path).type(); }

TEST(AtomicFile, ASymlinkStaysAndItsTargetIsReplaced) {
  for (const Writer& w : kWriters) {
    SCOPED_TRACE(w.name);
    const std::string dir = testing::make_temp_dir();
    write_file_atomically(dir + "/target.json", "old");
    std::filesystem::create_symlink("target.json", dir + "/link.json");
    w.write(dir + "/link.json", "new result");
    EXPECT_EQ(type_of(dir + "/link.json"), std::filesystem::file_type::symlink);
    EXPECT_EQ(read_file(dir + "/target.json"), "new result");
    // A dangling link: the file it names is created, the link stays.
    std::filesystem::create_symlink("sub/../later.json", dir + "/dangling.json");
    std::filesystem::create_directory(dir + "/sub");
    w.write(dir + "/dangling.json", "created");
    EXPECT_EQ(type_of(dir + "/dangling.json"), std::filesystem::file_type::symlink);
    EXPECT_EQ(read_file(dir + "/later.json"), "created");
    // A link to a folder is refused; the link and the folder stay as they were.
    std::filesystem::create_symlink("sub", dir + "/folder_link");
    EXPECT_EQ(error_of([&] { w.write(dir + "/folder_link", "x"); }), "cannot write " + dir + "/folder_link: a symlink to a directory");
    EXPECT_EQ(type_of(dir + "/folder_link"), std::filesystem::file_type::symlink);
    EXPECT_TRUE(std::filesystem::is_empty(dir + "/sub"));
    EXPECT_EQ(error_of([&] { w.write(dir + "/sub", "x"); }), "cannot write " + dir + "/sub: a directory");
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();  // no temporary left behind
    }
    std::filesystem::remove_all(dir);
  }
}

TEST(AtomicFile, AFifoIsWrittenThroughNotReplaced) {
  for (const Writer& w : kWriters) {
    SCOPED_TRACE(w.name);
    const std::string dir = testing::make_temp_dir();
    const std::string fifo = dir + "/pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // The reading end is open first (without blocking), so the writer's open finds a reader.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    w.write(fifo, "through the pipe");
    char buffer[64] = {};
    const ssize_t received = ::read(reader, buffer, sizeof buffer);
    ::close(reader);
    EXPECT_EQ(std::string(buffer, received > 0 ? static_cast<size_t>(received) : 0), "through the pipe");
    EXPECT_EQ(type_of(fifo), std::filesystem::file_type::fifo);
    std::filesystem::remove_all(dir);
  }
}

// A character device is written in place. As root the test makes its own null device (renaming over
// the real /dev/null, should this regress, would break the machine); otherwise /dev/null, which a
// non-root rename cannot replace anyway.
TEST(AtomicFile, ADeviceIsWrittenThroughNotReplaced) {
  for (const Writer& w : kWriters) {
    SCOPED_TRACE(w.name);
    const std::string dir = testing::make_temp_dir();
    std::string device = dir + "/null";
    if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) device = "/dev/null";
    w.write(device, "discarded");
    EXPECT_EQ(type_of(device), std::filesystem::file_type::character);
    if (::mknod((dir + "/block").c_str(), S_IFBLK | 0600, ::makedev(7, 250)) == 0) {
      EXPECT_EQ(error_of([&] { w.write(dir + "/block", "x"); }),
                "cannot write " + dir + "/block: a block device (results go to files, character devices and pipes)");
      EXPECT_EQ(type_of(dir + "/block"), std::filesystem::file_type::block);
    }
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace npusim
