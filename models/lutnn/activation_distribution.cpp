#include "models/lutnn/activation_distribution.hpp"

#include <cmath>
#include <numeric>
#include <sstream>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"
#include "models/lutnn/random_streams.hpp"

namespace npusim::lutnn {

namespace {

struct Family {
  DistributionKind kind;
  const char* name;
  double first, second;  // defaults
};

const Family kFamilies[] = {
    {DistributionKind::normal, "normal", 0, 0},
    {DistributionKind::clustered, "clustered", 64, 0.3},
    {DistributionKind::lowrank, "lowrank", 32, 0.2},
    {DistributionKind::outliers, "outliers", 8, 10},
};

const Family& family(DistributionKind kind) {
  for (const Family& f : kFamilies) {
    if (f.kind == kind) return f;
  }
  return kFamilies[0];
}

std::string number_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void fill_normal(std::mt19937_64& rng, std::vector<double>& values) {
  for (double& v : values) v = standard_normal(rng);
}

// The structure of a distribution for `features` channels, drawn from the structure stream.
struct Structure {
  std::vector<double> centres;   // clustered: [G][D]
  std::vector<double> basis;     // lowrank / outliers: [R][D], row i already scaled by s_i
  std::vector<double> channel_scale;  // outliers: 1 or SCALE per channel
};

Structure draw_structure(const ActivationDistribution& d, int64_t features, uint64_t seed) {
  std::mt19937_64 rng = random_stream(seed, kStructureStream);
  Structure s;
  if (d.kind == DistributionKind::clustered) {
    s.centres.resize(static_cast<size_t>(d.first) * static_cast<size_t>(features));
    fill_normal(rng, s.centres);
  }
  if (d.kind == DistributionKind::lowrank || d.kind == DistributionKind::outliers) {
    const double base_rank = d.kind == DistributionKind::lowrank ? d.first : family(DistributionKind::lowrank).first;
    const int64_t rank = static_cast<int64_t>(base_rank);
    s.basis.resize(static_cast<size_t>(rank * features));
    fill_normal(rng, s.basis);
    double total = 0;
    for (int64_t i = 0; i < rank; ++i) total += 1.0 / static_cast<double>(i + 1);
    for (int64_t i = 0; i < rank; ++i) {
      const double scale = std::sqrt(1.0 / static_cast<double>(i + 1) / total);
      for (int64_t j = 0; j < features; ++j) s.basis[static_cast<size_t>(i * features + j)] *= scale;
    }
  }
  if (d.kind == DistributionKind::outliers) {
    s.channel_scale.assign(static_cast<size_t>(features), 1.0);
    std::vector<int64_t> channels(static_cast<size_t>(features));
    std::iota(channels.begin(), channels.end(), int64_t{0});
    const int64_t count = std::min<int64_t>(static_cast<int64_t>(d.first), features);
    for (int64_t i = 0; i < count; ++i) {  // a partial Fisher-Yates shuffle picks distinct channels
      const int64_t j = i + static_cast<int64_t>(uniform01(rng) * static_cast<double>(features - i));
      std::swap(channels[static_cast<size_t>(i)], channels[static_cast<size_t>(j)]);
      s.channel_scale[static_cast<size_t>(channels[static_cast<size_t>(i)])] = d.second;
    }
  }
  return s;
}

}  // namespace

std::string ActivationDistribution::text() const {
  const Family& f = family(kind);
  if (kind == DistributionKind::normal) return f.name;
  return std::string(f.name) + ":" + number_text(first) + "," + number_text(second);
}

ActivationDistribution default_activation_distribution() {
  const Family& f = family(DistributionKind::lowrank);
  return {f.kind, f.first, f.second};
}

std::vector<std::string> activation_distribution_names() {
  std::vector<std::string> names;
  for (const Family& f : kFamilies) names.push_back(f.name);
  return names;
}

ActivationDistribution parse_activation_distribution(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const Family* found = nullptr;
  for (const Family& f : kFamilies) {
    if (name == f.name) found = &f;
  }
  if (found == nullptr) {
    throw Error("unknown activation distribution '" + name + "'" + did_you_mean(name, activation_distribution_names()) +
                "; known: " + join_names(activation_distribution_names()));
  }
  ActivationDistribution d{found->kind, found->first, found->second};
  if (colon == std::string::npos) return d;
  const std::string usage = found->kind == DistributionKind::clustered ? "clustered:CLUSTERS,NOISE"
                            : found->kind == DistributionKind::lowrank ? "lowrank:RANK,NOISE"
                            : found->kind == DistributionKind::outliers ? "outliers:COUNT,SCALE"
                                                                        : "normal (no parameters)";
  std::istringstream params(text.substr(colon + 1));
  char comma = 0;
  if (found->kind == DistributionKind::normal || !(params >> d.first >> comma >> d.second) || comma != ',' || !params.eof()) {
    throw Error("activation distribution must be " + usage + ", got '" + text + "'");
  }
  const bool whole = d.first == std::floor(d.first) && d.first >= 1 && d.first <= 65536;
  if (!whole) throw Error("activation distribution " + usage + ": the first parameter must be a whole number in 1..65536, got '" + text + "'");
  if (!std::isfinite(d.second) || d.second < 0 || d.second > 1e6) {
    throw Error("activation distribution " + usage + ": the second parameter must be in 0..1e6, got '" + text + "'");
  }
  return d;
}

Matrix sample_activations(const ActivationDistribution& d, int64_t features, int64_t rows, uint64_t seed, RowSet set) {
  if (features < 1 || rows < 1) throw Error("activation samples need at least one row and one feature");
  const Structure s = draw_structure(d, features, seed);
  std::mt19937_64 rng = random_stream(seed, set == RowSet::calibration ? kCalibrationStream : kInputStream);
  Matrix x(rows, features);
  std::vector<double> row(static_cast<size_t>(features));
  for (int64_t n = 0; n < rows; ++n) {
    switch (d.kind) {
      case DistributionKind::normal:
        fill_normal(rng, row);
        break;
      case DistributionKind::clustered: {
        const int64_t clusters = static_cast<int64_t>(d.first);
        const int64_t g = std::min(clusters - 1, static_cast<int64_t>(uniform01(rng) * static_cast<double>(clusters)));
        for (int64_t j = 0; j < features; ++j) {
          row[static_cast<size_t>(j)] = s.centres[static_cast<size_t>(g * features + j)] + d.second * standard_normal(rng);
        }
        break;
      }
      case DistributionKind::lowrank:
      case DistributionKind::outliers: {
        const double noise = d.kind == DistributionKind::lowrank ? d.second : family(DistributionKind::lowrank).second;
        for (int64_t j = 0; j < features; ++j) row[static_cast<size_t>(j)] = noise * standard_normal(rng);
        const int64_t rank = static_cast<int64_t>(s.basis.size()) / features;
        for (int64_t i = 0; i < rank; ++i) {
          const double z = standard_normal(rng);
          const double* b = s.basis.data() + i * features;
          for (int64_t j = 0; j < features; ++j) row[static_cast<size_t>(j)] += z * b[j];
        }
        if (!s.channel_scale.empty()) {
          for (int64_t j = 0; j < features; ++j) row[static_cast<size_t>(j)] *= s.channel_scale[static_cast<size_t>(j)];
        }
        break;
      }
    }
    for (int64_t j = 0; j < features; ++j) x.at(n, j) = static_cast<float>(row[static_cast<size_t>(j)]);
  }
  return x;
}

}  // namespace npusim::lutnn
