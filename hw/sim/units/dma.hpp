// DMA engine: a TLM-2.0 initiator with independent channels. A transfer holds its channel (same-time
// requests for it in Turn order, see Arbiter), pays the descriptor setup and the DRAM's first-byte
// latency once, then moves its bytes through DRAM, which shares its bandwidth among the channels.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "hw/metrics/activity.hpp"
#include "hw/sim/arbiter.hpp"
#include "hw/config/hw_config.hpp"

namespace npusim::hw {

enum class DmaDirection { from_dram, to_dram };

class Dma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Dma> socket;

  Dma(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter);

  // Blocks the calling SC_THREAD until the transfer is complete. Channels beyond the configured count
  // wrap around.
  void transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic,
                const Turn& turn);

  int channels() const { return config_.channels; }

 private:
  DmaConfig config_;
  double dram_latency_ns_;
  DramModel dram_model_;
  ActivityLog& log_;
  // A channel moves one transfer at a time; the others wait in the order the arbiter let them ask.
  struct Channel {
    bool busy = false;
    std::deque<sc_core::sc_event*> waiting;
  };
  std::vector<Channel> channels_;
  Arbiter& arbiter_;
  std::vector<unsigned char> scratch_;  // payload data pointer: timing-only transfers carry no data
};

}  // namespace npusim::hw
