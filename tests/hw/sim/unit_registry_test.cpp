// The unit registry: npusim's own models behind every name a config may choose, and a model that cannot
// be bound refused with a clear error before the simulation starts.
#include "hw/sim/unit_registry.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hw/config/hw_config_io.hpp"
#include "hw/config/unit_models.hpp"
#include "hw/plan/plan_builder.hpp"
#include "hw/sim/simulation.hpp"
#include "hw/sim/units/dsp.hpp"
#include "hw/sim/units/lut_unit_rtl.hpp"
#include "tests/error_text.hpp"
#include "tests/hw/sim/small_plans.hpp"

namespace npusim::hw {
namespace {

TEST(UnitRegistry, EveryModelNameAConfigMayChooseHasAModule) {
  ActivityLog log;
  Arbiter arbiter("arbiter");
  const HwConfig config;
  const UnitContext context{config, log, arbiter};
  int made = 0;
  for (const char* slot : {"mau", "lut_unit", "nnlut_unit", "lutnn_unit", "dsp", "dma", "dram"}) {
    for (const auto& model : unit_model_names(slot)) {
      if (model == "rtl" && !LutUnitRtl::available()) continue;
      SCOPED_TRACE(std::string(slot) + "/" + model);
      std::unique_ptr<sc_core::sc_module> unit;
      ASSERT_NO_THROW(unit = make_unit(slot, model, context));
      ASSERT_NE(unit, nullptr);
      EXPECT_EQ(std::string(unit->basename()), slot);
      ++made;  // and destroyed, so the next model of the slot can take its name
    }
  }
  EXPECT_GE(made, 8);
}

// A DRAM model without the target socket the DMA engine binds to.
struct SocketlessDram : sc_core::sc_module {
  SocketlessDram(sc_core::sc_module_name name, const UnitContext&) : sc_core::sc_module(name) {}
};

TEST(UnitRegistry, AModelWithoutTheSocketItsSlotNeedsIsRefusedBeforeTheRun) {
  register_unit_model("dram", "socketless", [](const char* name, const UnitContext& context) -> std::unique_ptr<sc_core::sc_module> {
    return std::make_unique<SocketlessDram>(name, context);
  });
  HwConfig config = roomy_config(NonlinearEngine::lut);
  config.dram.model = "socketless";
  const ExecutionPlan plan = build_plan(small_trace(), config);
  EXPECT_NE(testing::error_of([&] { simulate(config, plan, {}, {}); }).find("the NPU's DRAM has no dram.socket socket"),
            std::string::npos);
}

TEST(UnitRegistry, AnUnknownModelNamesTheKnownOnes) {
  ActivityLog log;
  Arbiter arbiter("arbiter");
  const HwConfig config;
  const std::string error = testing::error_of([&] { make_unit("dram", "hbm9", {config, log, arbiter}); });
  EXPECT_NE(error.find("dram.model: no model named 'hbm9' is registered (known: transaction, burst"), std::string::npos) << error;
}

// Every slot takes a model from the config, not only the LUT unit and DRAM: a DSP registered under a
// second name runs the same as npusim's own.
TEST(UnitRegistry, EverySlotChoosesItsModelFromTheConfig) {
  register_unit_model("dsp", "stock_again", [](const char* name, const UnitContext& context) -> std::unique_ptr<sc_core::sc_module> {
    return std::make_unique<Dsp>(name, context);
  });
  EXPECT_EQ(parse_hw_config("dsp:\n  model: stock_again\n", "c.yaml").dsp.model, "stock_again");
  const HwConfig config = roomy_config(NonlinearEngine::dsp);
  const ExecutionPlan plan = build_plan(small_trace(), config);
  const double stock_ns = simulate(config, plan, {}, {}).total_ns;
  HwConfig roomy = roomy_config(NonlinearEngine::dsp);
  roomy.dsp.model = "stock_again";
  EXPECT_EQ(simulate(roomy, plan, {}, {}).total_ns, stock_ns);
}

// In a process of its own (no exception after a simulation: google/sanitizers#189 under ASan).
TEST(UnitRegistry, AModelNobodyRegisteredIsRefusedAtItsLine) {
  for (const char* slot : {"mau", "nnlut_unit", "lutnn_unit", "dsp", "dma"}) {
    const std::string error = testing::error_of([&] { parse_hw_config(std::string(slot) + ":\n  model: nope\n", "c.yaml"); });
    EXPECT_NE(error.find("c.yaml:2:10: " + std::string(slot) + ".model"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace npusim::hw
