// Adam (Kingma & Ba) with PyTorch's update rule and L2 weight decay, over a fixed, ordered parameter list.
// Own implementation rather than torch::optim::Adam so that its state is addressed by parameter position
// (serialisable in a fixed order; torch::optim keys state by TensorImpl address, with a key type that differs
// between libtorch 1.13 and 2.x) and so the learning rate is simply an argument of each step.
#pragma once

#include <vector>

#include "torch_includes.h"

namespace grid {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;
};

class Adam {
 public:
  // One moment pair per parameter, zero-initialised on the parameter's device.
  Adam(std::vector<torch::Tensor> parameters, AdamOptions options);

  // Updates every parameter that requires grad and has a gradient; step is the 1-based step number used for
  // bias correction (shared by all parameters).
  void Step(double learning_rate, int64_t step);

  std::vector<torch::Tensor>& parameters() { return parameters_; }
  std::vector<torch::Tensor>& first_moments() { return first_moments_; }
  std::vector<torch::Tensor>& second_moments() { return second_moments_; }

 private:
  std::vector<torch::Tensor> parameters_;
  std::vector<torch::Tensor> first_moments_;
  std::vector<torch::Tensor> second_moments_;
  AdamOptions options_;
};

}  // namespace grid
