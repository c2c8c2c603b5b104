// Large arrays (a 4096 x 4096 tensor of doubles is 134 MB) backed by 2 MiB pages where the kernel allows
// it: a few hundred page faults instead of tens of thousands, which otherwise cost as much as the
// arithmetic on the array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace npusim {

// A vector of n value-initialised elements whose storage was advised to use huge pages before its first
// touch (a no-op where the advice is not available).
template <class T>
std::vector<T> huge_page_vector(size_t n) {
  std::vector<T> v;
  v.reserve(n);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHugePage = uintptr_t{1} << 21;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(v.data()) + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(v.data() + n)) & ~(kHugePage - 1);
  if (n * sizeof(T) >= 4 * kHugePage && end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  v.resize(n);
  return v;
}

}  // namespace npusim
