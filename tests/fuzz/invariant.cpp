#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz harness: invariant broken: %s\n", what);
  std::abort();
}

}  // namespace npusim::fuzz
