#include "hw/sim/arbiter.hpp"

#include <algorithm>

namespace npusim::hw {

Arbiter::Arbiter(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(Arbiter);
  SC_METHOD(decide);
  sensitive << decide_event_;
  dont_initialize();
}

void Arbiter::wait_turn(const Turn& turn) {
  sc_core::sc_event granted;
  pending_.push_back({turn, arrivals_++, &granted});
  decide_event_.notify(sc_core::SC_ZERO_TIME);
  sc_core::wait(granted);
}

// Grants the first pending request once nothing else is left to run at this time; the granted thread
// runs (and makes its reservation) before the next decision.
void Arbiter::decide() {
  if (pending_.empty()) return;
  if (sc_core::sc_pending_activity_at_current_time()) {
    decide_event_.notify(sc_core::SC_ZERO_TIME);
    return;
  }
  const auto first = std::min_element(pending_.begin(), pending_.end(), [](const Request& a, const Request& b) {
    return std::tie(a.turn, a.order) < std::tie(b.turn, b.order);
  });
  sc_core::sc_event* granted = first->granted;
  pending_.erase(first);
  granted->notify();
  if (!pending_.empty()) decide_event_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace npusim::hw
