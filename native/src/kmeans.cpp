#include "kmeans.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace grid {
namespace {

constexpr int64_t kDistanceChunkElements = int64_t{16} << 20;  // 16 Mi floats = 64 MB of distances per chunk
constexpr int64_t kSeedPointsPerCentre = 64;
constexpr int64_t kMinSeedSample = 16384;

}  // namespace

KMeans::KMeans(torch::Tensor points, KMeansOptions options)
    : points_(std::move(points)), options_(options), random_(options.seed) {
  point_norms_ = points_.pow(2).sum(1);
}

double KMeans::Uniform() { return static_cast<double>(random_() >> 11) * 0x1.0p-53; }

torch::Tensor KMeans::SeedPlusPlus() {
  // Seeding is inherently sequential (k passes over the points), so it runs on a uniform sample of at most
  // kSeedPointsPerCentre x k points, small enough to stay in cache; Lloyd iterations then use every point.
  const int64_t n = points_.size(0);
  const int64_t sample_size =
      std::min<int64_t>(n, std::max<int64_t>(kMinSeedSample, kSeedPointsPerCentre * options_.k));
  torch::Tensor sample = points_;
  torch::Tensor sample_norms = point_norms_;
  if (sample_size < n) {
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), int64_t{0});
    for (int64_t i = 0; i < sample_size; ++i) {  // partial Fisher-Yates shuffle
      const int64_t j = i + std::min<int64_t>(n - i - 1, static_cast<int64_t>(Uniform() * (n - i)));
      std::swap(rows[i], rows[j]);
    }
    std::sort(rows.begin(), rows.begin() + sample_size);  // gather in memory order
    const torch::Tensor chosen = torch::from_blob(rows.data(), {sample_size}, torch::kLong).to(points_.device());
    sample = points_.index_select(0, chosen);
    sample_norms = point_norms_.index_select(0, chosen);
  }
  const int64_t m = sample.size(0);
  torch::Tensor centres = torch::empty({options_.k, points_.size(1)}, points_.options());
  const auto pick = [&](int64_t row, int64_t centre) {
    const torch::Tensor point = sample[row];
    centres[centre].copy_(point);
    // ||x - c||^2 for every sampled x; clamped because the expansion can dip below zero by rounding.
    return (sample_norms - 2.0 * torch::mv(sample, point) + point.dot(point)).clamp_min_(0.0);
  };
  const auto uniform_row = [&] { return std::min<int64_t>(m - 1, static_cast<int64_t>(Uniform() * m)); };
  torch::Tensor closest = pick(uniform_row(), 0);
  for (int64_t centre = 1; centre < options_.k; ++centre) {
    const torch::Tensor cumulative = closest.to(torch::kDouble).cumsum(0);
    const double total = cumulative[m - 1].item<double>();
    int64_t row = 0;
    if (total > 0) {
      const torch::Tensor target = torch::full({1}, Uniform() * total, cumulative.options());
      row = std::min<int64_t>(m - 1, torch::searchsorted(cumulative, target, false, /*right=*/true).item<int64_t>());
    } else {
      row = uniform_row();  // every sampled point already coincides with a centre
    }
    torch::minimum_out(closest, closest, pick(row, centre));
  }
  return centres;
}

void KMeans::Assign(torch::Tensor& assignment, torch::Tensor& distance) const {
  const int64_t n = points_.size(0);
  const torch::Tensor centre_norms = centres_.pow(2).sum(1);
  const torch::Tensor centres_t = centres_.t();
  const int64_t chunk = std::max<int64_t>(1, kDistanceChunkElements / centres_.size(0));
  assignment = torch::empty({n}, points_.options().dtype(torch::kLong));
  distance = torch::empty({n}, points_.options());
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t end = std::min(n, start + chunk);
    const torch::Tensor partial = torch::addmm(centre_norms, points_.slice(0, start, end), centres_t, 1.0, -2.0);
    const auto nearest = partial.min(1);
    distance.slice(0, start, end).copy_((std::get<0>(nearest) + point_norms_.slice(0, start, end)).clamp_min_(0.0));
    assignment.slice(0, start, end).copy_(std::get<1>(nearest));
  }
}

GridKMeansResult KMeans::Run(const torch::Tensor& initial) {
  c10::InferenceMode inference;
  centres_ = initial.defined() ? initial.to(points_.options()).clone() : SeedPlusPlus();
  GridKMeansResult result{};
  torch::Tensor assignment;
  torch::Tensor distance;
  for (int32_t iteration = 1; iteration <= options_.max_iterations; ++iteration) {
    Assign(assignment, distance);
    result.inertia = static_cast<float>(distance.to(torch::kDouble).mean().item<double>());
    const torch::Tensor counts = torch::bincount(assignment, {}, options_.k);
    const torch::Tensor sums = torch::zeros_like(centres_).index_add_(0, assignment, points_);
    torch::Tensor updated = sums / counts.clamp_min(1).to(sums.scalar_type()).unsqueeze(1);
    const torch::Tensor empty = (counts == 0).nonzero().reshape({-1});
    if (empty.numel() > 0) {
      // An empty cluster takes the point worst served by its current centre.
      const torch::Tensor farthest = std::get<1>(distance.topk(empty.numel()));
      updated.index_copy_(0, empty, points_.index_select(0, farthest));
      result.empty_clusters += static_cast<int32_t>(empty.numel());
    }
    result.max_shift = (updated - centres_).pow(2).sum(1).sqrt().max().item<float>();
    result.iterations = iteration;
    centres_ = updated;
    if (result.max_shift < options_.tolerance) break;
  }
  return result;
}

}  // namespace grid
