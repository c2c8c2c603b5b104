#include "workloads/onnx/nonlinear_patterns.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace npusim::onnx_import {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

bool near(double value, double expected) { return std::fabs(value - expected) <= 1e-3 * std::fabs(expected); }

class Matcher {
 public:
  explicit Matcher(const Model& model) : model_(model), readers_(model.consumers()) {
    for (size_t i = 0; i < model.nodes.size(); ++i) {
      for (const auto& out : model.nodes[i].outputs) producer_[out] = i;
    }
    outputs_.insert(model.outputs.begin(), model.outputs.end());
  }

  std::vector<NonlinearInstance> run() {
    for (size_t i = 0; i < nodes().size(); ++i) {
      if (is(i, "Sqrt")) match_norm(i);
    }
    for (size_t i = 0; i < nodes().size(); ++i) {
      if (is(i, "Erf")) match_gelu_erf(i);
      if (is(i, "Tanh")) match_gelu_tanh(i);
    }
    for (size_t i = 0; i < nodes().size(); ++i) {
      if (is(i, "Sigmoid")) match_silu(i);
      if (is(i, "HardSigmoid")) match_hardswish_from_hardsigmoid(i);
      if (is(i, "Clip")) match_hardswish_from_clip(i);
    }
    for (size_t i = 0; i < nodes().size(); ++i) {
      const Node& n = nodes()[i];
      if (is(i, "Softmax")) {
        add(NonlinearKind::softmax, {i}, n.inputs[0], false);
      } else if (is(i, "LayerNormalization")) {
        match_layer_normalization(i);
      } else if (is(i, "HardSwish")) {
        add(NonlinearKind::hardswish, {i}, n.inputs[0], false);
      } else if (is(i, "Sigmoid")) {
        add(NonlinearKind::sigmoid, {i}, n.inputs[0], false);
      } else if (is(i, "Tanh")) {
        add(NonlinearKind::tanh, {i}, n.inputs[0], false);
      } else if (is(i, "HardSigmoid")) {
        add(NonlinearKind::hardsigmoid, {i}, n.inputs[0], false);
      }
    }
    std::sort(found_.begin(), found_.end(), [](const auto& a, const auto& b) { return a.nodes.back() < b.nodes.back(); });
    return found_;
  }

 private:
  const std::vector<Node>& nodes() const { return model_.nodes; }

  bool is(size_t i, const char* op) const {
    const Node& n = nodes()[i];
    return i != kNone && claimed_.count(i) == 0 && n.op_type == op && (n.domain.empty() || n.domain == "ai.onnx") && !n.outputs.empty();
  }

  // The unclaimed node producing `tensor`, if it is an `op`.
  size_t producer(const std::string& tensor, const char* op) const {
    const auto it = producer_.find(tensor);
    return it != producer_.end() && is(it->second, op) ? it->second : kNone;
  }

  // The only reader of `tensor` if it is an `op` and the tensor is no graph output.
  size_t sole_reader(const std::string& tensor, const char* op) const {
    const auto it = readers_.find(tensor);
    if (it == readers_.end() || it->second.size() != 1 || outputs_.count(tensor) != 0) return kNone;
    return is(it->second[0], op) ? it->second[0] : kNone;
  }

  // Every reader of `tensor` is one of `allowed`.
  bool read_only_by(const std::string& tensor, const std::set<size_t>& allowed) const {
    if (outputs_.count(tensor) != 0) return false;
    const auto it = readers_.find(tensor);
    if (it == readers_.end()) return true;
    for (const size_t r : it->second) {
      if (allowed.count(r) == 0) return false;
    }
    return true;
  }

  std::optional<double> scalar(const std::string& tensor) const {
    const Tensor* t = model_.constant(tensor);
    if (t == nullptr || t->element_count() != 1) return std::nullopt;
    return t->number(0);
  }

