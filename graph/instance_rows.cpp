#include "graph/instance_rows.hpp"

#include <algorithm>
#include <cmath>

#include "graph/softmax_axes.hpp"
#include "common/error.hpp"

namespace npusim::graph {

RowView instance_rows(const NonlinearInstance& instance, const Model& model, const std::vector<int64_t>& shape) {
  const int64_t count = onnx_import::shape_elements(shape);
  RowView view;
  int64_t inner = 1;
  if (instance.kind == onnx_import::NonlinearKind::softmax) {
    const SoftmaxAxes axes = softmax_axes(instance.axis, instance.axis_flattens, shape, instance.layer);
    view.cols = axes.length;
    inner = axes.inner;
  } else if (instance.kind == onnx_import::NonlinearKind::layernorm || instance.kind == onnx_import::NonlinearKind::rmsnorm) {
    if (instance.normalized_dims > static_cast<int64_t>(shape.size())) throw Error(instance.layer + ": normalises more dims than its input has");
    view.cols = onnx_import::shape_elements(std::vector<int64_t>(shape.end() - instance.normalized_dims, shape.end()));
  } else {
    view.cols = shape.empty() ? 1 : shape.back();
  }
  view.rows = view.cols == 0 ? 0 : count / view.cols;
  view.offsets.resize(static_cast<size_t>(count));
  // Row r = (outer o, inner i) walks k along the axis: offset (o * cols + k) * inner + i.
  for (int64_t r = 0; r < view.rows; ++r) {
    const int64_t o = r / inner, i = r % inner;
    for (int64_t k = 0; k < view.cols; ++k) view.offsets[static_cast<size_t>(r * view.cols + k)] = (o * view.cols + k) * inner + i;
  }
  return view;
}

std::vector<double> gather_rows(const Tensor& tensor, const RowView& view) {
  std::vector<double> rows(view.offsets.size());
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = tensor.floats[static_cast<size_t>(view.offsets[k])];
  return rows;
}

void scatter_rows(const std::vector<double>& rows, const RowView& view, Tensor& tensor) {
  for (size_t k = 0; k < rows.size(); ++k) tensor.floats[static_cast<size_t>(view.offsets[k])] = static_cast<float>(rows[k]);
}

void saturate_masked_logits(std::vector<double>& rows, int64_t row_count, int64_t cols) {
  const auto n = static_cast<size_t>(cols);
  std::vector<double> maxima(static_cast<size_t>(row_count));
  double spread = 0.0;
  bool masked = false;
  for (size_t r = 0; r < maxima.size(); ++r) {
    const auto row = rows.begin() + static_cast<long>(r * n);
    const double m = *std::max_element(row, row + static_cast<long>(n));
    maxima[r] = m;
    for (size_t k = 0; k < n; ++k) {
      const double d = row[static_cast<long>(k)] - m;
      if (d < kMaskedLogitOffset) masked = true;
      else spread = std::max(spread, -d);
    }
  }
  if (!masked) return;
  const double depth = std::max(2.0 * spread, kMinMaskedDepth);
  for (size_t r = 0; r < maxima.size(); ++r) {
    for (size_t k = 0; k < n; ++k) {
      double& v = rows[r * n + k];
      if (v - maxima[r] < kMaskedLogitOffset) v = maxima[r] - depth;
    }
  }
}

std::map<Function, std::vector<double>> lut_inputs(const NonlinearInstance& instance, const Model& model, const Tensor& input) {
  using onnx_import::NonlinearKind;
  const RowView view = instance_rows(instance, model, input.shape);
  std::vector<double> x = gather_rows(input, view);
  if (instance.kind == onnx_import::NonlinearKind::softmax) saturate_masked_logits(x, view.rows, view.cols);
  std::map<Function, std::vector<double>> out;
  const auto n = static_cast<size_t>(view.cols);
  switch (instance.kind) {
    case NonlinearKind::softmax: {
      auto& shifted = out[Function::exp];
      auto& sums = out[Function::reciprocal];
      for (int64_t r = 0; r < view.rows; ++r) {
        const auto row = x.begin() + static_cast<long>(static_cast<size_t>(r) * n);
        const double m = *std::max_element(row, row + static_cast<long>(n));
        double sum = 0.0;
        for (size_t k = 0; k < n; ++k) {
          shifted.push_back(row[static_cast<long>(k)] - m);
          sum += std::exp(row[static_cast<long>(k)] - m);
        }
        sums.push_back(sum);
      }
      break;
    }
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: {
      auto& variances = out[Function::rsqrt];
      for (int64_t r = 0; r < view.rows; ++r) {
        const auto row = x.begin() + static_cast<long>(static_cast<size_t>(r) * n);
        double mean = 0.0;
        if (instance.kind == NonlinearKind::layernorm) {
          for (size_t k = 0; k < n; ++k) mean += row[static_cast<long>(k)];
          mean /= static_cast<double>(n);
        }
        double var = 0.0;
        for (size_t k = 0; k < n; ++k) var += (row[static_cast<long>(k)] - mean) * (row[static_cast<long>(k)] - mean);
        variances.push_back(var / static_cast<double>(n) + instance.epsilon);
      }
      break;
    }
    default:
      for (const Function f : onnx_import::instance_functions(instance.kind)) {
        auto& values = out[f];
        values.reserve(x.size());
        for (const double v : x) values.push_back(instance.input_scale * v);
      }
      break;
  }
  return out;
}

}  // namespace npusim::graph
