// SHA-256 digests (OpenSSL's libcrypto) of file contents: what a sweep stores beside its results to know
// that a result belongs to the spec and inputs it was computed from, and what golden-vector manifests
// list so a torn or mixed set of files is caught. `sha256sum FILE` prints the same hex digest.
#pragma once

#include <string>
#include <string_view>

namespace npusim {

// 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace npusim
