#include "subpixel_deconvolution.h"

#include <ATen/Parallel.h>

#include <algorithm>

namespace grid {
namespace {

// For output row 2a + p of the transposed convolution (stride 2, padding 1, kernel 4), the inputs that
// contribute are rows a - 1 + j of a 3x3 window; kKernelTap[p][j] is the kernel row used for window row j, or
// -1 where the window row does not contribute (the same holds for columns).
constexpr int kKernelTap[2][3] = {{3, 1, -1}, {-1, 2, 0}};

// Index, into the kernel taps flattened to 16 plus one zero tap (16), of every derived 3x3 weight position,
// ordered (row phase, column phase, window row, window column).
torch::Tensor TapIndex() {
  torch::Tensor index = torch::empty({2 * 2 * 3 * 3}, torch::kLong);
  int64_t* out = index.data_ptr<int64_t>();
  for (int py = 0; py < 2; ++py) {
    for (int px = 0; px < 2; ++px) {
      for (int jy = 0; jy < 3; ++jy) {
        for (int jx = 0; jx < 3; ++jx) {
          const int ky = kKernelTap[py][jy];
          const int kx = kKernelTap[px][jx];
          *out++ = ky < 0 || kx < 0 ? 16 : ky * 4 + kx;
        }
      }
    }
  }
  return index;
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> SubpixelDeconvolution::DeriveWeights(const torch::Tensor& weight,
                                                                             const torch::Tensor& bias) {
  static const torch::Tensor kTapIndex = TapIndex();
  const int64_t in = weight.size(0);
  const int64_t out = weight.size(1);
  // [in, out, 4, 4] -> [out, in, 16 taps + 1 zero] -> gather the 36 derived taps -> [(py, px, out), in, 3, 3].
  const torch::Tensor taps = torch::cat(
      {weight.permute({1, 0, 2, 3}).reshape({out, in, 16}), torch::zeros({out, in, 1}, weight.options())}, 2);
  torch::Tensor derived = taps.index_select(2, kTapIndex.to(weight.device()))
                              .view({out, in, 2, 2, 3, 3})
                              .permute({2, 3, 0, 1, 4, 5})
                              .reshape({4 * out, in, 3, 3})
                              .contiguous(torch::MemoryFormat::ChannelsLast);
  return {derived, bias.repeat({4})};
}

torch::Tensor SubpixelDeconvolution::ShuffleInference(const torch::Tensor& phases, bool relu) {
  const torch::Tensor source = phases.contiguous(torch::MemoryFormat::ChannelsLast);  // memory: N, H, W, py, px, C
  const int64_t batch = source.size(0);
  const int64_t channels = source.size(1) / 4;
  const int64_t height = source.size(2);
  const int64_t width = source.size(3);
  torch::Tensor output = torch::empty({batch, channels, 2 * height, 2 * width},
                                      source.options().memory_format(torch::MemoryFormat::ChannelsLast));
  const float* in = source.data_ptr<float>();
  float* out = output.data_ptr<float>();  // memory: N, 2H, 2W, C = N, H, py, W, px, C
  at::parallel_for(0, batch * height * 2, 1, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {  // row = (n * H + h) * 2 + py
      const int64_t py = row % 2;
      const int64_t source_row = row / 2;
      float* destination = out + row * (2 * width) * channels;
      for (int64_t x = 0; x < width; ++x) {
        for (int64_t px = 0; px < 2; ++px) {
          const float* from = in + ((source_row * width + x) * 4 + py * 2 + px) * channels;
          float* to = destination + (2 * x + px) * channels;
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
    const int64_t batch = phases.size(0);
    const int64_t channels = phases.size(1) / 4;
    const int64_t height = phases.size(2);
    const int64_t width = phases.size(3);
    torch::Tensor output = phases.permute({0, 2, 3, 1})
                               .reshape({batch, height, width, 2, 2, channels})
                               .permute({0, 1, 3, 2, 4, 5})
                               .reshape({batch, 2 * height, 2 * width, channels})
                               .permute({0, 3, 1, 2});
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
