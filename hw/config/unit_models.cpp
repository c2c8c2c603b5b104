#include "hw/config/unit_models.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace npusim::hw {

namespace {

struct Names {
  std::mutex mutex;
  // npusim's own models; the SystemC side registers a factory under each (a test checks they agree).
  std::map<std::string, std::vector<std::string>> by_slot = {
      {"mau", {"cpp"}},      {"lut_unit", {"cpp", "rtl"}}, {"nnlut_unit", {"cpp"}},
      {"lutnn_unit", {"cpp"}}, {"dsp", {"cpp"}},            {"dma", {"cpp"}},
      {"dram", {"transaction", "burst"}},
  };
};

Names& names() {
  static Names n;
  return n;
}

}  // namespace

std::vector<std::string> unit_model_names(const std::string& slot) {
  Names& n = names();
  const std::lock_guard<std::mutex> lock(n.mutex);
  const auto it = n.by_slot.find(slot);
  return it == n.by_slot.end() ? std::vector<std::string>{} : it->second;
}

void add_unit_model_name(const std::string& slot, const std::string& model) {
  Names& n = names();
  const std::lock_guard<std::mutex> lock(n.mutex);
  auto& models = n.by_slot[slot];
  if (std::find(models.begin(), models.end(), model) == models.end()) models.push_back(model);
}

}  // namespace npusim::hw
