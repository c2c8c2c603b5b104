// The VCD writer on hand-made activities: a long busy interval of one unit while another unit's short
// ones come and go (the case whose rising edge used to be written after later timestamps), touching
// intervals merged, edges on whole nanoseconds rounded outwards.
#include "report/activity_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "tests/cli_runner.hpp"

namespace npusim::hw {
namespace {

Activity busy(const std::string& unit, double start_ns, double end_ns) {
  Activity a;
  a.unit = unit;
  a.start_ns = start_ns;
  a.end_ns = end_ns;
  return a;
}

// The body after $enddefinitions's $dumpvars block: "#t" and value-change lines.
std::vector<std::string> changes_of(const std::string& vcd) {
  std::istringstream in(vcd.substr(vcd.find("$end\n", vcd.find("$dumpvars")) + 5));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(VcdFile, EdgesComeInTimeOrderWhateverOrderIntervalsClose) {
  const std::string dir = testing::make_temp_dir("npusim_vcd");
  {
    VcdFile vcd(dir + "/v.vcd");
    vcd.on_units({{"mau.array", UnitRole::mau_array}, {"dma.0", UnitRole::dma}});  // wires "!" and '"'
    vcd.on_activity(busy("dma.0", 0, 1000), 0);          // open until 1000
    vcd.on_activity(busy("mau.array", 10, 20.5), 10);    // closes at 21 while dma.0 is still busy
    vcd.on_activity(busy("mau.array", 21, 30), 25);      // touches the first: merged into 10..30
    vcd.on_activity(busy("mau.array", 40.2, 50), 600);   // 40..50; everything before 600 is final
    vcd.on_activity(busy("dma.0", 1000, 1100), 1000);    // touches: dma.0 stays high to 1100
    vcd.commit();
  }
  const std::vector<std::string> want = {"1\"", "#10", "1!", "#30", "0!", "#40", "1!", "#50", "0!", "#1100", "0\""};
  EXPECT_EQ(changes_of(read_file(dir + "/v.vcd")), want) << read_file(dir + "/v.vcd");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim::hw
