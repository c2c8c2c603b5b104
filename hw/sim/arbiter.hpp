// Who goes first when several requests reach the same unit or DMA channel in the same instant. SystemC
// runs same-time processes in an order that depends on how the model's threads are organised; the
// arbiter makes it part of the model instead: requests made at one time are granted one by one in
// Turn order (earlier op, then earlier step, then pipeline stage), after every process with work at
// that time has made its requests. One arbiter per simulation: it waits until nothing else is pending
// at the current time, so two would wait for each other.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include <systemc>

namespace npusim::hw {

struct Turn {
  enum Stage { load = 0, compute = 1, store = 2 };
  int op = -1;
  int64_t step = 0;
  int stage = compute;

  bool operator<(const Turn& other) const {
    return std::tie(op, step, stage) < std::tie(other.op, other.step, other.stage);
  }
};

class Arbiter : public sc_core::sc_module {
 public:
  explicit Arbiter(sc_core::sc_module_name name);

  // Blocks the calling thread until its request is granted.
  void wait_turn(const Turn& turn);

 private:
  void decide();

  struct Request {
    Turn turn;
    uint64_t order;  // arrival, for requests with equal turns
    sc_core::sc_event* granted;
  };
  std::vector<Request> pending_;
  uint64_t arrivals_ = 0;
  sc_core::sc_event decide_event_;
};

}  // namespace npusim::hw
