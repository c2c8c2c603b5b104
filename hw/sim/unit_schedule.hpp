// In-order occupancy of one compute unit: work is served in the order it is submitted (same-time
// submissions in Turn order, see Arbiter), each piece starting when the unit is free. The caller (an
// SC_THREAD) is blocked until its work is done.
#pragma once

#include <string>

#include <systemc>

#include "hw/metrics/activity.hpp"
#include "hw/sim/arbiter.hpp"

namespace npusim::hw {

class UnitSchedule {
 public:
  UnitSchedule(std::string unit, UnitRole role, double cycle_ns, ActivityLog& log, Arbiter& arbiter)
      : unit_(std::move(unit)), role_(role), cycle_ns_(cycle_ns), log_(log), arbiter_(arbiter) {}

  void run(const Turn& turn, int64_t cycles, Category category, int64_t macs = 0, int64_t elements = 0) {
    if (cycles <= 0) return;
    arbiter_.wait_turn(turn);
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const sc_core::sc_time start = busy_until_ > now ? busy_until_ : now;
    busy_until_ = start + sc_core::sc_time(static_cast<double>(cycles) * cycle_ns_, sc_core::SC_NS);
    Activity a;
    a.op_index = turn.op;
    a.unit = unit_;
    a.role = role_;
    a.category = category;
    a.start_ns = start.to_seconds() * 1e9;
    a.end_ns = busy_until_.to_seconds() * 1e9;
    a.macs = macs;
    a.elements = elements;
    log_.record(a, now.to_seconds() * 1e9);
    sc_core::wait(busy_until_ - now);
  }

  const std::string& unit() const { return unit_; }

 private:
  std::string unit_;
  UnitRole role_;
  double cycle_ns_;
  ActivityLog& log_;
  Arbiter& arbiter_;
  sc_core::sc_time busy_until_ = sc_core::SC_ZERO_TIME;
};

}  // namespace npusim::hw
