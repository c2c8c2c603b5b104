// An example of a DRAM model of your own: one port per DMA channel, each at the configured bandwidth,
// so concurrent transfers do not share it (the built-in models share one interface between channels).
// A transaction takes its bursts' time at dram.bandwidth_gbps x dram.efficiency on its own port (each burst rounded to the
// picosecond, as the built-in models do).
//
// Select it with `dram.model: port_per_channel` after loading the plugin (docs/user-guide.md, "Bring your own unit").
#include <algorithm>
#include <vector>

#include "hw/cost/dram_schedule.hpp"
#include "hw/sim/unit_registry.hpp"
#include "hw/sim/units/dram.hpp"

namespace example {

using namespace npusim::hw;

class PortPerChannelDram : public DramTarget {
 public:
  PortPerChannelDram(sc_core::sc_module_name name, const UnitContext& context)
      : DramTarget(name, context),
        bursts_(context.config.dram.effective_bandwidth_gbps(), context.config.dma.burst_bytes, context.config.dma.channels),
        port_free_(static_cast<size_t>(context.config.dma.channels), sc_core::SC_ZERO_TIME) {}

 protected:
  void serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) override {
    sc_core::sc_time& free = port_free_[static_cast<size_t>(channel_of(payload)) % port_free_.size()];
    const sc_core::sc_time arrival = sc_core::sc_time_stamp() + delay;
    const sc_core::sc_time start = std::max(arrival, free);
    const int64_t bytes = payload.get_data_length(), burst = config_.dma.burst_bytes;
    const int64_t ps = bytes / burst * bursts_.burst_ps(burst) + (bytes % burst > 0 ? bursts_.burst_ps(bytes % burst) : 0);
    free = start + sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(ps));
    record_busy(start.to_seconds() * 1e9, free.to_seconds() * 1e9);
    delay = free - sc_core::sc_time_stamp();
  }

 private:
  DramSchedule bursts_;  // for the time of one burst
  std::vector<sc_core::sc_time> port_free_;
};

}  // namespace example

using example::PortPerChannelDram;
NPUSIM_REGISTER_UNIT("dram", "port_per_channel", PortPerChannelDram);
