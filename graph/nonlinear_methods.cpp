#include "graph/nonlinear_methods.hpp"

#include <algorithm>
#include <cmath>

#include "graph/kernels.hpp"
#include "models/composite/composite_ops.hpp"
#include "models/lut/range_reduced_lut.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::NonlinearKind;

std::function<double(double)> table_of(Method method, Function f, const NonlinearInstance& instance, const InstanceRanges& ranges,
                                       const ApproximationOptions& options, const std::shared_ptr<ClampCounter>& counter) {
  const auto it = ranges.find(f);
  if (it == ranges.end()) throw Error(instance.layer + ": no range for " + std::string(function_name(f)));
  // bespoke-rr range-reduces reciprocal and rsqrt; every other function is its per-layer Bespoke table.
  const Method used = method == Method::bespoke_rr && !RangeReducedLut::supports(f) ? Method::bespoke : method;
  std::optional<Approximation> a;
  try {
    a = approximate(used, f, it->second.first, it->second.second, options);
  } catch (const Error& e) {
    throw Error(instance.layer + " (" + std::string(function_name(f)) + " over [" + std::to_string(it->second.first) + ", " +
                std::to_string(it->second.second) + "]): " + e.what());
  }
  if (!a) return {};
  if (!counter) return a->evaluate;
  if (!a->outside_domain.empty()) counter->outside_domain.push_back(std::string(function_name(f)) + ": " + a->outside_domain);
  return [approximation = *a, f, counter](double x) {
    if (counter->enabled) {
      ClampCount& c = counter->counts[f];
      ++c.total;
      c.outside += clamps(approximation, f, x) ? 1 : 0;
    }
    return approximation.evaluate(x);
  };
}

// gamma (and beta) of a norm, one value per element of a row, broadcast as ONNX does.
std::vector<double> per_column(const Model& model, const std::string& name, const std::vector<int64_t>& normalized, double fallback) {
  const int64_t cols = onnx_import::shape_elements(normalized);
  if (name.empty()) return std::vector<double>(static_cast<size_t>(cols), fallback);
  const Tensor* t = model.constant(name);
  if (t == nullptr) throw Error("'" + name + "' is not a constant");
  const std::vector<int64_t> index = broadcast_index(t->shape, normalized);
  std::vector<double> values;
  for (const int64_t i : index) values.push_back(t->number(i));
  return values;
}

InstanceKernel on_rows(const NonlinearInstance& instance, const Model& model, std::function<std::vector<double>(const Rows&)> compute) {
  return [&instance, &model, compute](const Tensor& input) {
    const RowView view = instance_rows(instance, model, input.shape);
    Rows rows{view.rows, view.cols, gather_rows(input, view)};
    if (instance.kind == onnx_import::NonlinearKind::softmax) saturate_masked_logits(rows.values, rows.rows, rows.cols);
    Tensor out = input;
    scatter_rows(compute(rows), view, out);
    return out;
  };
}

}  // namespace

std::optional<InstanceKernel> method_kernel(Method method, const NonlinearInstance& instance, const Model& model,
                                            const InstanceRanges& ranges, const ApproximationOptions& options,
                                            std::shared_ptr<ClampCounter> counter) {
  if (method == Method::fp32) return std::nullopt;
  const std::vector<Function> functions = onnx_import::instance_functions(instance.kind);
  if (functions.empty()) return std::nullopt;
  std::vector<std::function<double(double)>> tables;
  bool all_tables = true;
  for (const Function f : functions) {
    tables.push_back(table_of(method, f, instance, ranges, options, counter));
    all_tables = all_tables && static_cast<bool>(tables.back());
  }
  switch (instance.kind) {
    case NonlinearKind::softmax: {
      if (all_tables) {
        const auto exp_f = tables[0], recip_f = tables[1];
        return on_rows(instance, model, [exp_f, recip_f](const Rows& x) {
          std::vector<double> y(x.values.size());
          for (int64_t r = 0; r < x.rows; ++r) {
            const double* row = &x.values[static_cast<size_t>(r * x.cols)];
            double* out = &y[static_cast<size_t>(r * x.cols)];
            const double m = *std::max_element(row, row + x.cols);
            double sum = 0.0;
            for (int64_t k = 0; k < x.cols; ++k) sum += (out[k] = exp_f(row[k] - m));
            const double reciprocal = recip_f(sum);
            for (int64_t k = 0; k < x.cols; ++k) out[k] *= reciprocal;
          }
          return y;
        });
      }
      return on_rows(instance, model, [method](const Rows& x) { return composite_run(method, CompositeOp::softmax, x).output; });
    }
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: {
      const onnx_import::ValueInfo* v = model.value(instance.input);
      if (v == nullptr || !v->shape_known) throw Error(instance.layer + ": the input shape is not known");
      const std::vector<int64_t> normalized(v->shape.end() - instance.normalized_dims, v->shape.end());
      const std::vector<double> gamma = per_column(model, instance.gamma, normalized, 1.0);
      const std::vector<double> beta = per_column(model, instance.beta, normalized, 0.0);
      const bool centred = instance.kind == NonlinearKind::layernorm;
      const double epsilon = instance.epsilon;
      const auto affine = [gamma, beta](std::vector<double> y, int64_t cols) {
        for (size_t k = 0; k < y.size(); ++k) y[k] = y[k] * gamma[k % static_cast<size_t>(cols)] + beta[k % static_cast<size_t>(cols)];
        return y;
      };
      if (all_tables) {
        const auto rsqrt_f = tables[0];
        return on_rows(instance, model, [rsqrt_f, centred, epsilon, affine](const Rows& x) {
          std::vector<double> y(x.values.size());
          for (int64_t r = 0; r < x.rows; ++r) {
            const double* row = &x.values[static_cast<size_t>(r * x.cols)];
            double mean = 0.0, var = 0.0;
            if (centred) {
              for (int64_t k = 0; k < x.cols; ++k) mean += row[k];
              mean /= static_cast<double>(x.cols);
            }
            for (int64_t k = 0; k < x.cols; ++k) var += (row[k] - mean) * (row[k] - mean);
            const double inverse = rsqrt_f(var / static_cast<double>(x.cols) + epsilon);
            for (int64_t k = 0; k < x.cols; ++k) y[static_cast<size_t>(r * x.cols + k)] = (row[k] - mean) * inverse;
          }
          return affine(std::move(y), x.cols);
        });
      }
      const CompositeOp op = centred ? CompositeOp::layernorm : CompositeOp::rmsnorm;
      return on_rows(instance, model, [method, op, affine](const Rows& x) { return affine(composite_run(method, op, x).output, x.cols); });
    }
    default: {
      if (!all_tables) return std::nullopt;
      const auto f = tables[0];
      const double s = instance.input_scale;
      return [f, s](const Tensor& input) {
        Tensor out = input;
        for (float& v : out.floats) v = static_cast<float>(f(s * v) / s);
        return out;
      };
    }
  }
}

}  // namespace npusim::graph
