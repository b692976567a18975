#include "vector_quantizer.h"

#include <algorithm>

namespace grid {
namespace {

constexpr int64_t kDistanceChunkElements = int64_t{16} << 20;  // 16 Mi floats = 64 MB of distances per chunk

}  // namespace

VectorQuantizerImpl::VectorQuantizerImpl(int64_t codebook_size, int64_t embedding_dim) {
  codebook_ = register_parameter("codebook", torch::zeros({codebook_size, embedding_dim}));
}

torch::Tensor VectorQuantizerImpl::Assign(const torch::Tensor& vectors) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor codebook = codebook_.detach();
  const int64_t rows = vectors.size(0);
  const int64_t codes = codebook.size(0);
  // argmin_e ||z - e||^2 = argmin_e (||e||^2 - 2 z.e) = argmax_e (z.e - ||e||^2 / 2) (||z||^2 is the same for
  // every code of a row). The bias rides inside one matrix product as an extra coordinate, [z, 1] . [e, -||e||^2/2]:
  // no broadcast copy of ||e||^2 into the distance matrix (addmm's, as costly as the product on the CPU) and a
  // single pass (argmax) over the scores.
  const torch::Tensor augmented_codebook =
      torch::cat({codebook, codebook.pow(2).sum(1, /*keepdim=*/true).mul_(-0.5)}, 1).t().contiguous();
  const int64_t chunk = std::max<int64_t>(1, kDistanceChunkElements / std::max<int64_t>(1, codes));
  torch::Tensor augmented = torch::empty({std::min(rows, chunk), vectors.size(1) + 1}, vectors.options());
  augmented.select(1, vectors.size(1)).fill_(1.0);
  torch::Tensor scores = torch::empty({std::min(rows, chunk), codes}, vectors.options());
  torch::Tensor indices = torch::empty({rows}, vectors.options().dtype(torch::kLong));
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t count = std::min(rows, start + chunk) - start;
    torch::Tensor block_vectors = augmented.narrow(0, 0, count);
    block_vectors.narrow(1, 0, vectors.size(1)).copy_(vectors.narrow(0, start, count));
    torch::Tensor block_scores = scores.narrow(0, 0, count);
    torch::mm_out(block_scores, block_vectors, augmented_codebook);
    torch::Tensor block_indices = indices.narrow(0, start, count);
    torch::argmax_out(block_indices, block_scores, 1);
  }
  return indices;
}

torch::Tensor VectorQuantizerImpl::Lookup(const torch::Tensor& indices) const {
  return codebook_.index_select(0, indices.reshape({-1}));
}

}  // namespace grid
