// DRAM as a TLM-2.0 target behind the DMA engine. `dram.model` chooses the model through the unit
// registry (hw/sim/unit_registry.hpp); both built-in models make the configured bandwidth one shared
// resource, served burst by burst first come, first served, so concurrent DMA transfers share it, and
// both order same-time requests by DMA channel, so the two give identical times:
// - transaction (default): a DMA transaction is served as a whole; its bursts join a computed schedule
//   (hw/cost/dram_schedule) and the caller wakes when its last burst ends;
// - burst: every burst is placed and waited for in turn, for validating the above.
// A user's DRAM model derives from DramTarget and registers itself the same way (see examples/).
#pragma once

#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "hw/cost/dram_schedule.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class DramTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramTarget> socket;

 protected:
  DramTarget(sc_core::sc_module_name name, const UnitContext& context);

  // Serves one DMA transaction (a read or a write of the payload's length); may wait, and may leave
  // part of its time in `delay` for the DMA to wait out.
  virtual void serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) = 0;

  // For the reports: the interval the DRAM interface was moving data (merged where they touch).
  void record_busy(double start_ns, double end_ns) { log_.record_dram_busy(start_ns, end_ns); }
  // The DMA channel of a transaction (same-time requests are served in channel order).
  static int channel_of(tlm::tlm_generic_payload& payload);

  const HwConfig& config_;

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  ActivityLog& log_;
};

class TransactionDram : public DramTarget {
 public:
  TransactionDram(sc_core::sc_module_name name, const UnitContext& context);

 protected:
  void serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) override;

 private:
  void wake();           // a transfer's last burst has ended
  void schedule_wake();  // at the next end
  void record_served();

  DramSchedule schedule_;
  std::vector<DramSchedule::Burst> served_;
  std::vector<std::unique_ptr<sc_core::sc_event>> done_;  // per channel
  sc_core::sc_event wake_event_;
};

class BurstDram : public DramTarget {
 public:
  BurstDram(sc_core::sc_module_name name, const UnitContext& context);

 protected:
  void serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) override;

 private:
  DramSchedule schedule_;  // for the time of one burst
  sc_core::sc_time busy_until_ = sc_core::SC_ZERO_TIME;
};

}  // namespace npusim::hw
