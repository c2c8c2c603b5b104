// Synthetic activations for one LUT-NN layer. Product quantization only works on activations with
// structure (16 centroids cannot cover 32 independent dimensions), and real activations have it:
// tokens fall into clusters, most of their variance lies in a few directions, and a few channels are
// much larger than the rest. Each family below models one of these; `normal` is the structureless
// contrast. Every channel has a variance of about 1 (before outlier scaling).
//
//   normal                   x_j ~ N(0, 1), independent
//   clustered:G,NOISE        x = mu_g + NOISE e, g uniform over G centres mu_g ~ N(0, I)          (64, 0.3)
//   lowrank:R,NOISE          x = sum_{i<R} z_i s_i b_i + NOISE e, z, e ~ N(0, I), basis rows
//                            b_i ~ N(0, I), s_i ~ 1/sqrt(i + 1) normalised to sum s_i^2 = 1      (32, 0.2)
//   outliers:COUNT,SCALE     lowrank:32,0.2 with COUNT channels (drawn once) multiplied by SCALE  (8, 10)
//
// The structure (centres, basis, outlier channels) comes from the seed alone, so calibration rows and
// evaluation rows are independent draws from one distribution.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

enum class DistributionKind { normal, clustered, lowrank, outliers };

struct ActivationDistribution {
  DistributionKind kind = DistributionKind::lowrank;
  double first = 0;   // G, R or COUNT
  double second = 0;  // NOISE or SCALE

  std::string text() const;  // "lowrank:32,0.2"
};

// The default: low rank plus noise (docs/user-guide.md, "npusim lutnn", says why).
ActivationDistribution default_activation_distribution();

std::vector<std::string> activation_distribution_names();

// "lowrank", "lowrank:16,0.1", ...; throws npusim::Error naming what is wrong.
ActivationDistribution parse_activation_distribution(const std::string& text);

// Calibration rows (stream kCalibrationStream) or evaluation rows (kInputStream) of the distribution.
enum class RowSet { calibration, evaluation };
Matrix sample_activations(const ActivationDistribution& distribution, int64_t features, int64_t rows, uint64_t seed, RowSet set);

}  // namespace npusim::lutnn
