// DRAM and DMA in a small simulation: each test case runs in its own process (ctest), as SystemC
// elaborates one design per process.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <systemc>

#include <tlm_utils/simple_initiator_socket.h>

#include "hw/cost/dram_schedule.hpp"
#include "hw/sim/unit_registry.hpp"
#include "hw/sim/units/dma.hpp"
#include "hw/sim/units/dram.hpp"

namespace npusim::hw {
namespace {

// The command processor's side of a DMA transfer: a DmaCommand through the DMA unit's target socket.
struct DmaDriver : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<DmaDriver> socket{"socket"};
  explicit DmaDriver(sc_core::sc_module_name name) : sc_core::sc_module(name) {}

  void transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic, const Turn& turn) {
    DmaCommand command = DmaCommand::make(turn, channel, bytes, direction, category, traffic);
    tlm::tlm_generic_payload payload;
    payload.set_extension(&command);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, delay);
    payload.clear_extension(&command);
  }
};

// A DMA engine and the DRAM model the config names, as the NPU top binds them.
struct DmaAndDram {
  DmaAndDram(const UnitContext& context)
      : dram(make_unit("dram", context.config.dram.model, context)), dma("dma", context), driver("driver") {
    driver.socket.bind(dma.socket);
    dma.dram_socket.bind(dynamic_cast<DramTarget&>(*dram).socket);
  }
  std::unique_ptr<sc_core::sc_module> dram;
  Dma dma;
  DmaDriver driver;
};

struct Bench : sc_core::sc_module {
  ActivityLog log;
  Arbiter arbiter{"arbiter"};
  UnitContext context;
  DmaAndDram units;
  std::vector<int64_t> transfers;  // bytes per concurrent transfer, each on its own channel
  std::vector<double> finish_ns;

  Bench(sc_core::sc_module_name name, const HwConfig& config, std::vector<int64_t> sizes)
      : sc_core::sc_module(name),
        context{config, log, arbiter},
        units(context),
        transfers(std::move(sizes)),
        finish_ns(transfers.size(), 0.0) {
    for (size_t i = 0; i < transfers.size(); ++i) {
      sc_core::sc_spawn([this, i] {
        units.driver.transfer(static_cast<int>(i), transfers[i], DmaDirection::from_dram, Category::weight_dma, TrafficKind::weights,
                              {0, 0, Turn::load});
        finish_ns[i] = sc_core::sc_time_stamp().to_seconds() * 1e9;
      });
    }
  }
};

HwConfig config_with(double bandwidth_gbps, int channels) {
  ::setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  HwConfig c;
  c.dram.bandwidth_gbps = bandwidth_gbps;
  c.dram.efficiency = 1.0;
  c.dma.channels = channels;
  return c;
}

TEST(DramDma, TransfersMoveAtTheBandwidthTimesTheEfficiency) {
  HwConfig c = config_with(3.0, 2);
  c.dram.efficiency = 0.5;
  Bench bench("bench", c, {64LL << 20});
  sc_core::sc_start();
  const double ideal_ns = static_cast<double>(64LL << 20) / (3.0 * 0.5);
  EXPECT_NEAR(bench.finish_ns[0], ideal_ns, ideal_ns * 0.01);
}

TEST(DramDma, LargeTransferRunsAtTheConfiguredBandwidth) {
  const HwConfig c = config_with(3.0, 2);
  Bench bench("bench", c, {64LL << 20});
  sc_core::sc_start();
  const double ideal_ns = static_cast<double>(64LL << 20) / 3.0;  // GB/s = bytes per ns
  EXPECT_NEAR(bench.finish_ns[0], ideal_ns, ideal_ns * 0.01);
  EXPECT_EQ(bench.log.dram_bytes_read, 64LL << 20);
}

TEST(DramDma, ConcurrentTransfersShareTheBandwidth) {
  const HwConfig c = config_with(20.0, 2);
  Bench bench("bench", c, {32LL << 20, 32LL << 20});
  sc_core::sc_start();
  const double both_ns = static_cast<double>(64LL << 20) / 20.0;
  // Interleaved bursts: each finishes at about the time both together need, not half of it.
  for (const double t : bench.finish_ns) EXPECT_NEAR(t, both_ns, both_ns * 0.01);
}

TEST(DramDma, OneChannelSerialisesItsTransfers) {
  const HwConfig c = config_with(10.0, 1);
  Bench bench("bench", c, {1 << 20, 1 << 20});
  sc_core::sc_start();
  const double one_ns = static_cast<double>(1 << 20) / 10.0 + c.dma.setup_ns + c.dram.latency_ns;
  EXPECT_NEAR(std::min(bench.finish_ns[0], bench.finish_ns[1]), one_ns, 1.0);
  EXPECT_NEAR(std::max(bench.finish_ns[0], bench.finish_ns[1]), 2 * one_ns, 1.0);
}

