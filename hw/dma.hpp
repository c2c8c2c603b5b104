// DMA engine: a TLM-2.0 initiator with independent channels. A transfer holds its channel, pays the
// descriptor setup and the DRAM's first-byte latency once, then moves its bytes in bursts through
// DRAM, which shares its bandwidth among the channels' interleaved bursts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "hw/activity.hpp"
#include "hw/hw_config.hpp"

namespace npusim::hw {

enum class DmaDirection { from_dram, to_dram };

class Dma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Dma> socket;

  Dma(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log);

  // Blocks the calling SC_THREAD until the transfer is complete. Channels beyond the configured count
  // wrap around.
  void transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic,
                int op_index);

  int channels() const { return config_.channels; }

 private:
  DmaConfig config_;
  double dram_latency_ns_;
  DramModel dram_model_;
  ActivityLog& log_;
  std::vector<std::unique_ptr<sc_core::sc_mutex>> channel_locks_;
  std::vector<unsigned char> scratch_;  // payload data pointer: timing-only transfers carry no data
};

}  // namespace npusim::hw
