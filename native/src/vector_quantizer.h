// The codebook (K x D) and nearest-code assignment by squared L2 distance.
#pragma once

#include "torch_includes.h"

namespace grid {

class VectorQuantizerImpl : public torch::nn::Module {
 public:
  VectorQuantizerImpl(int64_t codebook_size, int64_t embedding_dim);

  // Index (int64, M) of the nearest code (squared L2) for each row of vectors (M x D), computed in row chunks so
  // that the M x K score matrix never exceeds ~64 MB. Ties go to the lowest index. No gradient.
  torch::Tensor Assign(const torch::Tensor& vectors) const;
  // Codebook rows for indices (any integer dtype), differentiable with respect to the codebook.
  torch::Tensor Lookup(const torch::Tensor& indices) const;

  const torch::Tensor& codebook() const { return codebook_; }
  int64_t codebook_size() const { return codebook_.size(0); }
  int64_t embedding_dim() const { return codebook_.size(1); }

 private:
  torch::Tensor codebook_;
};
TORCH_MODULE(VectorQuantizer);

}  // namespace grid
