// Overflow-checked size arithmetic, the one place every shape, element count, byte count, MAC count and
// cycle count is multiplied, added or narrowed. Sizes are int64_t everywhere; a result that does not
// fit (or a division by zero, or a negative dimension) throws checked::SizeOverflow, an npusim::Error,
// so a hostile trace or config ends in one clear line instead of a wrapped value, a SIGFPE or garbage.
//
//   const int64_t elements = checked::product(shape, "op 'x': output elements");
//   const int64_t bytes = checked::mul(elements, 2, "op 'x': output bytes");
//   const int tiles = checked::narrow<int>(tile_count, "weight tiles");
//   const int64_t cycles = checked::ceil_div(work, lanes, "cycles");     // lanes == 0 throws
//
// `what` names the quantity for the message ("op 'x': output bytes: 4294967296 x 4294967296 does not
// fit in 64 bits"); it is a string_view so a literal costs nothing on the fast path.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/error.hpp"

namespace npusim::checked {

class SizeOverflow : public Error {
 public:
  explicit SizeOverflow(const std::string& message) : Error(message) {}
};

[[noreturn]] inline void fail(std::string_view what, const std::string& problem) {
  throw SizeOverflow(what.empty() ? problem : std::string(what) + ": " + problem);
}

inline int64_t mul(int64_t a, int64_t b, std::string_view what = {}) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    fail(what, std::to_string(a) + " x " + std::to_string(b) + " does not fit in 64 bits");
  }
  return r;
}

inline int64_t add(int64_t a, int64_t b, std::string_view what = {}) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    fail(what, std::to_string(a) + " + " + std::to_string(b) + " does not fit in 64 bits");
  }
  return r;
}

inline int64_t sub(int64_t a, int64_t b, std::string_view what = {}) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) {
    fail(what, std::to_string(a) + " - " + std::to_string(b) + " does not fit in 64 bits");
  }
  return r;
}

// a / b truncated toward zero; b == 0 (and INT64_MIN / -1) throw instead of raising SIGFPE.
inline int64_t div(int64_t a, int64_t b, std::string_view what = {}) {
  if (b == 0) fail(what, "division of " + std::to_string(a) + " by zero");
  if (a == std::numeric_limits<int64_t>::min() && b == -1) fail(what, std::to_string(a) + " / -1 does not fit in 64 bits");
  return a / b;
}

// ceil(a / b) for a >= 0 and b > 0 (tiles, chunks, cycles of `a` units on `b` lanes).
inline int64_t ceil_div(int64_t a, int64_t b, std::string_view what = {}) {
  if (b <= 0) fail(what, "division of " + std::to_string(a) + " into " + std::to_string(b) + " parts (needs > 0)");
  if (a < 0) fail(what, "ceil division of a negative amount " + std::to_string(a));
  return a / b + (a % b != 0 ? 1 : 0);
}

// The element count of a shape (1 for a 0-d shape). A negative dimension throws; a zero gives 0.
inline int64_t product(const std::vector<int64_t>& dims, std::string_view what = {}) {
  int64_t n = 1;
  for (const int64_t d : dims) {
    if (d < 0) fail(what, "a dimension is negative (" + std::to_string(d) + ")");
    n = mul(n, d, what);
  }
  return n;
}

// The sum of sizes, checked.
inline int64_t sum(const std::vector<int64_t>& values, std::string_view what = {}) {
  int64_t s = 0;
  for (const int64_t v : values) s = add(s, v, what);
  return s;
}

// int64_t -> a narrower integer type (int, uint32_t, ...), or throw.
template <class To>
To narrow(int64_t v, std::string_view what = {}) {
  static_assert(std::is_integral_v<To>, "narrow<To> converts to an integer type");
  if constexpr (std::is_signed_v<To>) {
    if (v < static_cast<int64_t>(std::numeric_limits<To>::min()) || v > static_cast<int64_t>(std::numeric_limits<To>::max())) {
      fail(what, std::to_string(v) + " does not fit in " + std::to_string(8 * sizeof(To)) + " bits");
    }
  } else {
    if (v < 0 || static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<To>::max())) {
      fail(what, std::to_string(v) + " does not fit in an unsigned " + std::to_string(8 * sizeof(To)) + "-bit value");
    }
  }
  return static_cast<To>(v);
}

// A non-negative size held as a double (a cycle count from a rate, a time in ps) -> int64_t, rounded
// up; NaN, infinity, a negative value or one beyond 2^63 throw (the conversion itself would be UB).
inline int64_t ceil_to_int64(double v, std::string_view what = {}) {
  if (!(v >= 0.0)) fail(what, "the value " + std::to_string(v) + " is negative or not a number");
  const double up = std::ceil(v);
  if (!(up < 9223372036854775808.0)) fail(what, "the value " + std::to_string(v) + " does not fit in 64 bits");
  return static_cast<int64_t>(up);
}

}  // namespace npusim::checked
