// Speed work must change no result: `npusim run` totals on the shipped configs and zoo blocks, pinned to
// the nanosecond in tests/data/pinned_run_totals.csv. A change to the timing model itself updates the
// pins (the failure message prints the regenerated file).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

TEST(PinnedTotals, RunTotalsAreUnchangedToTheNanosecond) {
  const std::string pins = read_file(std::string(NPUSIM_SOURCE_DIR) + "/tests/data/pinned_run_totals.csv");
  std::istringstream lines(pins);
  std::string line;
  std::getline(lines, line);  // header
  std::string regenerated = line + "\n";
  const std::string dir = testing::make_temp_dir("npusim_pins");
  int rows = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string config, model, engine, pinned;
    std::getline(fields, config, ',');
    std::getline(fields, model, ',');
    std::getline(fields, engine, ',');
    std::getline(fields, pinned, ',');
    const auto r = testing::run_npusim("run --config " + std::string(NPUSIM_SOURCE_DIR) + "/configs/" + config + ".yaml --model " +
                                       model + " --engines " + engine + " --json " + dir + "/r.json");
    ASSERT_EQ(r.exit_code, 0) << line << "\n" << r.err;
    const double total_ns = json::parse(read_file(dir + "/r.json"), "r.json").find("summary")->find("total_ns")->as_number();
    const std::string now = std::to_string(std::llround(total_ns));
    EXPECT_EQ(now, pinned) << config << " " << model << " " << engine;
    regenerated += config + "," + model + "," + engine + "," + now + "\n";
    ++rows;
  }
  EXPECT_EQ(rows, 54);
  if (::testing::Test::HasFailure()) ADD_FAILURE() << "regenerated tests/data/pinned_run_totals.csv:\n" << regenerated;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
