// Hostile inputs end to end (issue 27): every command that reads one ends in a clean one-line refusal
// with exit code 1, never a signal, a sanitizer report or an out-of-memory death.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "common/npy.hpp"
#include "common/read_limits.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::CliResult;
using testing::run_npusim;

const std::string kRegressions = std::string(NPUSIM_SOURCE_DIR) + "/tests/fuzz/regressions/";

// A 155-byte Conv with strides [0, 0]: libonnx's shape inference divided by them (SIGFPE) in import,
// infer and calibrate before npusim's own check ran.
TEST(HostileInputs, ZeroStridesAreRefusedByEveryOnnxCommand) {
  const std::string dir = testing::make_temp_dir("npusim_hostile");
  const std::string model = kRegressions + "onnx/conv_zero_strides.onnx";
  std::filesystem::create_directory(dir + "/inputs");
  npy::write_float32(dir + "/inputs/x.npy", {1, 1, 4, 4}, std::vector<float>(16, 0.5f));
  const std::string expected =
      "npusim: error: " + model + ": shape inference: Conv 'conv': attribute strides holds 0, outside 1..2147483648\n";
  for (const std::string& command : {"import " + model + " -o " + dir + "/t.yaml",
                                     "infer " + model + " --input " + dir + "/inputs/x.npy --out " + dir + "/out",
                                     "calibrate " + model + " --inputs " + dir + "/inputs -o " + dir + "/cal.yaml"}) {
    const CliResult r = run_npusim(command);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.err, expected) << command;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.yaml"));
  std::filesystem::remove_all(dir);
}

// `--json /dev/null` as root renamed a regular file over /dev/null; a symlinked output was replaced by
// a file while its target kept the old result. (As root the test makes its own null device: should
// this regress, the real /dev/null would be the casualty.)
TEST(HostileInputs, OutputsThroughDevicesAndSymlinksAreWrittenThrough) {
  const std::string dir = testing::make_temp_dir("npusim_hostile");
  std::string device = dir + "/null";
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) device = "/dev/null";
  const std::string accuracy = "accuracy --op softmax --shape 2,8 --methods bespoke --json ";
  CliResult r = run_npusim(accuracy + device);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::filesystem::symlink_status(device).type(), std::filesystem::file_type::character);
  std::filesystem::create_symlink("result.json", dir + "/link.json");
  r = run_npusim(accuracy + dir + "/link.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(dir + "/link.json"));
  EXPECT_NE(testing::read_whole_file(dir + "/result.json").find("npusim-accuracy"), std::string::npos);
  std::filesystem::create_directory(dir + "/folder");
  std::filesystem::create_symlink("folder", dir + "/folder_link");
  r = run_npusim(accuracy + dir + "/folder_link");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: cannot write " + dir + "/folder_link: a symlink to a directory\n");
  std::filesystem::remove_all(dir);
}

// Readers had no size cap: `npusim import /dev/zero` (and --config, --workload, --input) read until
// memory ran out and ended in "internal error: std::bad_alloc". Every reader of a user file stops at its
// limit (common/read_limits.hpp) and names it: /dev/zero for the small limits (a device is read one
// chunk past the limit), a sparse file one byte over it for the large ones (refused before reading).
TEST(HostileInputs, EveryReaderStopsAtItsLimit) {
  const std::string dir = testing::make_temp_dir("npusim_hostile");
  const auto sparse = [&](const std::string& name, int64_t mib) {
    const std::string path = dir + "/" + name;
    std::ofstream(path).close();
    std::filesystem::resize_file(path, static_cast<uintmax_t>(mib * read_limits::kMiB + 1));
    return path;
  };
  const std::string model = std::string(NPUSIM_SOURCE_DIR) + "/tests/fuzz/corpus/onnx/tiny_block.onnx";
  const std::string trace = std::string(NPUSIM_SOURCE_DIR) + "/workloads/traces/vit_base_block.yaml";
  ASSERT_EQ(run_npusim("golden --function gelu --range -8,8 --codes 10 --out " + dir + "/golden").exit_code, 0);
  std::filesystem::create_directory(dir + "/zero_manifest");
  std::filesystem::create_symlink("/dev/zero", dir + "/zero_manifest/manifest.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"import " + sparse("big.onnx", 512), dir + "/big.onnx: more than 512 MiB, the limit for an ONNX model"},
      {"infer " + model + " --input " + sparse("big.npy", 512), dir + "/big.npy: more than 512 MiB, the limit for a .npy array"},
      {"run --workload " + sparse("big.yaml", 256), dir + "/big.yaml: more than 256 MiB, the limit for a trace"},
      {"check-rtl --expected " + dir + "/golden --actual " + sparse("big.hex", 256),
       dir + "/big.hex: more than 256 MiB, the limit for an RTL output dump"},
      {"run --config /dev/zero --workload " + trace, "/dev/zero: more than 16 MiB, the limit for a hardware config"},
      {"run --workload " + trace + " --calibration /dev/zero", "/dev/zero: more than 64 MiB, the limit for a calibration file"},
      {"sweep /dev/zero --out " + dir + "/sweep", "/dev/zero: more than 16 MiB, the limit for a sweep spec"},
      {"check-rtl --expected " + dir + "/zero_manifest --actual /dev/null",
       dir + "/zero_manifest/manifest.json: more than 16 MiB, the limit for a golden-vector manifest"},
  };
  for (const auto& [command, message] : cases) {
    const CliResult r = run_npusim(command);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.err, "npusim: error: cannot read " + message + "\n") << command;
  }
  std::filesystem::remove_all(dir);
}

// NN-LUT softmax on wide rows of widely spread values printed a max error of 4.481e+307 and a mean of
// null: the row sum went negative and the reciprocal read it as the smallest double.
TEST(HostileInputs, NnLutSoftmaxOnWideRowsReportsFiniteErrors) {
  const std::string dir = testing::make_temp_dir("npusim_hostile");
  const CliResult r = run_npusim("accuracy --op softmax --shape 8,32768 --dist normal:0,10 --methods nnlut --json " + dir + "/a.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string json = testing::read_whole_file(dir + "/a.json");
  EXPECT_NE(json.find("\"mean_abs_error\": "), std::string::npos) << json;
  EXPECT_EQ(json.find("null"), std::string::npos) << json;
  EXPECT_EQ(json.find("e+307"), std::string::npos) << json;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
