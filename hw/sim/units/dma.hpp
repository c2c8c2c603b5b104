// DMA engine: a unit (target socket: DmaCommand transfers from the command processor) and a TLM-2.0
// initiator towards DRAM, with independent channels. A transfer holds its channel (same-time requests
// for it in Turn order, see Arbiter), pays the descriptor setup and the DRAM's first-byte latency once,
// then moves its bytes as DRAM transactions (pieces of whole bursts below the payload's 4 GiB limit;
// how DRAM serves them, burst by burst or as a computed schedule, is the DRAM model's business).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class Dma : public Unit {
 public:
  tlm_utils::simple_initiator_socket<Dma> dram_socket;

  Dma(sc_core::sc_module_name name, const UnitContext& context);

  // One activity name per channel: "dma.0", "dma.1", ...
  std::vector<UnitInfo> activity_units() const override;

 protected:
  void serve(tlm::tlm_generic_payload& payload) override;

 private:
  void transfer(const DmaCommand& command);

  DmaConfig config_;
  double dram_latency_ns_;
  ActivityLog& log_;
  Arbiter& arbiter_;
  // A channel moves one transfer at a time; the others wait in the order the arbiter let them ask.
  struct Channel {
    std::string unit;
    bool busy = false;
    std::deque<sc_core::sc_event*> waiting;
  };
  std::vector<Channel> channels_;
  std::vector<unsigned char> scratch_;  // payload data pointer: timing-only transfers carry no data
};

}  // namespace npusim::hw
