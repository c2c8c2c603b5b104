#include "models/core/golden_functions.hpp"

#include <cmath>
#include <limits>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"

namespace npusim {

double evaluate(Function f, double x) {
  switch (f) {
    case Function::exp: return std::exp(x);
    case Function::reciprocal: return 1.0 / x;  // +-inf at 0
    case Function::rsqrt:
      if (x < 0.0) return std::numeric_limits<double>::quiet_NaN();
      return 1.0 / std::sqrt(x);  // +inf at 0
    case Function::sqrt: return x < 0.0 ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(x);
    case Function::gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Function::gelu_tanh: {
      const double k = std::sqrt(2.0 / M_PI);
      return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
    }
    case Function::silu: return x / (1.0 + std::exp(-x));
    case Function::sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Function::tanh: return std::tanh(x);
    case Function::relu: return x > 0.0 ? x : 0.0;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string_view function_name(Function f) {
  switch (f) {
    case Function::exp: return "exp";
    case Function::reciprocal: return "reciprocal";
    case Function::rsqrt: return "rsqrt";
    case Function::sqrt: return "sqrt";
    case Function::gelu: return "gelu";
    case Function::gelu_tanh: return "gelu_tanh";
    case Function::silu: return "silu";
    case Function::sigmoid: return "sigmoid";
    case Function::tanh: return "tanh";
    case Function::relu: return "relu";
  }
  return "?";
}

const std::vector<Function>& all_functions() {
  static const std::vector<Function> functions = {
      Function::exp,  Function::reciprocal, Function::rsqrt,   Function::sqrt, Function::gelu,
      Function::gelu_tanh, Function::silu, Function::sigmoid, Function::tanh, Function::relu};
  return functions;
}

std::vector<std::string> all_function_names() {
  std::vector<std::string> names;
  for (const Function f : all_functions()) names.emplace_back(function_name(f));
  return names;
}

Function parse_function(std::string_view name) {
  for (const Function f : all_functions()) {
    if (function_name(f) == name) return f;
  }
  const auto names = all_function_names();
  throw Error("unknown function '" + std::string(name) + "'" + did_you_mean(name, names) + "; known: " +
              join_names(names));
}

int monotonicity(Function f) {
  switch (f) {
    case Function::exp:
    case Function::sqrt:
    case Function::sigmoid:
    case Function::tanh:
    case Function::relu: return +1;
    case Function::rsqrt: return -1;
    case Function::reciprocal:  // decreasing on each side of the pole
    case Function::gelu:
    case Function::gelu_tanh:
    case Function::silu: return 0;
  }
  return 0;
}

}  // namespace npusim
