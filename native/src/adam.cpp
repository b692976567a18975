#include "adam.h"

#include <cmath>

namespace grid {

Adam::Adam(std::vector<torch::Tensor> parameters, AdamOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const torch::Tensor& parameter : parameters_) {
    first_moments_.push_back(torch::zeros_like(parameter));
    second_moments_.push_back(torch::zeros_like(parameter));
  }
}

void Adam::Step(double learning_rate, int64_t step) {
  torch::NoGradGuard no_grad;
  const double bias_correction1 = 1.0 - std::pow(options_.beta1, static_cast<double>(step));
  const double bias_correction2 = 1.0 - std::pow(options_.beta2, static_cast<double>(step));
  const double step_size = learning_rate / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  for (size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& parameter = parameters_[i];
    if (!parameter.requires_grad() || !parameter.grad().defined()) continue;
    torch::Tensor gradient = parameter.grad();
    if (options_.weight_decay != 0.0) gradient = gradient.add(parameter, options_.weight_decay);
    // The same sequence of tensor operations as torch.optim.Adam (single-tensor path, amsgrad off).
    first_moments_[i].mul_(options_.beta1).add_(gradient, 1.0 - options_.beta1);
    second_moments_[i].mul_(options_.beta2).addcmul_(gradient, gradient, 1.0 - options_.beta2);
    const torch::Tensor denominator = (second_moments_[i].sqrt() / bias_correction2_sqrt).add_(options_.epsilon);
    parameter.addcdiv_(first_moments_[i], denominator, -step_size);
  }
}

}  // namespace grid
