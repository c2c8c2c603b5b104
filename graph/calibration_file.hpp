// Captured ranges as a calibration file (the format of workloads/calibration.hpp, which every
// workload command reads with --calibration): one entry per instance the trace of the same model
// holds as a non-linear op (softmax: exp, reciprocal; norms: rsqrt; GELU and SiLU), under the
// layer name the importer gives it. Instances a trace keeps as generic vector ops (sigmoid, tanh)
// have no entry there.
#pragma once

#include <string>
#include <vector>

#include "graph/range_capture.hpp"

namespace npusim::graph {

// A range whose min equals its max (a constant input) is widened by a relative 1e-6 (at least 1e-9),
// since a table needs min < max.
std::string calibration_yaml(const std::string& model_name, const std::vector<NonlinearInstance>& instances,
                             const RangeCapture& capture);

// Whether the trace holds the instance as a non-linear op with tables.
bool traced_as_nonlinear(const NonlinearInstance& instance);

}  // namespace npusim::graph
