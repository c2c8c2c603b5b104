#include "graph/model_calibration.hpp"

#include <cmath>

#include "graph/executor.hpp"

namespace npusim::graph {

void calibrate_sample(ModelCalibration& calibration, const Model& model, const std::map<std::string, Tensor>& inputs,
                      const std::vector<LinearLayer>& layers, const std::set<std::string>& rows_of) {
  const auto instances = onnx_import::find_nonlinear_instances(model);
  std::set<std::string> watch;
  for (const auto& i : instances) watch.insert(i.input);
  for (const auto& l : layers) watch.insert(l.input);
  const auto tensors = Executor(model, {true}).run(inputs, {}, watch);
  for (const auto& i : instances) calibration.ranges.observe(i, model, tensors.at(i.input));
  for (const auto& l : layers) {
    const Tensor& x = tensors.at(l.input);
    LinearCalibration& c = calibration.linear[l.name];
    for (const float v : x.floats) c.max_abs = std::max(c.max_abs, static_cast<double>(std::fabs(v)));
    if (rows_of.count(l.name) == 0) continue;
    const lutnn::Matrix rows = layer_rows(l, model, x);
    if (c.rows.cols == 0) c.rows = lutnn::Matrix(0, rows.cols);
    c.rows.values.insert(c.rows.values.end(), rows.values.begin(), rows.values.end());
    c.rows.rows += rows.rows;
    c.seen_rows += rows.rows;
  }
  ++calibration.samples;
}

void limit_rows(ModelCalibration& calibration, int64_t max_rows) {
  for (auto& [name, c] : calibration.linear) {
    if (c.rows.rows <= max_rows) continue;
    lutnn::Matrix kept(max_rows, c.rows.cols);
    for (int64_t r = 0; r < max_rows; ++r) {
      const int64_t from = r * c.rows.rows / max_rows;
      std::copy(c.rows.row(from), c.rows.row(from) + c.rows.cols, kept.values.begin() + r * c.rows.cols);
    }
    c.rows = std::move(kept);
  }
}

}  // namespace npusim::graph