// One DRAM and DMA pair driven by a random traffic script: per channel, transfers of random sizes
// separated by random idle gaps (so transfers start at arbitrary times and overlap in every way).
struct RandomTraffic : sc_core::sc_module {
  ActivityRecorder recorder;
  ActivityLog log;
  HwConfig config;
  UnitContext context;
  DmaAndDram units;
  std::vector<std::vector<double>> finish_ns;  // per channel, per transfer

  // `arbiter` is the simulation's one arbiter (each waits for the others' pending work otherwise).
  RandomTraffic(sc_core::sc_module_name name, const HwConfig& hw, uint64_t seed, Arbiter& arbiter)
      : sc_core::sc_module(name), config(hw), context{config, log, arbiter}, units(context) {
    log.add_sink(&recorder);
    std::mt19937_64 rng(seed);
    finish_ns.resize(static_cast<size_t>(config.dma.channels));
    for (int c = 0; c < config.dma.channels; ++c) {
      std::vector<std::pair<double, int64_t>> script;  // gap before, bytes
      for (int t = 0; t < 12; ++t) {
        script.emplace_back(std::uniform_real_distribution<double>(0.0, 3000.0)(rng),
                            std::uniform_int_distribution<int64_t>(1, 100000)(rng));
      }
      sc_core::sc_spawn([this, c, script] {
        for (const auto& [gap_ns, bytes] : script) {
          sc_core::wait(sc_core::sc_time(gap_ns, sc_core::SC_NS));
          units.driver.transfer(c, bytes, c % 2 == 0 ? DmaDirection::from_dram : DmaDirection::to_dram, Category::activation_dma,
                       TrafficKind::spills, {c, 0, Turn::load});
          finish_ns[static_cast<size_t>(c)].push_back(sc_core::sc_time_stamp().to_seconds() * 1e9);
        }
      });
    }
  }
};

// The transaction model computes the burst schedule the burst model simulates: equal to 1e-9.
TEST(DramDma, TransactionModelEqualsTheBurstModelOnRandomTraffic) {
  // Pairs for 2, 3 and 4 channels, all in one elaboration, side by side in the same simulated time.
  Arbiter arbiter("arbiter");
  std::vector<std::unique_ptr<RandomTraffic>> burst_runs, transaction_runs;
  for (const int channels : {2, 3, 4}) {
    HwConfig burst = config_with(7.3, channels);
    burst.dma.burst_bytes = 4096;
    burst.dram.model = "burst";
    HwConfig transaction = burst;
    transaction.dram.model = "transaction";
    const auto seed = 100 + static_cast<uint64_t>(channels);
    burst_runs.push_back(std::make_unique<RandomTraffic>(sc_core::sc_gen_unique_name("burst"), burst, seed, arbiter));
    transaction_runs.push_back(
        std::make_unique<RandomTraffic>(sc_core::sc_gen_unique_name("transaction"), transaction, seed, arbiter));
  }
  sc_core::sc_start();
  for (size_t run = 0; run < burst_runs.size(); ++run) {
    RandomTraffic& a = *burst_runs[run];
    RandomTraffic& b = *transaction_runs[run];
    a.log.finish();
    b.log.finish();
    for (size_t c = 0; c < a.finish_ns.size(); ++c) {
      ASSERT_EQ(a.finish_ns[c].size(), 12u);
      ASSERT_EQ(b.finish_ns[c].size(), 12u);
      for (size_t t = 0; t < 12; ++t) {
        EXPECT_NEAR(b.finish_ns[c][t], a.finish_ns[c][t], 1e-9 * a.finish_ns[c][t])
            << a.finish_ns.size() << " channels, channel " << c << " transfer " << t;
      }
    }
    EXPECT_EQ(a.log.dram_bytes_read, b.log.dram_bytes_read);
    EXPECT_EQ(a.log.dram_bytes_written, b.log.dram_bytes_written);
    ASSERT_EQ(a.recorder.dram_busy_ns.size(), b.recorder.dram_busy_ns.size());
    for (size_t i = 0; i < a.recorder.dram_busy_ns.size(); ++i) {
      EXPECT_NEAR(b.recorder.dram_busy_ns[i].first, a.recorder.dram_busy_ns[i].first, 1e-6);
      EXPECT_NEAR(b.recorder.dram_busy_ns[i].second, a.recorder.dram_busy_ns[i].second, 1e-6);
    }
    // Shared bandwidth: together the channels moved their bytes no faster than the DRAM allows.
    double busy = 0;
    for (const auto& [s0, s1] : b.recorder.dram_busy_ns) busy += s1 - s0;
    EXPECT_NEAR(busy, static_cast<double>(b.log.dram_bytes_read + b.log.dram_bytes_written) / 7.3, 1e-3 * busy);
  }
}

