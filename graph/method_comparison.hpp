// An imported model run in FP32 and with its non-linear instances computed by each method, compared:
// per instance (the method on the FP32 run's own input of the instance, so each figure is that
// instance's error alone) and at the model outputs (the whole method run, errors compounded).
// Figures: max abs error, cosine similarity, and argmax agreement over the last dim (for a sequence
// classifier such as a CTC head: the share of time steps whose greedy decision is unchanged).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/nonlinear_methods.hpp"

namespace npusim::graph {

struct ErrorFigures {
  double max_abs_error = 0.0;
  double cosine = 1.0;
  int64_t argmax_agree = 0;  // rows of the last dim whose argmax is unchanged
  int64_t argmax_rows = 0;
};

// reference and actual have one shape; throws npusim::Error otherwise.
ErrorFigures compare_tensors(const Tensor& reference, const Tensor& actual);

enum class RangeSource { calibration, self };  // a calibration file, or this input's own FP32 run

struct InstanceComparison {
  NonlinearInstance instance;
  RangeSource source = RangeSource::self;
  InstanceRanges ranges;
  std::map<Method, std::optional<ErrorFigures>> methods;  // nullopt: the method leaves it in FP32
};

struct OutputComparison {
  std::string name;
  std::map<Method, ErrorFigures> methods;
};

struct MethodComparison {
  std::vector<InstanceComparison> instances;
  std::vector<OutputComparison> outputs;
  std::map<Method, std::map<std::string, Tensor>> output_tensors;  // fp32 included
  std::map<std::string, Tensor> instance_inputs;                   // layer -> its FP32 input
};

// `calibrated`: layer -> ranges from a calibration file; other instances use the min / max of their
// LUT inputs in this FP32 run.
MethodComparison compare_methods(const Model& model, const std::map<std::string, Tensor>& inputs, const std::vector<Method>& methods,
                                 const std::map<std::string, InstanceRanges>& calibrated);

}  // namespace npusim::graph
