#include "workloads/onnx/nonlinear_patterns.hpp"

#include <algorithm>
#include <cmath>
#include <map>
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
      if (is(i, "Add")) match_norm(i);
    }
    for (size_t i = 0; i < nodes().size(); ++i) {
      if (is(i, "Exp")) match_softmax(i);
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
        NonlinearInstance& inst = add(NonlinearKind::softmax, {i}, n.inputs[0], false);
        inst.axis = n.integer("axis", model_.opset < 13 ? 1 : -1);
        inst.axis_flattens = model_.opset < 13;
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

  // For a binary node (Mul(x, t), Add(t, x), ...): whether one operand is `x` and the other `t`.
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

  // The operand of a binary node other than `x` (either side), else "".
  std::string other_operand(size_t i, const std::string& x) const {
    if (i == kNone) return "";
    const auto& in = nodes()[i].inputs;
    if (in.size() != 2) return "";
    return in[0] == x ? in[1] : in[1] == x ? in[0] : "";
  }

  // A norm from its Add(var, eps) node, in the forms exporters write:
  //   var   ReduceMean(Pow(d, 2)) or ReduceMean(Mul(d, d)) over trailing axes; d = Sub(x, ReduceMean(x))
  //         (LayerNorm) or d = x (RMSNorm);
  //   1/std Div(d, Sqrt(var + eps)) (PyTorch, Paddle), Reciprocal(Sqrt(.)) (tf2onnx's Rsqrt), Div(1, Sqrt(.))
  //         (PyTorch's rsqrt), or Pow(var + eps, -0.5); applied as Mul(d, r) in either order, or
  //         tf2onnx's Mul(Mul(gamma, r), d), or Keras's x * (gamma r) + (beta - mean * (gamma r));
  //   then  an optional float Cast, Mul by a constant gamma and Add of a constant beta, either order.
  void match_norm(size_t add_eps) {
    const Node& a = nodes()[add_eps];
    if (a.inputs.size() != 2) return;
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
    if (!read_only_by(var, {add_eps}) || !read_only_by(squares, {reduce_var})) return;
    std::vector<size_t> group = {add_eps, reduce_var, square};
    // 1/std: r holds it (or the Div(d, sqrt) form normalises directly).
    const std::string& ve = out(add_eps);
    std::string r, result, gamma, beta;
    size_t normalize = kNone;
    if (const size_t sqrt = sole_reader(ve, "Sqrt"); sqrt != kNone) {
      group.push_back(sqrt);
      if (const size_t div = sole_reader(out(sqrt), "Div"); div != kNone && nodes()[div].inputs[0] == d && nodes()[div].inputs[1] == out(sqrt)) {
        normalize = div;
      } else if (const size_t recip = sole_reader(out(sqrt), "Reciprocal"); recip != kNone) {
        group.push_back(recip);
        r = out(recip);
      } else if (const size_t one_over = sole_reader(out(sqrt), "Div");
                 one_over != kNone && nodes()[one_over].inputs[1] == out(sqrt) && near_scalar(nodes()[one_over].inputs[0], 1.0)) {
        group.push_back(one_over);
        r = out(one_over);
      } else {
        return;
      }
    } else if (const size_t pow = sole_reader(ve, "Pow"); pow != kNone && other_than_scalar(pow, -0.5, true) == ve) {
      group.push_back(pow);
      r = out(pow);
    } else {
      return;
    }
    if (normalize == kNone) {
      const size_t m = sole_reader(r, "Mul");
      if (m == kNone) return;
      if (multiplies(m, d, r)) {
        normalize = m;
      } else {
        // gamma * r first (tf2onnx), then times d, or Keras's fused affine form.
        gamma = other_operand(m, r);
        if (!constant(gamma)) return;
        group.push_back(m);
        const std::string& gr = out(m);
        const size_t times_d = sole_reader(gr, "Mul");
        if (times_d != kNone && multiplies(times_d, d, gr)) {
          normalize = times_d;
        } else if (reduce_mean == kNone || !match_keras_affine(gr, x, d, out(reduce_mean), sub, group, result, beta)) {
          return;
        }
      }
    }
    if (normalize != kNone) {
      group.push_back(normalize);
      result = out(normalize);
      if (reduce_mean != kNone && (!read_only_by(out(reduce_mean), {sub}) || !read_only_by(d, {square, normalize}))) return;
    }  // (Keras's form checked its readers itself)
    if (reduce_mean != kNone) {
      group.push_back(reduce_mean);
      group.push_back(sub);
    }
    if (normalize != kNone) {
      // A float Cast between the normalisation and gamma (Llama's hidden.to(dtype)) is an alias.
      if (const size_t cast = sole_reader(result, "Cast"); cast != kNone && is_floating(element_type_from_onnx(static_cast<int>(nodes()[cast].integer("to", 0))))) {
        const size_t after = sole_reader(out(cast), "Mul");
        if (gamma.empty() && after != kNone && constant(other_operand(after, out(cast)))) {
          group.push_back(cast);
          result = out(cast);
        }
      }
      if (gamma.empty()) {
        const size_t scale = sole_reader(result, "Mul");
        const std::string g = other_operand(scale, result);
        if (!g.empty() && constant(g)) {
          gamma = g;
          group.push_back(scale);
          result = out(scale);
        }
      }
      const size_t shift = sole_reader(result, "Add");
      const std::string b = other_operand(shift, result);
      if (!b.empty() && constant(b)) {
        beta = b;
        group.push_back(shift);
      }
    }
    NonlinearInstance& inst = add(reduce_mean != kNone ? NonlinearKind::layernorm : NonlinearKind::rmsnorm, group, x, true);
    inst.normalized_dims = dims;
    inst.epsilon = epsilon;
    inst.gamma = gamma;
    inst.beta = beta;
  }

  // Keras's LayerNormalization through tf.nn.batch_normalization: y = x * gr + (beta - mean * gr), gr =
  // gamma / std. Adds the four nodes to `group`; the output tensor goes to `result`.
  bool match_keras_affine(const std::string& gr, const std::string& x, const std::string& d, const std::string& mean, size_t sub,
                          std::vector<size_t>& group, std::string& result, std::string& beta) {
    const auto it = readers_.find(gr);
    if (it == readers_.end() || it->second.size() != 2 || outputs_.count(gr) != 0) return false;
    size_t times_x = kNone, times_mean = kNone;
    for (const size_t n : it->second) {
      if (!is(n, "Mul")) return false;
      if (multiplies(n, x, gr)) times_x = n;
      else if (multiplies(n, mean, gr)) times_mean = n;
    }
    if (times_x == kNone || times_mean == kNone) return false;
    const size_t minus = sole_reader(out(times_mean), "Sub");
    if (minus == kNone || nodes()[minus].inputs[1] != out(times_mean) || !constant(nodes()[minus].inputs[0])) return false;
    const size_t plus = sole_reader(out(times_x), "Add");
    if (plus == kNone || !multiplies(plus, out(times_x), out(minus)) || !read_only_by(out(minus), {plus})) return false;
    if (!read_only_by(mean, {sub, times_mean}) || !read_only_by(d, {group[2]})) return false;
    group.insert(group.end(), {times_x, times_mean, minus, plus});
    beta = nodes()[minus].inputs[0];
    result = out(plus);
    return true;
  }

  bool near_scalar(const std::string& tensor, double value) const {
    const auto v = scalar(tensor);
    return v && near(*v, value);
  }

  // The one axis a reduction over `x` covers with keepdims, else nullopt (ReduceSum takes its axes as an
  // input from opset 13).
  std::optional<int64_t> single_axis(size_t reduce) const {
    const Node& n = nodes()[reduce];
    if (n.integer("keepdims", 1) != 1) return std::nullopt;
    std::vector<int64_t> axes = n.integers("axes");
    if (n.op_type == "ReduceSum" && model_.opset >= 13) {
      const Tensor* t = n.inputs.size() > 1 ? model_.constant(n.inputs[1]) : nullptr;
      if (t == nullptr || t->is_float()) return std::nullopt;
      axes = t->ints;
    }
    const ValueInfo* v = model_.value(n.inputs[0]);
    if (axes.size() != 1 || v == nullptr || !v->shape_known) return std::nullopt;
    const int64_t rank = static_cast<int64_t>(v->shape.size());
    const int64_t a = axes[0] < 0 ? axes[0] + rank : axes[0];
    if (a < 0 || a >= rank) return std::nullopt;
    return a;
  }

  // Softmax written out: e = Exp(x - ReduceMax(x)) (or Exp(x)), then Div(e, ReduceSum(e)) or
  // Mul(e, Reciprocal(ReduceSum(e))), the reductions over one axis.
  void match_softmax(size_t exp) {
    const std::string& t = nodes()[exp].inputs[0];
    std::string x = t;
    std::vector<size_t> group = {exp};
    std::optional<int64_t> axis;
    if (const size_t sub = producer(t, "Sub"); sub != kNone) {
      const size_t max = producer(nodes()[sub].inputs[1], "ReduceMax");
      if (max == kNone || nodes()[max].inputs[0] != nodes()[sub].inputs[0] || !read_only_by(t, {exp}) ||
          !read_only_by(out(max), {sub})) {
        return;
      }
      x = nodes()[sub].inputs[0];
      axis = single_axis(max);
      if (!axis) return;
      group.insert(group.end(), {sub, max});
    }
    const std::string& e = out(exp);
    const auto it = readers_.find(e);
    if (it == readers_.end() || it->second.size() != 2 || outputs_.count(e) != 0) return;
    size_t sum = kNone, other = kNone;
    for (const size_t n : it->second) (is(n, "ReduceSum") ? sum : other) = n;
    if (sum == kNone || other == kNone || nodes()[sum].inputs[0] != e) return;
    const auto sum_axis = single_axis(sum);
    if (!sum_axis || (axis && *axis != *sum_axis)) return;
    group.push_back(sum);
    if (is(other, "Div") && nodes()[other].inputs[0] == e && nodes()[other].inputs[1] == out(sum) && read_only_by(out(sum), {other})) {
      group.push_back(other);
    } else {
      const size_t recip = sole_reader(out(sum), "Reciprocal");
      if (recip == kNone || !is(other, "Mul") || !multiplies(other, e, out(recip)) || !read_only_by(out(recip), {other})) return;
      group.insert(group.end(), {recip, other});
    }
    NonlinearInstance& inst = add(NonlinearKind::softmax, group, x, true);
    inst.axis = *sum_axis;
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

  // The nodes computing x^3 as `tensor`: Pow(x, 3), or Mul(x, Mul(x, x)) in either order; empty otherwise.
  std::vector<size_t> cube_of(const std::string& tensor, const std::string& x) const {
    if (tensor.empty()) return {};
    if (const size_t pow = producer(tensor, "Pow"); pow != kNone) return other_than_scalar(pow, 3.0, true) == x ? std::vector<size_t>{pow} : std::vector<size_t>{};
    const size_t outer = producer(tensor, "Mul");
    const std::string squared = other_operand(outer, x);
    const size_t square = squared.empty() ? kNone : producer(squared, "Mul");
    if (square == kNone || nodes()[square].inputs[0] != x || nodes()[square].inputs[1] != x || !read_only_by(squared, {outer})) return {};
    return {square, outer};
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
      const std::vector<size_t> cube = cube_of(cube_t, x);
      if (cube.empty()) continue;
      const size_t one_plus = sole_reader(out(tanh), "Add");
      if (one_plus == kNone || other_than_scalar(one_plus, 1.0) != out(tanh)) return;
      if (!read_only_by(cube_t, {coeff}) || !read_only_by(scaled, {add_cube}) || !read_only_by(sum, {outer}) ||
          !read_only_by(out(outer), {tanh})) {
        return;
      }
      std::vector<size_t> group = cube;
      group.insert(group.end(), {coeff, add_cube, outer, tanh, one_plus});
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

  // x * Clip(x + 3, 0, 6) / 6 (or * (1/6)), with the division by 6 before or after the product (tf2onnx
  // writes Relu6 as that Clip).
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
    // The sixth: Div(., 6) or Mul(., 1/6), of the product or of the clip.
    auto sixth_of = [&](const std::string& t) {
      size_t divide = sole_reader(t, "Div");
      if (divide != kNone && other_than_scalar(divide, 6.0, true) == t) return divide;
      divide = sole_reader(t, "Mul");
      return divide != kNone && other_than_scalar(divide, 1.0 / 6.0) == t ? divide : kNone;
    };
    const size_t product = sole_reader(out(clip), "Mul");
    if (multiplies(product, x, out(clip))) {
      const size_t divide = sixth_of(out(product));
      if (divide != kNone) add(NonlinearKind::hardswish, {shift, clip, product, divide}, x, true);
      return;
    }
    const size_t divide = sixth_of(out(clip));
    const size_t times_x = divide == kNone ? kNone : sole_reader(out(divide), "Mul");
    if (multiplies(times_x, x, out(divide))) add(NonlinearKind::hardswish, {shift, clip, divide, times_x}, x, true);
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

namespace {

bool is_default_domain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

// Whether the node computes a non-linear function of an activation that a LUT or a DSP routine would:
// not a sum, product, max or shape operation.
bool transcendental(const Node& n, const Model& model) {
  static const std::set<std::string> kOps = {"Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Sin", "Cos", "Tan", "Softplus", "Softsign",
                                             "Elu", "Selu", "Celu", "Mish", "LogSoftmax", "Asin", "Acos", "Atan", "Sinh", "Cosh"};
  if (!is_default_domain(n)) return false;
  if (kOps.count(n.op_type) != 0) return true;
  if (n.op_type == "Pow" && n.inputs.size() == 2) {
    const Tensor* e = model.constant(n.inputs[1]);
    return e == nullptr || e->element_count() != 1 || (e->number(0) != 2.0 && e->number(0) != 3.0 && e->number(0) != 1.0);
  }
  return n.op_type == "Div" && n.inputs.size() == 2 && model.constant(n.inputs[1]) == nullptr;
}

// The element-wise and reduction ops a non-linear pattern is written with.
bool pattern_part(const Node& n) {
  static const std::set<std::string> kOps = {"Add", "Sub", "Mul", "Div", "Pow", "Neg", "ReduceMean", "ReduceSum", "ReduceMax",
                                             "Sqrt", "Reciprocal", "Exp", "Erf", "Tanh", "Sigmoid", "Log", "Clip", "Max", "Min"};
  return is_default_domain(n) && kOps.count(n.op_type) != 0;
}

}  // namespace

std::vector<UnmatchedPattern> find_unmatched_nonlinear(const Model& model, const std::vector<NonlinearInstance>& instances) {
  std::set<size_t> claimed;
  for (const auto& i : instances) claimed.insert(i.nodes.begin(), i.nodes.end());
  // Tensors that depend on a model input (the rest is constant computation, done once).
  std::set<std::string> data(model.inputs.begin(), model.inputs.end());
  std::vector<bool> on_data(model.nodes.size(), false);
  std::map<std::string, size_t> producer;
  for (size_t i = 0; i < model.nodes.size(); ++i) {
    const Node& n = model.nodes[i];
    for (const auto& in : n.inputs) on_data[i] = on_data[i] || (!in.empty() && data.count(in) != 0 && model.constant(in) == nullptr);
    for (const auto& out : n.outputs) {
      producer[out] = i;
      if (on_data[i] && model.constant(out) == nullptr) data.insert(out);
    }
  }
  const auto readers = model.consumers();
  auto candidate = [&](size_t i) { return on_data[i] && claimed.count(i) == 0 && pattern_part(model.nodes[i]); };
  // Each transcendental node and the pattern nodes within three edges of it; overlapping groups merge.
  std::vector<int64_t> group_of(model.nodes.size(), -1);
  std::vector<std::vector<size_t>> groups;
  for (size_t core = 0; core < model.nodes.size(); ++core) {
    if (!on_data[core] || claimed.count(core) != 0 || group_of[core] >= 0 || !transcendental(model.nodes[core], model)) continue;
    std::vector<size_t> members = {core}, frontier = {core};
    std::set<size_t> seen = {core};
    for (int depth = 0; depth < 3; ++depth) {
      std::vector<size_t> next;
      for (const size_t n : frontier) {
        std::vector<size_t> neighbours;
        for (const auto& in : model.nodes[n].inputs) {
          const auto p = producer.find(in);
          if (p != producer.end()) neighbours.push_back(p->second);
        }
        for (const auto& out : model.nodes[n].outputs) {
          const auto r = readers.find(out);
          if (r != readers.end()) neighbours.insert(neighbours.end(), r->second.begin(), r->second.end());
        }
        for (const size_t m : neighbours) {
          if (seen.insert(m).second && candidate(m)) next.push_back(m);
        }
      }
      members.insert(members.end(), next.begin(), next.end());
      frontier = next;
    }
    // Merge with the groups it touches.
    std::set<int64_t> touched;
    for (const size_t m : members) {
      if (group_of[m] >= 0) touched.insert(group_of[m]);
    }
    int64_t target = touched.empty() ? static_cast<int64_t>(groups.size()) : *touched.begin();
    if (touched.empty()) groups.emplace_back();
    for (const int64_t g : touched) {
      if (g == target) continue;
      for (const size_t m : groups[static_cast<size_t>(g)]) group_of[m] = target;
      auto& from = groups[static_cast<size_t>(g)];
      groups[static_cast<size_t>(target)].insert(groups[static_cast<size_t>(target)].end(), from.begin(), from.end());
      from.clear();
    }
    for (const size_t m : members) {
      if (group_of[m] != target) {
        group_of[m] = target;
        groups[static_cast<size_t>(target)].push_back(m);
      }
    }
  }
  std::map<std::string, UnmatchedPattern> by_signature;
  std::vector<std::string> order;
  for (auto& g : groups) {
    if (g.empty()) continue;
    std::sort(g.begin(), g.end());
    std::string signature;
    for (const size_t m : g) signature += (signature.empty() ? "" : "-") + model.nodes[m].op_type;
    auto [it, fresh] = by_signature.try_emplace(signature);
    if (fresh) {
      order.push_back(signature);
      it->second.signature = signature;
      it->second.example = model.nodes[g.front()].label();
    }
    ++it->second.occurrences;
    it->second.nodes += static_cast<int64_t>(g.size());
  }
  std::vector<UnmatchedPattern> result;
  for (const auto& s : order) result.push_back(by_signature.at(s));
  return result;
}

}  // namespace npusim::onnx_import
