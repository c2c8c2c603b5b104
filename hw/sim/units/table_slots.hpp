// Resident table slots of a LUT unit, least recently used evicted first.
#pragma once

#include <list>
#include <string>

namespace npusim::hw {

class TableSlots {
 public:
  explicit TableSlots(int slots) : slots_(slots) {}

  // Marks `key` used; returns true when it was not resident (the caller loads it).
  bool use(const std::string& key) {
    for (auto it = resident_.begin(); it != resident_.end(); ++it) {
      if (*it == key) {
        resident_.splice(resident_.begin(), resident_, it);
        return false;
      }
    }
    resident_.push_front(key);
    if (static_cast<int>(resident_.size()) > slots_) resident_.pop_back();
    return true;
  }

 private:
  int slots_;
  std::list<std::string> resident_;  // most recently used first
};

}  // namespace npusim::hw
