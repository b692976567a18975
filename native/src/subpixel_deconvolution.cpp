#include "subpixel_deconvolution.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

namespace grid {
namespace {

// Output row 2a + p of the transposed convolution (stride 2, padding 1, kernel 4) sums input rows a - 1 and a
// (kernel rows 3 and 1) when p = 0, and rows a and a + 1 (kernel rows 2 and 0) when p = 1. A 2x2 convolution
// with padding 1 reads rows r - 1 and r at output row r, so phase p is that convolution's row a + p, with the
// kernel rows kPhaseTaps[p] (the same holds for columns).
constexpr int64_t kPhaseTaps[2][2] = {{3, 1}, {2, 0}};

}  // namespace

std::pair<torch::Tensor, torch::Tensor> SubpixelDeconvolution::DeriveWeights(const torch::Tensor& weight,
                                                                             const torch::Tensor& bias) {
  // [in, out, 4, 4] -> for each phase (py, px) the 2x2 taps as [out, in, 2, 2] -> [(py, px, out), in, 2, 2].
  std::vector<torch::Tensor> phases;
  for (int py = 0; py < 2; ++py) {
    for (int px = 0; px < 2; ++px) {
      const torch::Tensor rows = torch::tensor({kPhaseTaps[py][0], kPhaseTaps[py][1]}, torch::kLong).to(weight.device());
      const torch::Tensor columns = torch::tensor({kPhaseTaps[px][0], kPhaseTaps[px][1]}, torch::kLong).to(weight.device());
      phases.push_back(weight.index_select(2, rows).index_select(3, columns).permute({1, 0, 2, 3}));
    }
  }
  return {torch::cat(phases, 0).contiguous(torch::MemoryFormat::ChannelsLast), bias.repeat({4})};
}

torch::Tensor SubpixelDeconvolution::ShuffleInference(const torch::Tensor& phases, bool relu) {
  const torch::Tensor source = phases.contiguous(torch::MemoryFormat::ChannelsLast);  // memory: N, H+1, W+1, py, px, C
  const int64_t batch = source.size(0);
  const int64_t channels = source.size(1) / 4;
  const int64_t height = source.size(2) - 1;
  const int64_t width = source.size(3) - 1;
  torch::Tensor output = torch::empty({batch, channels, 2 * height, 2 * width},
                                      source.options().memory_format(torch::MemoryFormat::ChannelsLast));
  const float* in = source.data_ptr<float>();
  float* out = output.data_ptr<float>();  // memory: N, 2H, 2W, C = N, H, py, W, px, C
  at::parallel_for(0, batch * height * 2, 1, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {  // row = (n * H + a) * 2 + py
      const int64_t py = row % 2;
      const int64_t n = row / 2 / height;
      const int64_t a = row / 2 % height;
      const float* source_row = in + (n * (height + 1) + a + py) * (width + 1) * 4 * channels;
      float* destination = out + row * (2 * width) * channels;
      for (int64_t b = 0; b < width; ++b) {
        for (int64_t px = 0; px < 2; ++px) {
          const float* from = source_row + ((b + px) * 4 + py * 2 + px) * channels;
          float* to = destination + (2 * b + px) * channels;
          if (relu) {
            for (int64_t c = 0; c < channels; ++c) to[c] = std::max(from[c], 0.0f);
          } else {
            std::copy(from, from + channels, to);
          }
        }
      }
    }
  });
  return output;
}

torch::Tensor SubpixelDeconvolution::Forward(torch::nn::ConvTranspose2dImpl& layer, const torch::Tensor& input,
                                             bool relu) {
  if (!input.is_cpu() || input.scalar_type() != torch::kFloat) {
    torch::Tensor output = layer.forward(input);
    return relu ? output.relu_() : output;
  }
  const torch::Tensor& weight = layer.weight;
  const torch::Tensor& bias = layer.bias;
  const bool differentiable = torch::GradMode::is_enabled() && (weight.requires_grad() || input.requires_grad());
  if (differentiable) {
    const auto [derived_weight, derived_bias] = DeriveWeights(weight, bias);
    const torch::Tensor phases = torch::conv2d(input, derived_weight, derived_bias, 1, 1);
    const int64_t channels = phases.size(1) / 4;
    const int64_t height = phases.size(2) - 1;
    const int64_t width = phases.size(3) - 1;
    // Phase (py, px) is the convolution's output shifted by (py, px): [N, C, H, 2 (py), W, 2 (px)] -> [N, C, 2H, 2W].
    auto phase = [&](int64_t py, int64_t px) {
      return phases.narrow(1, (py * 2 + px) * channels, channels).narrow(2, py, height).narrow(3, px, width);
    };
    torch::Tensor output = torch::stack({torch::stack({phase(0, 0), phase(0, 1)}, 4), torch::stack({phase(1, 0), phase(1, 1)}, 4)}, 3)
                               .reshape({phases.size(0), channels, 2 * height, 2 * width});
    return relu ? output.clamp_min(0) : output;
  }
  const auto version = static_cast<int64_t>(weight._version()) + static_cast<int64_t>(bias._version());
  if (!cached_source_.is_same(weight) || cached_data_ != weight.data_ptr() || cached_version_ != version) {
    c10::InferenceMode normal_tensors(false);  // the cache outlives this call: no inference tensors
    torch::NoGradGuard no_grad;
    auto derived = DeriveWeights(weight.detach(), bias.detach());
    cached_weight_ = std::move(derived.first);
    cached_bias_ = std::move(derived.second);
    cached_source_ = weight;
    cached_data_ = weight.data_ptr();
    cached_version_ = version;
  }
  return ShuffleInference(torch::conv2d(input, cached_weight_, cached_bias_, 1, 1), relu);
}

}  // namespace grid
