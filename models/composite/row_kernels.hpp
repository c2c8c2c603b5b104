// The element-wise work around a composite op's lookups, batched over whole rows: quantizing a block of
// values (SPEC 2.1) and summing a row's errors. Each has a portable form and an AVX2 form used where the
// CPU has it; both give the same bits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace npusim {

// out[i] = clamp(rha(x[i] / scale) + zero_point, qmin, qmax) - zero_point: quantize() of SPEC 2.1 minus
// the zero point, for finite x. rha is std::round's value for every input.
void quantize_values(const double* x, size_t n, double scale, int64_t zero_point, int64_t qmin, int64_t qmax, int32_t* out);

// One row's errors against its reference: the largest |y - ref|, the sum of |y - ref|, and the sum and count
// of |y - ref| / |ref| over the elements with |ref| >= floor and ref != 0. Sums run in four interleaved
// partial sums (element i into sum i mod 4), added pairwise at the end.
// The smallest and largest of n > 0 values (finite doubles; any int32).
struct DoubleRange {
  double min, max;
};
DoubleRange value_range(const double* x, size_t n);
struct IntRange {
  int32_t min, max;
};
IntRange value_range(const int32_t* x, size_t n);

struct RowErrorSums {
  double max_error = 0.0, abs_sum = 0.0, rel_sum = 0.0;
  int64_t counted = 0;
};
RowErrorSums row_error_sums(const double* y, const double* reference, int64_t n, double floor);

}  // namespace npusim
