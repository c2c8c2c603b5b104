// The non-linear kernels of the DSP, row by row, in any precision.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "hw/config/hw_config.hpp"

namespace npusim::hw {

// The DSP's kernels, written once: the DSP unit runs them in FP32, the functional check in double as the
// reference.
template <class Real>
inline std::vector<Real> dsp_kernel(NonlinearKind kind, const std::vector<double>& row) {
  std::vector<Real> x(row.begin(), row.end()), y(row.size());
  switch (kind) {
    case NonlinearKind::gelu:
      for (size_t i = 0; i < x.size(); ++i) y[i] = Real(0.5) * x[i] * (Real(1) + std::erf(x[i] / std::sqrt(Real(2))));
      break;
    case NonlinearKind::silu:
      for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] / (Real(1) + std::exp(-x[i]));
      break;
    case NonlinearKind::softmax: {
      const Real m = *std::max_element(x.begin(), x.end());
      Real sum = 0;
      for (size_t i = 0; i < x.size(); ++i) sum += (y[i] = std::exp(x[i] - m));
      for (auto& v : y) v /= sum;
      break;
    }
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: {
      Real mean = 0;
      if (kind == NonlinearKind::layernorm) {
        for (const Real v : x) mean += v;
        mean /= static_cast<Real>(x.size());
      }
      Real var = 0;
      for (const Real v : x) var += (v - mean) * (v - mean);
      var /= static_cast<Real>(x.size());
      const Real r = Real(1) / std::sqrt(var + Real(1e-5));
      for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) * r;
      break;
    }
  }
  return y;
}

}  // namespace npusim::hw
