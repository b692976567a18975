// Lloyd's k-means with k-means++ seeding, for codebook (re)initialisation from encoder outputs.
#pragma once

#include <cstdint>
#include <random>

#include "grid_native.h"
#include "torch_includes.h"

namespace grid {

struct KMeansOptions {
  int32_t k = 0;
  int32_t max_iterations = 0;
  float tolerance = 0;
  uint64_t seed = 0;
};

class KMeans {
 public:
  // points: n x dim on device (float32, contiguous); initial (undefined: k-means++ seeding) k x dim.
  KMeans(torch::Tensor points, KMeansOptions options);

  // Runs to convergence; the centres are then available from centres().
  GridKMeansResult Run(const torch::Tensor& initial);
  const torch::Tensor& centres() const { return centres_; }

 private:
  // k-means++ (Arthur & Vassilvitskii): each next centre drawn with probability proportional to the squared
  // distance to the nearest centre chosen so far; over a uniform sample of max(16384, 64 k) points when n is
  // larger (the seeding makes k sequential passes; the sample keeps them in cache).
  torch::Tensor SeedPlusPlus();
  // Nearest centre (int64) and its squared distance (float) for every point, in chunks of rows whose n x k
  // distance block stays under ~64 MB.
  void Assign(torch::Tensor& assignment, torch::Tensor& distance) const;
  // Uniform double in [0, 1) from the seeded 64-bit Mersenne Twister (whose output the standard fixes; the
  // std distributions are implementation-defined, so they are not used).
  double Uniform();

  torch::Tensor points_;
  torch::Tensor point_norms_;  // ||x||^2 per point
  KMeansOptions options_;
  torch::Tensor centres_;
  std::mt19937_64 random_;
};

}  // namespace grid