  bool constant(const std::string& tensor) const { return model_.constant(tensor) != nullptr; }

  // For a binary node with a scalar constant operand equal to `value` (either side, unless `ordered`):
  // the other operand, else "".
  std::string other_than_scalar(size_t i, double value, bool ordered = false) const {
    if (i == kNone) return "";
    const Node& n = nodes()[i];
    if (n.inputs.size() != 2) return "";
    const auto b = scalar(n.inputs[1]);
    if (b && near(*b, value)) return n.inputs[0];
    const auto a = scalar(n.inputs[0]);
    if (!ordered && a && near(*a, value)) return n.inputs[1];
    return "";
  }

  // For Mul(x, t) / Mul(t, x): whether one operand is `x` and the other `t`.
  bool multiplies(size_t i, const std::string& x, const std::string& t) const {
    if (i == kNone) return false;
    const auto& in = nodes()[i].inputs;
    return in.size() == 2 && ((in[0] == x && in[1] == t) || (in[0] == t && in[1] == x));
  }

  const std::string& out(size_t i) const { return nodes()[i].outputs[0]; }

  NonlinearInstance& add(NonlinearKind kind, std::vector<size_t> group, const std::string& input, bool decomposed) {
    std::sort(group.begin(), group.end());
    NonlinearInstance inst;
    inst.kind = kind;
    inst.nodes = group;
    inst.input = input;
    inst.output = out(group.back());
    inst.layer = inst.output;
    inst.decomposed = decomposed;
    claimed_.insert(group.begin(), group.end());
    found_.push_back(inst);
    return found_.back();
  }

  // Axes of a ReduceMean over the trailing dims of `x`: how many, else 0.
  int64_t trailing_axes(size_t reduce, const std::string& x) const {
    const Node& n = nodes()[reduce];
    const ValueInfo* v = model_.value(x);
    if (v == nullptr || n.integer("keepdims", 1) != 1 || !n.has("axes")) return 0;
    const int64_t rank = static_cast<int64_t>(v->shape.size());
    std::vector<int64_t> axes = n.integers("axes");
    for (auto& a : axes) a = a < 0 ? a + rank : a;
    std::sort(axes.begin(), axes.end());
    for (size_t k = 0; k < axes.size(); ++k) {
      if (axes[k] != rank - static_cast<int64_t>(axes.size()) + static_cast<int64_t>(k)) return 0;
    }
    return static_cast<int64_t>(axes.size());
  }

