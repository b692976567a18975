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
  const torch::Tensor rows_by_dim = vectors.contiguous();
  const int64_t rows = rows_by_dim.size(0);
  const int64_t dim = rows_by_dim.size(1);
  const int64_t codes = codebook.size(0);
  // argmin_e ||z - e||^2 = argmin_e (||e||^2 - 2 z.e) = argmax_e (z.e - ||e||^2 / 2) (||z||^2 is the same for
  // every code of a row): one product plus a per-code bias, then the largest score of each row.
  const torch::Tensor bias = codebook.pow(2).sum(1).mul_(-0.5);
  const int64_t chunk = std::max<int64_t>(1, kDistanceChunkElements / std::max<int64_t>(1, codes));
  torch::Tensor indices = torch::empty({rows}, rows_by_dim.options().dtype(torch::kLong));
  if (rows_by_dim.is_cpu()) {
    // On the CPU the product is a 1x1 convolution with the bias fused: the rows, viewed as a channels-last
    // 1 x D x rows x 1 image, go through oneDNN on libtorch's OpenMP threads like the encoder's convolutions.
    // Through mm they went to OpenBLAS's own thread pool, whose workers spin after each call and took the
    // second core from the OpenMP threads of the next operation (encode at 2 threads, 128 px, batch 8: 165-226
    // images/s that way, 318-381 this way; docs/native-benchmark.md). max() rather than argmax(): libtorch 1.13's
    // argmax reduction is ~1.8x slower on the CPU; both return the first maximal index.
    const torch::Tensor weight = codebook.view({codes, dim, 1, 1});
    torch::Tensor best = torch::empty({std::min(rows, chunk)}, rows_by_dim.options());
    for (int64_t start = 0; start < rows; start += chunk) {
      const int64_t count = std::min(rows, start + chunk) - start;
      const torch::Tensor image = rows_by_dim.narrow(0, start, count).view({1, count, 1, dim}).permute({0, 3, 1, 2});
      const torch::Tensor scores = torch::conv2d(image, weight, bias).permute({0, 2, 3, 1}).reshape({count, codes});
      torch::Tensor block_best = best.narrow(0, 0, count);
      torch::Tensor block_indices = indices.narrow(0, start, count);
      torch::max_out(block_best, block_indices, scores, 1);
    }
    return indices;
  }
  // On an accelerator: the bias rides inside one matrix product as an extra coordinate, [z, 1] . [e, bias]
  // (no broadcast copy of the bias into the score matrix), and one argmax over the scores. Every product has
  // the same shape (chunk rows, the last block padded with zero rows), so the BLAS library runs the same kernel
  // whatever the number of rows, and a row's index does not depend on which other rows share its call (batch
  // composition); the padding costs little next to the encoder.
  const torch::Tensor augmented_codebook = torch::cat({codebook, bias.unsqueeze(1)}, 1).t().contiguous();
  torch::Tensor augmented = torch::zeros({chunk, dim + 1}, rows_by_dim.options());
  augmented.select(1, dim).fill_(1.0);
  torch::Tensor scores = torch::empty({chunk, codes}, rows_by_dim.options());
  torch::Tensor block_indices = torch::empty({chunk}, indices.options());
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t count = std::min(rows, start + chunk) - start;
    if (count < chunk) augmented.narrow(1, 0, dim).zero_();
    augmented.narrow(0, 0, count).narrow(1, 0, dim).copy_(rows_by_dim.narrow(0, start, count));
    torch::mm_out(scores, augmented, augmented_codebook);
    torch::argmax_out(block_indices, scores, 1);
    indices.narrow(0, start, count).copy_(block_indices.narrow(0, 0, count));
  }
  return indices;
}

torch::Tensor VectorQuantizerImpl::Lookup(const torch::Tensor& indices) const {
  return codebook_.index_select(0, indices.reshape({-1}));
}

}  // namespace grid
