#include "trainer.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "byte_reader.h"
#include "byte_writer.h"
#include "errors.h"
#include "tensor_record.h"

namespace grid {
namespace {

std::vector<torch::Tensor> ParameterValues(VqVaeModel& model, std::vector<std::string>* names) {
  std::vector<torch::Tensor> values;
  for (const auto& parameter : model->named_parameters(/*recurse=*/true)) {
    if (names) names->push_back(parameter.key());
    values.push_back(parameter.value());
  }
  return values;
}

AdamOptions AdamOptionsFrom(const GridTrainConfig& config) {
  AdamOptions options;
  options.beta1 = config.adam_beta1;
  options.beta2 = config.adam_beta2;
  options.epsilon = config.adam_epsilon;
  options.weight_decay = config.weight_decay;
  return options;
}

}  // namespace

Trainer::Trainer(Codec& codec, const GridTrainConfig& config)
    : codec_(codec),
      config_(config),
      adam_(ParameterValues(codec.model(), &parameter_names_), AdamOptionsFrom(config)),
      generator_(at::make_generator<at::CPUGeneratorImpl>(config.seed)) {
  encoder_parameters_ = codec_.model()->encoder()->parameters();
  decoder_parameters_ = codec_.model()->decoder()->parameters();
  const auto options = torch::TensorOptions().dtype(torch::kFloat).device(codec_.device());
  const int64_t codebook_size = codec_.config().codebook_size;
  cluster_size_ = torch::zeros({codebook_size}, options);
  usage_ = torch::zeros({codebook_size}, options);
  embed_sum_ = torch::zeros({codebook_size, codec_.config().embedding_dim}, options);
  ResetCodebookState(config_.dead_code_threshold > 0 ? config_.dead_code_threshold : 1.0f);
}

void Trainer::ApplyTrainability() {
  for (torch::Tensor& parameter : encoder_parameters_) parameter.set_requires_grad(config_.train_encoder != 0);
  for (torch::Tensor& parameter : decoder_parameters_) parameter.set_requires_grad(config_.train_decoder != 0);
  torch::Tensor codebook = codec_.model()->quantizer()->codebook();
  codebook.set_requires_grad(config_.codebook_mode == GRID_CODEBOOK_GRADIENT && config_.train_codebook != 0);
}

float Trainer::ClipGradients() {
  // clip_grad_norm_ returns the norm before clipping; an infinite limit measures without scaling.
  const double limit = config_.gradient_clip_norm > 0 ? static_cast<double>(config_.gradient_clip_norm)
                                                      : std::numeric_limits<double>::infinity();
  return static_cast<float>(torch::nn::utils::clip_grad_norm_(adam_.parameters(), limit));
}

GridStepResult Trainer::Step(const uint8_t* rgb, const ImageBatchShape& shape, float learning_rate,
                             int64_t* code_counts) {
  if (!std::isfinite(learning_rate) || learning_rate < 0) {
    ThrowInvalidArgument("learning_rate must be finite and non-negative, got " + std::to_string(learning_rate));
  }
  ApplyTrainability();
  VqVaeModel& model = codec_.model();
  const int64_t codebook_size = codec_.config().codebook_size;
  const int64_t embedding_dim = codec_.config().embedding_dim;

  const torch::Tensor images = Codec::PixelsToInput(rgb, shape, codec_.device());
  const torch::Tensor latents = model->encoder()->forward(images);
  const torch::Tensor vectors = latents.permute({0, 2, 3, 1}).reshape({-1, embedding_dim});
  const torch::Tensor indices = model->quantizer()->Assign(vectors.detach());
  const torch::Tensor codes = model->quantizer()->Lookup(indices);
  const torch::Tensor codebook_loss = torch::mse_loss(codes, vectors.detach());
  const torch::Tensor commitment_loss = torch::mse_loss(vectors, codes.detach());
  // Straight-through estimator: the decoder sees the codes, the encoder receives the decoder's gradient.
  const torch::Tensor straight_through = vectors + (codes - vectors).detach();
  const torch::Tensor quantized =
      straight_through.view({shape.count, shape.latent_height, shape.latent_width, embedding_dim})
          .permute({0, 3, 1, 2});
  const torch::Tensor reconstruction = model->decoder()->forward(quantized);
  const torch::Tensor mse = torch::mse_loss(reconstruction, images);
  const torch::Tensor reconstruction_loss = mse / static_cast<double>(config_.data_variance);
  torch::Tensor loss = reconstruction_loss + commitment_loss * static_cast<double>(config_.commitment_cost);
  if (config_.codebook_mode == GRID_CODEBOOK_GRADIENT) loss = loss + codebook_loss;

  for (torch::Tensor& parameter : adam_.parameters()) parameter.mutable_grad().reset();
  float gradient_norm = 0.0f;
  if (loss.requires_grad()) {  // false when everything is frozen or updated by EMA only
    loss.backward();
    gradient_norm = ClipGradients();
  }
  ++step_;
  adam_.Step(learning_rate, step_);

  torch::NoGradGuard no_grad;
  const torch::Tensor counts = torch::bincount(indices, {}, codebook_size);
  const torch::Tensor counts_float = counts.to(torch::kFloat);
  if (code_counts != nullptr) {
    const torch::Tensor host_counts = counts.to(torch::kCPU, torch::kLong).contiguous();
    std::memcpy(code_counts, host_counts.data_ptr<int64_t>(), static_cast<size_t>(codebook_size) * sizeof(int64_t));
  }
  const torch::Tensor probabilities = counts_float / static_cast<double>(indices.numel());
  const torch::Tensor entropy = -(probabilities * (probabilities + 1e-10).log()).sum();

  const torch::Tensor detached_vectors = vectors.detach();
  if (config_.train_codebook && config_.codebook_mode == GRID_CODEBOOK_EMA) {
    UpdateCodebookByEma(detached_vectors, indices, counts_float);
  }
  usage_.mul_(config_.ema_decay).add_(counts_float, 1.0 - config_.ema_decay);
  const int32_t restarted =
      config_.train_codebook && config_.dead_code_threshold > 0 ? RestartDeadCodes(detached_vectors) : 0;

  GridStepResult result{};
  result.step = step_;
  result.loss = loss.item<float>();
  result.reconstruction_loss = reconstruction_loss.item<float>();
  result.mse = mse.item<float>();
  result.codebook_loss = codebook_loss.item<float>();
  result.commitment_loss = commitment_loss.item<float>();
  result.perplexity = std::exp(entropy.item<float>());
  result.gradient_norm = gradient_norm;
  result.codes_used = static_cast<int32_t>((counts > 0).sum().item<int64_t>());
  result.codes_restarted = restarted;
  return result;
}

void Trainer::UpdateCodebookByEma(const torch::Tensor& vectors, const torch::Tensor& indices,
                                  const torch::Tensor& counts) {
  const double decay = config_.ema_decay;
  const double epsilon = config_.ema_epsilon;
  const int64_t codebook_size = cluster_size_.size(0);
  const torch::Tensor sums = torch::zeros_like(embed_sum_).index_add_(0, indices, vectors);
  cluster_size_.mul_(decay).add_(counts, 1.0 - decay);
  embed_sum_.mul_(decay).add_(sums, 1.0 - decay);
  // Laplace smoothing keeps rarely used codes from dividing by ~0: n_i = (N_i + eps) / (N + K eps) * N.
  const torch::Tensor total = cluster_size_.sum();
  const torch::Tensor smoothed = (cluster_size_ + epsilon) / (total + codebook_size * epsilon) * total;
  torch::Tensor codebook = codec_.model()->quantizer()->codebook();
  codebook.copy_(embed_sum_ / smoothed.unsqueeze(1));
}

int32_t Trainer::RestartDeadCodes(const torch::Tensor& vectors) {
  const double threshold = config_.dead_code_threshold;
  const torch::Tensor dead = (usage_ < threshold).nonzero().reshape({-1});
  const int64_t dead_count = dead.size(0);
  if (dead_count == 0) return 0;
  const int64_t rows = vectors.size(0);
  // Distinct rows where the batch has enough of them, so two restarted codes do not start out identical.
  torch::Tensor choice = dead_count <= rows ? torch::randperm(rows, generator_, torch::kLong).slice(0, 0, dead_count)
                                            : torch::randint(rows, {dead_count}, generator_, torch::kLong);
  choice = choice.to(vectors.device());
  const torch::Tensor seeds = vectors.index_select(0, choice);
  torch::Tensor codebook = codec_.model()->quantizer()->codebook();
  codebook.index_copy_(0, dead, seeds);
  usage_.index_fill_(0, dead, threshold);
  cluster_size_.index_fill_(0, dead, threshold);
  embed_sum_.index_copy_(0, dead, seeds * threshold);
  return static_cast<int32_t>(dead_count);
}

void Trainer::ResetCodebookState(float initial_usage) {
  if (!std::isfinite(initial_usage) || initial_usage <= 0) {
    ThrowInvalidArgument("initial_usage must be positive and finite, got " + std::to_string(initial_usage));
  }
  torch::NoGradGuard no_grad;
  cluster_size_.fill_(initial_usage);
  usage_.fill_(initial_usage);
  embed_sum_.copy_(codec_.model()->quantizer()->codebook() * static_cast<double>(initial_usage));
}

void Trainer::GetCodeUsage(float* usage, int64_t count) const {
  if (count != usage_.size(0)) {
    ThrowInvalidArgument("count must be the codebook size " + std::to_string(usage_.size(0)) + ", got " +
                         std::to_string(count));
  }
  const torch::Tensor values = usage_.to(torch::kCPU).contiguous();
  std::memcpy(usage, values.data_ptr<float>(), static_cast<size_t>(count) * sizeof(float));
}

std::vector<uint8_t> Trainer::SaveState() {
  ByteWriter writer;
  writer.WriteBytes(kStateMagic, sizeof(kStateMagic));
  writer.WriteU32(kStateVersion);
  writer.WriteI32(codec_.config().codebook_size);
  writer.WriteI32(codec_.config().embedding_dim);
  writer.WriteI64(step_);
  const torch::Tensor generator_state = generator_.get_state();
  writer.WriteU32(static_cast<uint32_t>(generator_state.numel()));
  writer.WriteBytes(generator_state.data_ptr<uint8_t>(), static_cast<size_t>(generator_state.numel()));
  writer.WriteU32(static_cast<uint32_t>(2 * parameter_names_.size() + 3));
  for (size_t i = 0; i < parameter_names_.size(); ++i) {
    WriteTensorRecord(writer, "adam.exp_avg/" + parameter_names_[i], adam_.first_moments()[i]);
    WriteTensorRecord(writer, "adam.exp_avg_sq/" + parameter_names_[i], adam_.second_moments()[i]);
  }
  WriteTensorRecord(writer, "ema.cluster_size", cluster_size_);
  WriteTensorRecord(writer, "ema.embed_sum", embed_sum_);
  WriteTensorRecord(writer, "usage", usage_);
  return writer.Release();
}

void Trainer::LoadState(const uint8_t* state, int64_t length) {
  ByteReader reader(state, length, "trainer state");
  if (std::memcmp(reader.ReadBytes(sizeof(kStateMagic), "magic"), kStateMagic, sizeof(kStateMagic)) != 0) {
    reader.Fail("not a Grid trainer state (magic is not \"GRIDT\")");
  }
  const uint32_t version = reader.ReadU32("format version");
  if (version != kStateVersion) {
    reader.Fail("format version " + std::to_string(version) + " is not supported (this library reads version " +
                std::to_string(kStateVersion) + ")");
  }
  const int32_t codebook_size = reader.ReadI32("codebook_size");
  const int32_t embedding_dim = reader.ReadI32("embedding_dim");
  if (codebook_size != codec_.config().codebook_size || embedding_dim != codec_.config().embedding_dim) {
    reader.Fail("saved for a " + std::to_string(codebook_size) + " x " + std::to_string(embedding_dim) +
                " codebook, this model's is " + std::to_string(codec_.config().codebook_size) + " x " +
                std::to_string(codec_.config().embedding_dim));
  }
  const int64_t step = reader.ReadI64("step");
  if (step < 0) reader.Fail("negative step count " + std::to_string(step));
  const int64_t generator_bytes = reader.ReadU32("generator state length");
  const torch::Tensor current_state = generator_.get_state();
  if (generator_bytes != current_state.numel()) {
    reader.Fail("generator state has " + std::to_string(generator_bytes) + " bytes, expected " +
                std::to_string(current_state.numel()));
  }
  torch::Tensor generator_state = torch::empty({generator_bytes}, torch::kUInt8);
  std::memcpy(generator_state.data_ptr<uint8_t>(), reader.ReadBytes(generator_bytes, "generator state"),
              static_cast<size_t>(generator_bytes));
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>();
  try {
    generator.set_state(generator_state);
  } catch (const c10::Error& error) {
    reader.Fail(std::string("invalid generator state: ") + error.what_without_backtrace());
  }

  const uint32_t tensor_count = reader.ReadU32("tensor count");
  if (tensor_count != 2 * parameter_names_.size() + 3) {
    reader.Fail("holds " + std::to_string(tensor_count) + " tensors, expected " +
                std::to_string(2 * parameter_names_.size() + 3));
  }
  // Read everything into host copies first so that a malformed state leaves the trainer untouched.
  const auto host_like = [](const torch::Tensor& tensor) { return torch::empty(tensor.sizes(), torch::kFloat); };
  std::vector<torch::Tensor> first_moments;
  std::vector<torch::Tensor> second_moments;
  int64_t index = 0;
  for (size_t i = 0; i < parameter_names_.size(); ++i) {
    first_moments.push_back(host_like(adam_.first_moments()[i]));
    ReadTensorRecord(reader, index++, "adam.exp_avg/" + parameter_names_[i], first_moments.back(), false);
    second_moments.push_back(host_like(adam_.second_moments()[i]));
    ReadTensorRecord(reader, index++, "adam.exp_avg_sq/" + parameter_names_[i], second_moments.back(), false);
  }
  torch::Tensor cluster_size = host_like(cluster_size_);
  ReadTensorRecord(reader, index++, "ema.cluster_size", cluster_size, false);
  torch::Tensor embed_sum = host_like(embed_sum_);
  ReadTensorRecord(reader, index++, "ema.embed_sum", embed_sum, false);
  torch::Tensor usage = host_like(usage_);
  ReadTensorRecord(reader, index++, "usage", usage, false);
  reader.ExpectEnd();

  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < parameter_names_.size(); ++i) {
    adam_.first_moments()[i].copy_(first_moments[i]);
    adam_.second_moments()[i].copy_(second_moments[i]);
  }
  cluster_size_.copy_(cluster_size);
  embed_sum_.copy_(embed_sum);
  usage_.copy_(usage);
  generator_ = generator;
  step_ = step;
}

}  // namespace grid