  // Sqrt(ReduceMean(Pow(d, 2)) + eps), then Div(num, .) or Reciprocal and Mul(num, .), then gamma and beta:
  // LayerNorm when d = x - ReduceMean(x) and num = d, RMSNorm when d = num = x.
  void match_norm(size_t sqrt) {
    const size_t add_eps = producer(nodes()[sqrt].inputs[0], "Add");
    if (add_eps == kNone) return;
    const Node& a = nodes()[add_eps];
    std::string var;
    double epsilon = 0.0;
    for (int k = 0; k < 2; ++k) {
      const auto e = scalar(a.inputs[static_cast<size_t>(k)]);
      if (e && *e >= 0 && *e < 1e-2) {
        epsilon = *e;
        var = a.inputs[static_cast<size_t>(1 - k)];
      }
    }
    const size_t reduce_var = var.empty() ? kNone : producer(var, "ReduceMean");
    if (reduce_var == kNone) return;
    const std::string& squares = nodes()[reduce_var].inputs[0];
    size_t square = producer(squares, "Pow");
    std::string d;
    if (square != kNone) {
      d = other_than_scalar(square, 2.0, true);
    } else if ((square = producer(squares, "Mul")) != kNone && nodes()[square].inputs[0] == nodes()[square].inputs[1]) {
      d = nodes()[square].inputs[0];
    }
    if (d.empty()) return;
    // LayerNorm: d = Sub(x, ReduceMean(x)) over the same trailing axes.
    const size_t sub = producer(d, "Sub");
    size_t reduce_mean = kNone;
    std::string x = d;
    if (sub != kNone) {
      reduce_mean = producer(nodes()[sub].inputs[1], "ReduceMean");
      if (reduce_mean == kNone || nodes()[reduce_mean].inputs[0] != nodes()[sub].inputs[0]) return;
      x = nodes()[sub].inputs[0];
    }
    const int64_t dims = trailing_axes(reduce_var, x);
    if (dims == 0 || (reduce_mean != kNone && trailing_axes(reduce_mean, x) != dims)) return;
    // The normalisation: Div(d, sqrt), or Mul(d, Reciprocal(sqrt)).
    std::vector<size_t> group = {add_eps, reduce_var, square, sqrt};
    size_t normalize = sole_reader(out(sqrt), "Div");
    if (normalize != kNone) {
      if (nodes()[normalize].inputs[0] != d) return;
    } else {
      const size_t recip = sole_reader(out(sqrt), "Reciprocal");
      normalize = recip == kNone ? kNone : sole_reader(out(recip), "Mul");
      if (normalize == kNone || !multiplies(normalize, d, out(recip))) return;
      group.push_back(recip);
    }
    group.push_back(normalize);
    if (!read_only_by(out(add_eps), {sqrt}) || !read_only_by(var, {add_eps}) || !read_only_by(squares, {reduce_var})) return;
    if (reduce_mean != kNone) {
      if (!read_only_by(out(reduce_mean), {sub}) || !read_only_by(d, {square, normalize})) return;
      group.push_back(reduce_mean);
      group.push_back(sub);
    }
    std::string result = out(normalize), gamma, beta;
    const size_t scale = sole_reader(result, "Mul");
    if (scale != kNone) {
      const auto& in = nodes()[scale].inputs;
      gamma = in[0] == result ? in[1] : in[0];
      if (constant(gamma)) {
        group.push_back(scale);
        result = out(scale);
      } else {
        gamma.clear();
      }
    }
    const size_t shift = sole_reader(result, "Add");
    if (shift != kNone) {
      const auto& in = nodes()[shift].inputs;
      beta = in[0] == result ? in[1] : in[0];
      if (constant(beta)) group.push_back(shift);
      else beta.clear();
    }
    NonlinearInstance& inst = add(reduce_mean != kNone ? NonlinearKind::layernorm : NonlinearKind::rmsnorm, group, x, true);
    inst.normalized_dims = dims;
    inst.epsilon = epsilon;
    inst.gamma = gamma;
    inst.beta = beta;
  }

  void match_layer_normalization(size_t i) {
    const Node& n = nodes()[i];
    for (size_t k = 1; k < n.outputs.size(); ++k) {
      if (!n.outputs[k].empty() && readers_.count(n.outputs[k]) != 0) return;  // Mean / InvStdDev are read
    }
    const ValueInfo* v = model_.value(n.inputs[0]);
    if (v == nullptr || n.inputs.size() < 2 || !constant(n.inputs[1]) || (n.inputs.size() > 2 && !n.inputs[2].empty() && !constant(n.inputs[2]))) return;
    const int64_t rank = static_cast<int64_t>(v->shape.size());
    int64_t axis = n.integer("axis", -1);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return;
    NonlinearInstance& inst = add(NonlinearKind::layernorm, {i}, n.inputs[0], false);
    inst.normalized_dims = rank - axis;
    inst.epsilon = n.number("epsilon", 1e-5);
    inst.gamma = n.inputs[1];
    if (n.inputs.size() > 2) inst.beta = n.inputs[2];
  }

