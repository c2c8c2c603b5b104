// DRAM as a TLM-2.0 target: the configured bandwidth is one shared resource. Each burst is served
// after the bursts already accepted, so concurrent DMA transfers that interleave bursts share the
// bandwidth; b_transport annotates the time until the burst's last byte has moved.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "hw/activity.hpp"
#include "hw/hw_config.hpp"

namespace npusim::hw {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> socket;

  Dram(sc_core::sc_module_name name, const DramConfig& config, ActivityLog& log);

  double bandwidth_gbps() const { return config_.bandwidth_gbps; }
  double latency_ns() const { return config_.latency_ns; }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  DramConfig config_;
  ActivityLog& log_;
  sc_core::sc_time busy_until_ = sc_core::SC_ZERO_TIME;
};

}  // namespace npusim::hw
