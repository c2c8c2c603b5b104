// DRAM and DMA in a small simulation: each test case runs in its own process (ctest), as SystemC
// elaborates one design per process.
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

#include "hw/dma.hpp"
#include "hw/dram.hpp"

namespace npusim::hw {
namespace {

struct Bench : sc_core::sc_module {
  ActivityLog log;
  Dram dram;
  Dma dma;
  std::vector<int64_t> transfers;  // bytes per concurrent transfer, each on its own channel
  std::vector<double> finish_ns;

  Bench(sc_core::sc_module_name name, const HwConfig& config, std::vector<int64_t> sizes)
      : sc_core::sc_module(name),
        dram("dram", config.dram, log),
        dma("dma", config.dma, config.dram.latency_ns, log),
        transfers(std::move(sizes)),
        finish_ns(transfers.size(), 0.0) {
    dma.socket.bind(dram.socket);
    for (size_t i = 0; i < transfers.size(); ++i) {
      sc_core::sc_spawn([this, i] {
        dma.transfer(static_cast<int>(i), transfers[i], DmaDirection::from_dram, Category::weight_dma, TrafficKind::weights, 0);
        finish_ns[i] = sc_core::sc_time_stamp().to_seconds() * 1e9;
      });
    }
  }
};

HwConfig config_with(double bandwidth_gbps, int channels) {
  ::setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  HwConfig c;
  c.dram.bandwidth_gbps = bandwidth_gbps;
  c.dma.channels = channels;
  return c;
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

}  // namespace
}  // namespace npusim::hw