  // (1 + f) times x and 0.5, in the orders exporters write: ((x * s) * 0.5), ((s * 0.5) * x), ((x * 0.5) * s).
  bool match_half_x_times(size_t one_plus, const std::string& x, std::vector<size_t>& group) {
    const std::string& s = out(one_plus);
    const size_t m = sole_reader(s, "Mul");
    if (m == kNone) return false;
    if (multiplies(m, x, s)) {
      const size_t half = sole_reader(out(m), "Mul");
      if (half == kNone || other_than_scalar(half, 0.5) != out(m)) return false;
      group.insert(group.end(), {m, half});
      return true;
    }
    if (other_than_scalar(m, 0.5) == s) {
      const size_t times_x = sole_reader(out(m), "Mul");
      if (!multiplies(times_x, x, out(m))) return false;
      group.insert(group.end(), {m, times_x});
      return true;
    }
    const auto& in = nodes()[m].inputs;
    const std::string half_x = in[0] == s ? in[1] : in[0];
    const size_t hx = producer(half_x, "Mul");
    if (hx == kNone || other_than_scalar(hx, 0.5) != x || !read_only_by(half_x, {m})) return false;
    group.insert(group.end(), {hx, m});
    return true;
  }

  void match_gelu_erf(size_t erf) {
    const std::string& t = nodes()[erf].inputs[0];
    size_t scale = producer(t, "Div");
    std::string x = other_than_scalar(scale, std::sqrt(2.0), true);
    if (x.empty()) {
      scale = producer(t, "Mul");
      x = other_than_scalar(scale, std::sqrt(0.5));
    }
    const size_t one_plus = sole_reader(out(erf), "Add");
    if (x.empty() || one_plus == kNone || other_than_scalar(one_plus, 1.0) != out(erf) || !read_only_by(t, {erf})) return;
    std::vector<size_t> group = {scale, erf, one_plus};
    if (match_half_x_times(one_plus, x, group)) add(NonlinearKind::gelu, group, x, true);
  }

  void match_gelu_tanh(size_t tanh) {
    const size_t outer = producer(nodes()[tanh].inputs[0], "Mul");
    const std::string sum = other_than_scalar(outer, std::sqrt(2.0 / M_PI));
    const size_t add_cube = sum.empty() ? kNone : producer(sum, "Add");
    if (add_cube == kNone) return;
    const auto& in = nodes()[add_cube].inputs;
    for (int k = 0; k < 2; ++k) {
      const std::string& x = in[static_cast<size_t>(k)];
      const std::string& scaled = in[static_cast<size_t>(1 - k)];
      const size_t coeff = producer(scaled, "Mul");
      const std::string cube_t = other_than_scalar(coeff, 0.044715);
      const size_t cube = cube_t.empty() ? kNone : producer(cube_t, "Pow");
      if (cube == kNone || other_than_scalar(cube, 3.0, true) != x) continue;
      const size_t one_plus = sole_reader(out(tanh), "Add");
      if (one_plus == kNone || other_than_scalar(one_plus, 1.0) != out(tanh)) return;
      if (!read_only_by(cube_t, {coeff}) || !read_only_by(scaled, {add_cube}) || !read_only_by(sum, {outer}) ||
          !read_only_by(out(outer), {tanh})) {
        return;
      }
      std::vector<size_t> group = {cube, coeff, add_cube, outer, tanh, one_plus};
      if (match_half_x_times(one_plus, x, group)) add(NonlinearKind::gelu_tanh, group, x, true);
      return;
    }
  }

  void match_silu(size_t sigmoid) {
    const std::string& in = nodes()[sigmoid].inputs[0];
    const size_t product = sole_reader(out(sigmoid), "Mul");
    if (product == kNone) return;
    if (multiplies(product, in, out(sigmoid))) {
      add(NonlinearKind::silu, {sigmoid, product}, in, true);
      return;
    }
    // Swish with a constant: x * sigmoid(b * x)
    const size_t scale = producer(in, "Mul");
    if (scale == kNone || !read_only_by(in, {sigmoid})) return;
    const auto& s = nodes()[scale].inputs;
    for (int k = 0; k < 2; ++k) {
      const auto b = scalar(s[static_cast<size_t>(k)]);
      const std::string& x = s[static_cast<size_t>(1 - k)];
      if (b && *b > 0 && multiplies(product, x, out(sigmoid))) {
        add(NonlinearKind::silu, {scale, sigmoid, product}, x, true).input_scale = *b;
        return;
      }
    }
  }

