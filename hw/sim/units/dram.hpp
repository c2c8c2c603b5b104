// DRAM as a TLM-2.0 target: the configured bandwidth is one shared resource, served burst by burst
// first come, first served, so concurrent DMA transfers share it.
// - dram.model transaction (default): a DMA transfer is one blocking transaction; the burst schedule is
//   computed (DramSchedule) and the caller wakes when its last burst ends. SystemC events per transfer.
// - dram.model burst: every burst is its own b_transport and wait, for validating the above.
// Both order same-time requests by DMA channel, so the two give identical times.
#pragma once

#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "hw/metrics/activity.hpp"
#include "hw/cost/dram_schedule.hpp"
#include "hw/config/hw_config.hpp"

namespace npusim::hw {

// Which DMA channel a transaction comes from (the DRAM's arbitration order among same-time requests).
struct DmaChannelExtension : tlm::tlm_extension<DmaChannelExtension> {
  int channel = 0;
  tlm::tlm_extension_base* clone() const override { return new DmaChannelExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    channel = static_cast<const DmaChannelExtension&>(other).channel;
  }
};

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> socket;

  Dram(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log);

  double bandwidth_gbps() const { return config_.bandwidth_gbps; }
  double latency_ns() const { return config_.latency_ns; }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  void serve_burst(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  void serve_transfer(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  void wake();           // a transfer's last burst has ended
  void schedule_wake();  // at the next end
  void record_busy(double start_ns, double end_ns);
  void count(const tlm::tlm_generic_payload& payload);

  DramConfig config_;
  ActivityLog& log_;
  sc_core::sc_time busy_until_ = sc_core::SC_ZERO_TIME;  // burst model
  DramSchedule schedule_;                                // transaction model
  std::vector<DramSchedule::Burst> served_;
  std::vector<std::unique_ptr<sc_core::sc_event>> done_;  // per channel
  sc_core::sc_event wake_event_;
};

}  // namespace npusim::hw
