// What a sweep leaves behind, read back as point results: per point of the spec, the record that vouches
// for its result (else its recorded failure, else nothing) from the output folders given.
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

struct CollectOptions {
  // A result counts only when its point folder (OUT/points/<id>/result.json) is there and is the one its
  // record names: a sweep run with --keep-points recomputes a point whose folder is incomplete.
  bool need_point_folders = false;
};

// `points` with their outcome from the first of `dirs` that has a usable result (else a failure recorded
// for the point as the spec now defines it). `unusable` says why a record present was not used. Lines of
// the results files that are no record (a torn line, say) are listed in `skipped` when it is given.
std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs, const CollectOptions& options = {},
                                         std::vector<std::string>* skipped = nullptr);

}  // namespace npusim::cli
