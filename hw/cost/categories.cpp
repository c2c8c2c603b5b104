#include "hw/cost/categories.hpp"

namespace npusim::hw {

std::string_view category_name(Category category) {
  switch (category) {
    case Category::mau_compute: return "mau_compute";
    case Category::nonlinear_compute: return "nonlinear_compute";
    case Category::decomposition: return "decomposition";
    case Category::weight_dma: return "weight_dma";
    case Category::activation_dma: return "activation_dma";
    case Category::mau_dsp_communication: return "mau_dsp_communication";
    case Category::table_load: return "table_load";
  }
  return "?";
}

std::string_view traffic_kind_name(TrafficKind kind) {
  switch (kind) {
    case TrafficKind::weights: return "weights";
    case TrafficKind::activations: return "activations";
    case TrafficKind::spills: return "spills";
    case TrafficKind::tables: return "tables";
    case TrafficKind::dsp_exchange: return "dsp_exchange";
  }
  return "?";
}

}  // namespace npusim::hw
