// Whole timed runs of small hand-written plans.
#include "hw/sim/simulation.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "hw/plan/plan_builder.hpp"
#include "common/error.hpp"
#include "tests/error_text.hpp"
#include "tests/hw/sim/small_plans.hpp"

namespace npusim::hw {
namespace {


// A sweep worker runs its points one after another in one process: each simulation gets a fresh
// SystemC context, so a run repeated after other runs gives exactly the result it gives alone, activity
// for activity.
TEST(Simulation, SuccessiveSimulationsInOneProcessAreIndependent) {
  const auto run = [](NonlinearEngine engine, double bandwidth_gbps) {
    HwConfig config = roomy_config(engine);
    config.dram.bandwidth_gbps = bandwidth_gbps;
    const ExecutionPlan plan = build_plan(small_trace(), config);
    ActivityRecorder recorder;
    const SimulationResult result = simulate(config, plan, {true, 7}, {&recorder});
    return std::make_pair(result, recorder.activities);
  };
  const auto first = run(NonlinearEngine::lut, 3.0);
  const auto other = run(NonlinearEngine::dsp, 20.0);
  EXPECT_NE(other.first.total_ns, first.first.total_ns);
  const auto again = run(NonlinearEngine::lut, 3.0);
  EXPECT_EQ(again.first.total_ns, first.first.total_ns);
  EXPECT_EQ(again.first.dram_bytes_read, first.first.dram_bytes_read);
  EXPECT_EQ(again.first.dram_bytes_written, first.first.dram_bytes_written);
  ASSERT_EQ(again.second.size(), first.second.size());
  for (size_t i = 0; i < first.second.size(); ++i) {
    EXPECT_EQ(again.second[i].start_ns, first.second[i].start_ns) << i;
    EXPECT_EQ(again.second[i].end_ns, first.second[i].end_ns) << i;
    EXPECT_EQ(again.second[i].op_index, first.second[i].op_index) << i;
  }
  ASSERT_EQ(again.first.functional.size(), 3u);
  for (const auto& f : again.first.functional) EXPECT_EQ(f.mismatches, 0) << f.what;
}

// A failed simulation leaves SystemC threads waiting: the process runs no other simulation after it
// (a sweep worker ends after a failed point), and says so instead of unwinding them. In a child process,
// so the failure stays there; _exit, as a worker ends.
TEST(SimulationDeathTest, NoSimulationFollowsAFailedOneInTheSameProcess) {
#if defined(__SANITIZE_ADDRESS__)
  // Threads left waiting on SystemC's own stacks, which AddressSanitizer is not told about, make the
  // next exception a false report (google/sanitizers#189); the Release leg runs this test.
  GTEST_SKIP() << "a failed simulation's waiting threads confuse AddressSanitizer's stack bounds";
#endif
  EXPECT_EXIT(
      {
        const HwConfig config = roomy_config(NonlinearEngine::lut);
        ExecutionPlan cyclic = build_plan(small_trace(), config);
        cyclic.ops[1].deps.push_back(4);
        const bool failed = testing::error_of([&] { simulate(config, cyclic, {}, {}); }).find("did not finish") != std::string::npos;
        const ExecutionPlan plan = build_plan(small_trace(), config);
        const bool refused = testing::error_of([&] { simulate(config, plan, {}, {}); })
                                 .find("an earlier simulation in this process failed") != std::string::npos;
        ::_exit(failed && refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace npusim::hw
