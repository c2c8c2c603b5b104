// ONNX's own node tests (Debian's libonnx-testdata: model.onnx with input_*.pb and output_*.pb per
// data set), run through npusim's FP32 executor with the ONNX backend runner's tolerances
// (|actual - expected| <= atol + rtol * |expected|, rtol 1e-3, atol 1e-7).
//
// Selection: every test whose nodes all have a kernel in npusim, except those whose graph inputs or
// outputs have an element type other than float32, float16, float64, int64, int32 and bool (npusim
// computes every floating type in float32; integer and boolean tensors carry token ids, masks, shapes
// and indices, and the narrow integer types' wrap-around arithmetic is not modelled) and
// BatchNormalization in training mode. Every selected test must pass.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <dirent.h>
#include <fstream>
#include <sstream>

#include "graph/executor.hpp"
#include "graph/kernels.hpp"
#include "common/atomic_file.hpp"

namespace npusim::graph {
namespace {

constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;

std::string node_test_root() {
  const char* env = std::getenv("NPUSIM_ONNX_NODE_TESTS");
  return env != nullptr ? env : "/usr/share/libonnx-testdata/data/node";
}

std::vector<std::string> list_dir(const std::string& path, const std::string& prefix) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.rfind(prefix, 0) == 0) names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

enum class Selection { run, unsupported_op, other_dtype, training_mode };

Selection select(const std::string& model_path) {
  ::onnx::ModelProto proto;
  std::ifstream in(model_path, std::ios::binary);
  if (!proto.ParseFromIstream(&in)) return Selection::unsupported_op;
  for (const auto& node : proto.graph().node()) {
    if (node.op_type() == "Constant") continue;
    if (!node.domain().empty() || find_kernel(node.op_type()) == nullptr) return Selection::unsupported_op;
    for (const auto& a : node.attribute()) {
      if (a.name() == "training_mode" && a.i() != 0) return Selection::training_mode;
    }
  }
  auto typed_ok = [](const ::onnx::ValueInfoProto& v) {
    const int t = v.type().tensor_type().elem_type();
    return v.type().has_tensor_type() && (t == ::onnx::TensorProto::FLOAT || t == ::onnx::TensorProto::INT64 ||
                                          t == ::onnx::TensorProto::INT32 || t == ::onnx::TensorProto::BOOL ||
                                          t == ::onnx::TensorProto::DOUBLE || t == ::onnx::TensorProto::FLOAT16);
  };
  for (const auto& v : proto.graph().input()) {
    if (!typed_ok(v)) return Selection::other_dtype;
  }
  for (const auto& v : proto.graph().output()) {
    if (!typed_ok(v)) return Selection::other_dtype;
  }
  return Selection::run;
}

// Empty when the outputs agree, else what differs.
std::string compare(const Tensor& expected, const Tensor& actual) {
  if (expected.shape != actual.shape) return "shape " + onnx_import::shape_string(actual.shape) + ", expected " + onnx_import::shape_string(expected.shape);
  if (expected.is_float() != actual.is_float()) return "element type differs";
  for (int64_t i = 0; i < expected.element_count(); ++i) {
    const double e = expected.number(i), a = actual.number(i);
    if (std::isnan(e) && std::isnan(a)) continue;
    if (!(std::fabs(a - e) <= kAtol + kRtol * std::fabs(e))) {
      std::ostringstream s;
      s << "element " << i << ": " << a << ", expected " << e;
      return s.str();
    }
  }
  return "";
}

// Runs every data set of one node test; empty on success, else the first problem.
std::string run_node_test(const std::string& dir) {
  try {
    for (const auto& set : list_dir(dir, "test_data_set_")) {
      const std::string set_dir = dir + "/" + set;
      std::vector<Tensor> inputs, expected;
      for (int i = 0; file_exists(set_dir + "/input_" + std::to_string(i) + ".pb"); ++i) {
        inputs.push_back(onnx_import::load_tensor_file(set_dir + "/input_" + std::to_string(i) + ".pb"));
      }
      for (int i = 0; file_exists(set_dir + "/output_" + std::to_string(i) + ".pb"); ++i) {
        expected.push_back(onnx_import::load_tensor_file(set_dir + "/output_" + std::to_string(i) + ".pb"));
      }
      // Bind the model's inputs to the data set's shapes (graph inputs in order, initializers excluded).
      onnx_import::InputShapes shapes;
      const onnx_import::Model probe = [&] {
        ::onnx::ModelProto proto;
        std::ifstream in(dir + "/model.onnx", std::ios::binary);
        proto.ParseFromIstream(&in);
        std::set<std::string> initializers;
        for (const auto& init : proto.graph().initializer()) initializers.insert(init.name());
        size_t k = 0;
        for (const auto& input : proto.graph().input()) {
          if (initializers.count(input.name()) == 0 && k < inputs.size()) shapes[input.name()] = inputs[k++].shape;
        }
        return onnx_import::load_model(dir + "/model.onnx", shapes);
      }();
      if (probe.inputs.size() != inputs.size()) return "the data set has " + std::to_string(inputs.size()) + " inputs for " + std::to_string(probe.inputs.size());
      std::map<std::string, Tensor> feed;
      for (size_t i = 0; i < inputs.size(); ++i) feed[probe.inputs[i]] = inputs[i];
      const auto outputs = Executor(probe).run(feed);
      for (size_t i = 0; i < probe.outputs.size() && i < expected.size(); ++i) {
        const auto it = outputs.find(probe.outputs[i]);
        if (it == outputs.end()) return set + ": output '" + probe.outputs[i] + "' missing";
        const std::string problem = compare(expected[i], it->second);
        if (!problem.empty()) return set + ": output " + std::to_string(i) + " " + problem;
      }
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(OnnxNodeConformance, EveryTestOfEverySupportedOpPasses) {
  const std::string root = node_test_root();
  const std::vector<std::string> tests = list_dir(root, "test_");
  if (tests.empty()) GTEST_SKIP() << "no ONNX node tests in " << root << " (tools/setup.sh installs libonnx-testdata)";
  int run = 0, passed = 0, other_dtype = 0, training = 0;
  std::string failures, excluded;
  for (const auto& name : tests) {
    const std::string dir = root + "/" + name;
    const Selection s = select(dir + "/model.onnx");
    if (s == Selection::unsupported_op) continue;
    if (s != Selection::run) {
      (s == Selection::other_dtype ? other_dtype : training) += 1;
      excluded += " " + name;
      continue;
    }
    ++run;
    const std::string problem = run_node_test(dir);
    if (problem.empty()) ++passed;
    else failures += "\n  " + name + ": " + problem;
  }
  std::cout << "ONNX node tests: " << run << " run, " << passed << " passed; excluded (tests of supported ops): " << other_dtype
            << " with other element types, " << training << " in training mode:" << excluded << "\n";
  EXPECT_EQ(passed, run) << "failing node tests:" << failures;
  EXPECT_GE(run, 440);  // the selection must not shrink unnoticed
}

}  // namespace
}  // namespace npusim::graph