// The computed schedule alone, by hand: 4 KiB bursts at 4.096 GB/s take exactly 1000 ns each.
TEST(DramSchedule, InterleavesSameTimeRequestsInChannelOrder) {
  DramSchedule s(4.096, 4096, 2);
  EXPECT_EQ(s.burst_ps(4096), 1000000);
  s.start(1, 3 * 4096, 0);
  s.start(0, 4096 + 100, 0);
  // Channel 0 first (same time, lower number): 0:[0,1000], 1:[1000,2000], 0 (100 B):[2000,2024.4],
  // 1:[2024.4,3024.4], 1:[3024.4,4024.4].
  EXPECT_EQ(s.next_completion_ps(), 2000000 + s.burst_ps(100));
  std::vector<DramSchedule::Burst> served;
  s.advance(2000000 + s.burst_ps(100), served);
  EXPECT_EQ(s.finish(2000000 + s.burst_ps(100)), (std::vector<int>{0}));
  EXPECT_EQ(s.next_completion_ps(), 4000000 + s.burst_ps(100));
  EXPECT_EQ(served.size(), 4u);  // channel 1's request at 2000 ns was taken too
  EXPECT_EQ(served[1].start_ps, 1000000);
}

}  // namespace
}  // namespace npusim::hw

namespace npusim::hw {
namespace {

// A naive reference of the DRAM's service, one burst at a time: each channel requests its next burst
// when its previous one ends; the earliest request (then the lowest channel) is served next.
std::vector<int64_t> reference_finish_ps(const std::vector<std::pair<int64_t, int64_t>>& starts_and_bytes,
                                         const DramSchedule& durations, int64_t burst_bytes) {
  std::vector<int64_t> remaining, request, finish(starts_and_bytes.size(), -1);
  for (const auto& [start, bytes] : starts_and_bytes) {
    request.push_back(start);
    remaining.push_back(bytes);
  }
  int64_t free = 0;
  while (true) {
    int next = -1;
    for (size_t c = 0; c < remaining.size(); ++c) {
      if (remaining[c] > 0 && (next < 0 || request[c] < request[static_cast<size_t>(next)])) next = static_cast<int>(c);
    }
    if (next < 0) break;
    const auto n = static_cast<size_t>(next);
    const int64_t bytes = std::min(burst_bytes, remaining[n]);
    free = std::max(free, request[n]) + durations.burst_ps(bytes);
    remaining[n] -= bytes;
    request[n] = free;
    if (remaining[n] == 0) finish[n] = free;
  }
  return finish;
}

TEST(DramSchedule, WholeRoundsEqualBurstByBurstServiceOnRandomTransfers) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int channels = std::uniform_int_distribution<int>(1, 4)(rng);
    const int64_t burst = std::uniform_int_distribution<int64_t>(64, 16384)(rng);
    DramSchedule s(std::uniform_real_distribution<double>(0.5, 30.0)(rng), burst, channels);
    std::vector<std::pair<int64_t, int64_t>> transfers;
    for (int c = 0; c < channels; ++c) {
      transfers.emplace_back(std::uniform_int_distribution<int64_t>(0, 2000000)(rng),
                             std::uniform_int_distribution<int64_t>(1, 3000000)(rng));
    }
    const std::vector<int64_t> expected = reference_finish_ps(transfers, s, burst);
    // Start each transfer at its time, serving what came before, as the DRAM module does.
    std::vector<int> by_start(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) by_start[static_cast<size_t>(c)] = c;
    std::sort(by_start.begin(), by_start.end(), [&](int a, int b) {
      return transfers[static_cast<size_t>(a)] < transfers[static_cast<size_t>(b)];
    });
    std::vector<DramSchedule::Burst> served;
    std::vector<int64_t> finish(static_cast<size_t>(channels), -1);
    size_t next_start = 0;
    while (true) {
      const int64_t next_end = s.next_completion_ps();
      const int64_t start_at = next_start < by_start.size() ? transfers[static_cast<size_t>(by_start[next_start])].first
                                                            : DramSchedule::kNever;
      if (next_end == DramSchedule::kNever && start_at == DramSchedule::kNever) break;
      if (start_at <= next_end) {
        s.advance(start_at, served);
        const int c = by_start[next_start++];
        s.start(c, transfers[static_cast<size_t>(c)].second, start_at);
      } else {
        s.advance(next_end, served);
        for (const int c : s.finish(next_end)) finish[static_cast<size_t>(c)] = next_end;
      }
    }
    EXPECT_EQ(finish, expected) << "trial " << trial;
  }
}

}  // namespace
}  // namespace npusim::hw
