// NumPy .npy files: what parses converts to doubles and formats back to bytes that parse the same.
#include "common/error.hpp"
#include "common/npy.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void npy(std::string_view data) {
  npy::Array array;
  try {
    array = npy::parse(std::string(data), "fuzz.npy");
  } catch (const Error&) {
    return;
  }
  if (static_cast<int64_t>(array.bytes.size()) != array.element_count() * npy::dtype_bytes(array.dtype)) {
    invariant_broken("the bytes do not match the shape");
  }
  array.to_doubles();
  try {
    const npy::Array again = npy::parse(npy::format(array), "again.npy");
    if (again.shape != array.shape || again.dtype != array.dtype || again.bytes != array.bytes) invariant_broken("an array reads back differently");
  } catch (const Error&) {
    invariant_broken("a formatted array does not parse");
  }
}

}  // namespace npusim::fuzz