  void match_hardswish_from_hardsigmoid(size_t hs) {
    const Node& n = nodes()[hs];
    const size_t product = sole_reader(out(hs), "Mul");
    if (!near(n.number("alpha", 0.2), 1.0 / 6.0) || !near(n.number("beta", 0.5), 0.5) || !multiplies(product, n.inputs[0], out(hs))) return;
    add(NonlinearKind::hardswish, {hs, product}, n.inputs[0], true);
  }

  // x * Clip(x + 3, 0, 6) / 6 (or * (1/6)).
  void match_hardswish_from_clip(size_t clip) {
    const Node& c = nodes()[clip];
    double lo = c.number("min", -INFINITY), hi = c.number("max", INFINITY);
    if (model_.opset >= 11) {
      const auto l = c.inputs.size() > 1 ? scalar(c.inputs[1]) : std::nullopt;
      const auto h = c.inputs.size() > 2 ? scalar(c.inputs[2]) : std::nullopt;
      if (!l || !h) return;
      lo = *l;
      hi = *h;
    }
    if (lo != 0.0 || !near(hi, 6.0)) return;
    const size_t shift = producer(c.inputs[0], "Add");
    const std::string x = other_than_scalar(shift, 3.0);
    if (x.empty() || !read_only_by(c.inputs[0], {clip})) return;
    const size_t product = sole_reader(out(clip), "Mul");
    if (!multiplies(product, x, out(clip))) return;
    size_t divide = sole_reader(out(product), "Div");
    if (divide == kNone || other_than_scalar(divide, 6.0, true) != out(product)) {
      divide = sole_reader(out(product), "Mul");
      if (divide == kNone || other_than_scalar(divide, 1.0 / 6.0) != out(product)) return;
    }
    add(NonlinearKind::hardswish, {shift, clip, product, divide}, x, true);
  }

  const Model& model_;
  std::map<std::string, std::vector<size_t>> readers_;
  std::map<std::string, size_t> producer_;
  std::set<std::string> outputs_;
  std::set<size_t> claimed_;
  std::vector<NonlinearInstance> found_;
};

}  // namespace

std::string_view nonlinear_kind_name(NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::softmax: return "softmax";
    case NonlinearKind::layernorm: return "layernorm";
    case NonlinearKind::rmsnorm: return "rmsnorm";
    case NonlinearKind::gelu: return "gelu";
    case NonlinearKind::gelu_tanh: return "gelu_tanh";
    case NonlinearKind::silu: return "silu";
    case NonlinearKind::hardswish: return "hardswish";
    case NonlinearKind::sigmoid: return "sigmoid";
    case NonlinearKind::tanh: return "tanh";
    case NonlinearKind::hardsigmoid: return "hardsigmoid";
  }
  return "?";
}

std::vector<Function> instance_functions(NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::softmax: return {Function::exp, Function::reciprocal};
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: return {Function::rsqrt};
    case NonlinearKind::gelu: return {Function::gelu};
    case NonlinearKind::gelu_tanh: return {Function::gelu_tanh};
    case NonlinearKind::silu: return {Function::silu};
    case NonlinearKind::sigmoid: return {Function::sigmoid};
    case NonlinearKind::tanh: return {Function::tanh};
    case NonlinearKind::hardswish:
    case NonlinearKind::hardsigmoid: return {};
  }
  return {};
}

std::vector<NonlinearInstance> find_nonlinear_instances(const Model& model) { return Matcher(model).run(); }

}  // namespace npusim::onnx_import
