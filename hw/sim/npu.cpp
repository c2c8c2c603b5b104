#include "hw/sim/npu.hpp"

#include <functional>

#include "common/error.hpp"
#include "hw/sim/unit_registry.hpp"

namespace npusim::hw {

namespace {

const std::string& model_of(const HwConfig& config, const std::string& slot) {
  if (slot == "mau") return config.mau.model;
  if (slot == "lut_unit") return config.lut_unit.model;
  if (slot == "nnlut_unit") return config.nnlut_unit.model;
  if (slot == "lutnn_unit") return config.lutnn_unit.model;
  if (slot == "dsp") return config.dsp.model;
  if (slot == "dma") return config.dma.model;
  if (slot == "dram") return config.dram.model;
  throw Error("no unit slot '" + slot + "'");
}

// Every Unit below `object`, depth first, in construction order.
void collect_units(const sc_core::sc_object& object, std::vector<Unit*>& units) {
  for (sc_core::sc_object* child : object.get_child_objects()) {
    if (auto* unit = dynamic_cast<Unit*>(child)) units.push_back(unit);
    collect_units(*child, units);
  }
}

template <class Socket>
Socket& socket_at(const sc_core::sc_module& top, const std::string& path, const std::string& what) {
  auto* socket = dynamic_cast<Socket*>(sc_core::sc_find_object((std::string(top.name()) + "." + path).c_str()));
  if (socket == nullptr) throw Error("the NPU's " + what + " has no " + path + " socket");
  return *socket;
}

}  // namespace

Npu::Npu(sc_core::sc_module_name name, const HwConfig& config, const ExecutionPlan& plan, ActivityLog& log,
         FunctionalChecker* functional)
    : sc_core::sc_module(name), arbiter_("arbiter"), context_{config, log, arbiter_} {
  std::vector<std::string> slots = {"mau", "lut_unit", "nnlut_unit", "dsp"};
  if (config.linear.engine == LinearEngine::lutnn) slots.push_back("lutnn_unit");
  slots.insert(slots.end(), {"dma", "dram"});
  for (const auto& slot : slots) parts_.push_back(make_unit(slot, model_of(config, slot), context_));
  command_processor_ = std::make_unique<CommandProcessor>("command_processor", plan, functional);

  std::vector<Unit*> found;
  collect_units(*this, found);
  for (int target = 0; target < CommandProcessor::kTargetCount; ++target) {
    const std::string path = CommandProcessor::kTargetPaths[static_cast<size_t>(target)];
    for (Unit* unit : found) {
      if (unit->path() == path) command_processor_->bind(static_cast<CommandProcessor::Target>(target), unit->socket);
    }
  }
  socket_at<tlm::tlm_initiator_socket<32>>(*this, "dma.dram_socket", "DMA engine")
      .bind(socket_at<tlm::tlm_target_socket<32>>(*this, "dram.socket", "DRAM"));
}

std::vector<UnitInfo> Npu::units() const {
  std::vector<Unit*> found;
  collect_units(*this, found);
  std::vector<UnitInfo> infos;
  for (const Unit* unit : found) {
    for (const UnitInfo& info : unit->activity_units()) infos.push_back(info);
  }
  return infos;
}

}  // namespace npusim::hw
