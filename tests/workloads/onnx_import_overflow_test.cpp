// Sizes beyond 64 bits met while importing or running a model (issue 27, item 6's pattern elsewhere in
// workloads/onnx and graph): an error naming the node, not a wrapped value or SIGFPE.
#include <gtest/gtest.h>

#include "tests/error_text.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::onnx_import {
namespace {

using testing::error_of;

// MatMul of two [2^32, 2^32, 2, 2] activations: the batch product wrapped to 0 and `0 % 0` raised
// SIGFPE in the importer.
TEST(OnnxImportOverflow, AMatMulBatchBeyond64BitsIsAnError) {
  const std::string path = std::string(NPUSIM_SOURCE_DIR) + "/tests/fuzz/regressions/onnx/matmul_batch_overflow.onnx";
  EXPECT_EQ(error_of([&] { import_to_trace(load_model(path), "m"); }),
            path + ": MatMul 'mm': batch dims: 4294967296 x 4294967296 does not fit in 64 bits");
}

}  // namespace
}  // namespace npusim::onnx_import
