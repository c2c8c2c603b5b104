#include "hw/activity.hpp"

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

}  // namespace npusim::hw
