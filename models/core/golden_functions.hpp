// The non-linear functions in double precision: the accuracy reference every method is measured against.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace npusim {

enum class Function { exp, reciprocal, rsqrt, sqrt, gelu, gelu_tanh, silu, sigmoid, tanh, relu };

// f(x); poles return +-infinity and points outside the domain (sqrt, rsqrt of x < 0) return NaN.
double evaluate(Function f, double x);

// The name used on the command line and in files: "exp", "reciprocal", "rsqrt", "sqrt", "gelu"
// (erf form), "gelu_tanh", "silu", "sigmoid", "tanh", "relu".
std::string_view function_name(Function f);

// Throws npusim::Error listing the names (with a did-you-mean) for an unknown name.
Function parse_function(std::string_view name);

const std::vector<Function>& all_functions();
std::vector<std::string> all_function_names();

// Where the function is monotone on the whole real line (or its domain), +1 increasing, -1 decreasing;
// 0 when it is not (GELU, SiLU dip below zero) or, for reciprocal, only piecewise.
int monotonicity(Function f);

}  // namespace npusim
