// Reading and writing traces as versioned YAML (format documented in docs/formats.md).
#pragma once

#include <string>

#include "workloads/trace.hpp"

namespace npusim::workloads {

// Strict: unknown ops or keys (did-you-mean), wrong types, dims <= 0, shapes that do not follow from
// the inputs, producer/consumer shape mismatches, dangling or forward dependencies, duplicate ids,
// missing ranges of a non-linear op, ranges with min >= max or NaN - each "file:line:column: message".
Trace parse_trace(const std::string& yaml_text, const std::string& source_name);
Trace load_trace(const std::string& path);

std::string trace_to_yaml(const Trace& trace);
void save_trace(const Trace& trace, const std::string& path);  // atomic

// Producer/consumer consistency of a trace built in code (the generators); throws npusim::Error.
void validate_trace(const Trace& trace);

}  // namespace npusim::workloads
