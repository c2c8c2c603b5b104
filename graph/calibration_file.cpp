#include "graph/calibration_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "models/methods/approximation.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::graph {

namespace {

std::string number(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

std::string quoted(const std::string& s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << s;
  return e.c_str();
}

}  // namespace

bool traced_as_nonlinear(const NonlinearInstance& instance) {
  using onnx_import::NonlinearKind;
  switch (instance.kind) {
    case NonlinearKind::softmax:
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm:
    case NonlinearKind::gelu:
    case NonlinearKind::gelu_tanh:
    case NonlinearKind::silu: return true;
    default: return false;
  }
}

std::string calibration_yaml(const std::string& model_name, const std::vector<NonlinearInstance>& instances,
                             const RangeCapture& capture) {
  std::ostringstream out;
  out << "format: npusim-calibration\nversion: 1\nmodel: " << quoted(model_name) << "\ninstances:\n";
  for (const auto& instance : instances) {
    const auto it = capture.ranges().find(instance.layer);
    if (!traced_as_nonlinear(instance) || it == capture.ranges().end()) continue;
    for (const auto& [f, s] : it->second) {
      const InputRange r = table_range(s.min, s.max);
      const bool widened = !(s.max > s.min);  // then the EMA is that one value too, and widens with it
      const double lo = r.min, hi = r.max, ema_lo = widened ? lo : s.ema_min, ema_hi = widened ? hi : s.ema_max;
      out << "  - {layer: " << quoted(instance.layer) << ", function: " << function_name(onnx_import::trace_function(f))
          << ", min: " << number(lo) << ", max: " << number(hi) << ", ema_min: " << number(ema_lo) << ", ema_max: " << number(ema_hi)
          << "}\n";
    }
  }
  return out.str();
}

}  // namespace npusim::graph
