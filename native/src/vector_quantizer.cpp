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
  // ||z - e||^2 = ||z||^2 - 2 z.e + ||e||^2. ||z||^2 is the same for every code of a row, so it cannot change
  // the argmin and is left out (it would only add rounding to the comparison).
  const torch::Tensor code_norms = codebook.pow(2).sum(1);
  const torch::Tensor codebook_t = codebook.t();
  const int64_t rows = vectors.size(0);
  const int64_t chunk = std::max<int64_t>(1, kDistanceChunkElements / std::max<int64_t>(1, codebook.size(0)));
  if (rows <= chunk) return torch::addmm(code_norms, vectors, codebook_t, 1.0, -2.0).argmin(1);
  torch::Tensor indices = torch::empty({rows}, vectors.options().dtype(torch::kLong));
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t end = std::min(rows, start + chunk);
    indices.slice(0, start, end)
        .copy_(torch::addmm(code_norms, vectors.slice(0, start, end), codebook_t, 1.0, -2.0).argmin(1));
  }
  return indices;
}

torch::Tensor VectorQuantizerImpl::Lookup(const torch::Tensor& indices) const {
  return codebook_.index_select(0, indices.reshape({-1}));
}

}  // namespace grid
