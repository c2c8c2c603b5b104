// Calibration of a whole model on sample inputs, run in FP32: the input ranges of every non-linear
// instance's LUT functions (range_capture), and for each linear layer the largest magnitude of its input
// (the INT8 activation scale) and, when asked, its activation rows (what LUT-NN learns codebooks on).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/linear_methods.hpp"
#include "graph/range_capture.hpp"

namespace npusim::graph {

struct ModelCalibration {
  explicit ModelCalibration(double ema_constant = 0.1) : ranges(ema_constant) {}

  RangeCapture ranges;
  std::map<std::string, LinearCalibration> linear;  // by layer name
  int64_t samples = 0;
};

// Runs one sample (inputs keyed by the model's names) and records it. `rows_of` names the layers whose
// activation rows are kept (LUT-NN); every layer's magnitude is recorded.
void calibrate_sample(ModelCalibration& calibration, const Model& model, const std::map<std::string, Tensor>& inputs,
                      const std::vector<LinearLayer>& layers, const std::set<std::string>& rows_of);

// Thins every layer's kept rows to at most `max_rows`, evenly over all of them (deterministic).
void limit_rows(ModelCalibration& calibration, int64_t max_rows);

}  // namespace npusim::graph
