#include "hw/config/hw_config.hpp"

#include "common/error.hpp"
#include "common/did_you_mean.hpp"

namespace npusim::hw {

std::string_view nonlinear_kind_name(NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::gelu: return "gelu";
    case NonlinearKind::silu: return "silu";
    case NonlinearKind::softmax: return "softmax";
    case NonlinearKind::layernorm: return "layernorm";
    case NonlinearKind::rmsnorm: return "rmsnorm";
  }
  return "?";
}

const std::vector<NonlinearKind>& all_nonlinear_kinds() {
  static const std::vector<NonlinearKind> kinds = {NonlinearKind::gelu, NonlinearKind::silu, NonlinearKind::softmax,
                                                   NonlinearKind::layernorm, NonlinearKind::rmsnorm};
  return kinds;
}

std::string_view engine_name(NonlinearEngine engine) {
  switch (engine) {
    case NonlinearEngine::dsp: return "dsp";
    case NonlinearEngine::lut: return "lut";
    case NonlinearEngine::nnlut: return "nnlut";
    case NonlinearEngine::ibert: return "ibert";
    case NonlinearEngine::ivit: return "ivit";
  }
  return "?";
}

std::vector<std::string> all_engine_names() { return {"dsp", "lut", "nnlut", "ibert", "ivit"}; }

NonlinearEngine parse_engine(std::string_view name) {
  for (const NonlinearEngine e : {NonlinearEngine::dsp, NonlinearEngine::lut, NonlinearEngine::nnlut,
                                  NonlinearEngine::ibert, NonlinearEngine::ivit}) {
    if (engine_name(e) == name) return e;
  }
  throw Error("unknown non-linear engine '" + std::string(name) + "'" + did_you_mean(name, all_engine_names()) +
              "; known: " + join_names(all_engine_names()));
}

bool LutUnitConfig::range_reduces(std::string_view function) const {
  for (const auto& f : range_reduced) {
    if (f == function) return true;
  }
  return false;
}

NonlinearEngine NonlinearConfig::engine_for(NonlinearKind kind) const {
  const auto it = per_kind.find(kind);
  return it != per_kind.end() ? it->second : default_engine;
}

}  // namespace npusim::hw
