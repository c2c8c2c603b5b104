// The NN-LUT unit's RTL under Icarus against npusim's golden vectors, and its planted fault caught.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::kRtlDir;

using testing::shell;

std::string run_nnlut_rtl(const std::string& golden, const std::string& defines) {
  const json::Value manifest = json::parse(read_file(golden + "/manifest.json"), "manifest.json");
  const int shift = static_cast<int>(manifest.find("shift")->as_number());
  const int count = static_cast<int>(manifest.find("stimulus")->find("count")->as_number());
  const std::string binary = golden + "/nnlut_tb" + std::to_string(std::hash<std::string>{}(defines));
  EXPECT_EQ(shell("iverilog -g2005 " + defines + " -o " + binary + " " + kRtlDir + "nnlut_unit.v " + kRtlDir + "tb/nnlut_tb.v"), 0);
  const std::string dump = binary + ".out.hex";
  EXPECT_EQ(shell("vvp -n " + binary + " +breakpoints=" + golden + "/breakpoints.hex +slopes=" + golden + "/slopes.hex +intercepts=" +
                  golden + "/intercepts.hex +shift=" + std::to_string(shift) + " +stimulus=" + golden + "/stimulus.hex +count=" +
                  std::to_string(count) + " +out=" + dump + " > /dev/null"),
            0);
  return dump;
}

TEST(RtlNnLut, IcarusRunMatchesTheReferenceAndTheFaultIsCaught) {
  for (const char* function : {"gelu", "exp"}) {
    SCOPED_TRACE(function);
    const std::string golden = testing::make_temp_dir("npusim_rtl");
    const auto made = testing::run_npusim(std::string("golden --unit nnlut --function ") + function + " --codes 3000 --out " + golden);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_EQ(testing::run_npusim("check-rtl --expected " + golden + " --actual " + run_nnlut_rtl(golden, "")).exit_code, 0);
    const auto faulty = testing::run_npusim("check-rtl --expected " + golden + " --actual " + run_nnlut_rtl(golden, "-DFAULT_COMPARATOR"));
    EXPECT_EQ(faulty.exit_code, 1) << faulty.out;
  }
}

}  // namespace
}  // namespace npusim
