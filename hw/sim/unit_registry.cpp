#include "hw/sim/unit_registry.hpp"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include "common/error.hpp"
#include "hw/config/unit_models.hpp"
#include "hw/sim/units/dma.hpp"
#include "hw/sim/units/dram.hpp"
#include "hw/sim/units/dsp.hpp"
#include "hw/sim/units/lut_unit.hpp"
#include "hw/sim/units/lutnn_unit.hpp"
#include "hw/sim/units/mau.hpp"
#include "hw/sim/units/nnlut_unit.hpp"

namespace npusim::hw {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, UnitFactory> factories;
};

template <class T>
UnitFactory factory_of() {
  return [](const char* name, const UnitContext& context) -> std::unique_ptr<sc_core::sc_module> {
    return std::make_unique<T>(name, context);
  };
}

// npusim's own models, registered when the registry is first used (a static initialiser in a static
// library would be dropped by the linker).
Registry& registry() {
  static Registry* r = [] {
    auto* made = new Registry;
    made->factories[{"mau", "cpp"}] = factory_of<Mau>();
    made->factories[{"lut_unit", "cpp"}] = [](const char* name, const UnitContext& context) -> std::unique_ptr<sc_core::sc_module> {
      return std::make_unique<LutUnit>(name, context, false);
    };
    made->factories[{"lut_unit", "rtl"}] = [](const char* name, const UnitContext& context) -> std::unique_ptr<sc_core::sc_module> {
      return std::make_unique<LutUnit>(name, context, true);
    };
    made->factories[{"nnlut_unit", "cpp"}] = factory_of<NnLutUnit>();
    made->factories[{"lutnn_unit", "cpp"}] = factory_of<LutnnUnit>();
    made->factories[{"dsp", "cpp"}] = factory_of<Dsp>();
    made->factories[{"dma", "cpp"}] = factory_of<Dma>();
    made->factories[{"dram", "transaction"}] = factory_of<TransactionDram>();
    made->factories[{"dram", "burst"}] = factory_of<BurstDram>();
    return made;
  }();
  return *r;
}

}  // namespace

bool register_unit_model(const std::string& slot, const std::string& model, UnitFactory factory) {
  Registry& r = registry();
  {
    const std::lock_guard<std::mutex> lock(r.mutex);
    r.factories[{slot, model}] = std::move(factory);
  }
  add_unit_model_name(slot, model);
  return true;
}

std::unique_ptr<sc_core::sc_module> make_unit(const std::string& slot, const std::string& model, const UnitContext& context) {
  Registry& r = registry();
  UnitFactory factory;
  {
    const std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.factories.find({slot, model});
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    std::string known;
    for (const auto& name : unit_model_names(slot)) known += (known.empty() ? "" : ", ") + name;
    throw Error(slot + ".model: no model named '" + model + "' is registered (known: " + known +
                "; a plugin's model needs --plugin FILE)");
  }
  return factory(slot.c_str(), context);
}

void load_plugin(const std::string& path) {
  // A path without a slash would be searched for in the library path: a plugin is a file the user names.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  if (::dlopen(file.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
    const char* why = ::dlerror();
    throw Error("cannot load plugin " + path + ": " + (why != nullptr ? why : "unknown error"));
  }
}

}  // namespace npusim::hw
