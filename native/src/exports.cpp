// The C ABI of grid_native.h: argument checks, handle lifetime, and GRID_CATCH around every call.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "arguments.h"
#include "codec.h"
#include "cpu_memory_cache.h"
#include "device.h"
#include "errors.h"
#include "inference_options.h"
#include "grid_native.h"
#include "kmeans.h"
#include "runtime_info.h"
#include "trainer.h"

// The managed side mirrors these layouts (Grains/Native/Interop.GridNative.Structs.cs).
static_assert(sizeof(GridModelConfig) == 20, "GridModelConfig layout changed: bump GRID_NATIVE_ABI_VERSION");
static_assert(sizeof(GridTrainConfig) == 64, "GridTrainConfig layout changed: bump GRID_NATIVE_ABI_VERSION");
static_assert(sizeof(GridStepResult) == 48, "GridStepResult layout changed: bump GRID_NATIVE_ABI_VERSION");
static_assert(sizeof(GridKMeansResult) == 16, "GridKMeansResult layout changed: bump GRID_NATIVE_ABI_VERSION");
static_assert(sizeof(GridInferenceOptions) == 12, "GridInferenceOptions layout changed: bump GRID_NATIVE_ABI_VERSION");

struct GridModel {
  grid::Codec codec;
};

struct GridTrainer {
  grid::Trainer trainer;
};

struct GridBuffer {
  std::vector<uint8_t> bytes;
};

namespace {

GridBuffer* NewBuffer(std::vector<uint8_t> bytes) {
  return std::make_unique<GridBuffer>(GridBuffer{std::move(bytes)}).release();
}

// Rejects NaN and infinities in a caller's n x dim floats, naming the first one found.
void RequireFinite(const torch::Tensor& values, const char* name) {
  const torch::Tensor bad = torch::isfinite(values).logical_not_().nonzero();
  if (bad.size(0) == 0) return;
  const int64_t row = bad[0][0].item<int64_t>();
  const int64_t column = bad[0][1].item<int64_t>();
  grid::ThrowInvalidArgument(std::string(name) + " holds a non-finite value (" +
                             std::to_string(values[row][column].item<float>()) + ") at row " + std::to_string(row) +
                             ", column " + std::to_string(column));
}

template <typename Handle>
Handle& Require(Handle* handle, const char* name) {
  grid::RequireNotNull(handle, name);
  return *handle;
}

}  // namespace

extern "C" {

// ---- runtime ----

GRID_API const char* GridNative_LastError(void) { return grid::LastErrorMessage(); }

GRID_API int32_t GridNative_AbiVersion(void) { return GRID_NATIVE_ABI_VERSION; }

GRID_API int32_t GridNative_SetNumThreads(int32_t n) { GRID_CATCH(grid::RuntimeInfo::SetNumThreads(n)) }

GRID_API int32_t GridNative_GetNumThreads(int32_t* n) {
  GRID_CATCH(grid::RequireNotNull(n, "n"); *n = grid::RuntimeInfo::GetNumThreads())
}

GRID_API int32_t GridNative_CudaDeviceCount(int32_t* count) {
  GRID_CATCH(grid::RequireNotNull(count, "count"); *count = grid::RuntimeInfo::CudaDeviceCount())
}

GRID_API int32_t GridNative_GetRuntimeInfo(char* buffer, int32_t capacity, int32_t* required) {
  GRID_CATCH({
    grid::RequireNotNull(required, "required");
    if (capacity < 0) grid::ThrowInvalidArgument("capacity must not be negative, got " + std::to_string(capacity));
    if (capacity > 0) grid::RequireNotNull(buffer, "buffer");
    const std::string json = grid::RuntimeInfo::ToJson();
    *required = static_cast<int32_t>(json.size() + 1);
    if (capacity > 0) {
      const size_t copied = std::min(json.size(), static_cast<size_t>(capacity) - 1);
      std::memcpy(buffer, json.data(), copied);
      buffer[copied] = '\0';
    }
  })
}

GRID_API void GridNative_DefaultModelConfig(GridModelConfig* config) {
  if (config == nullptr) return;
  config->hidden_channels = 128;
  config->residual_channels = 32;
  config->residual_blocks = 2;
  config->embedding_dim = 64;
  config->codebook_size = 512;
}

GRID_API void GridNative_DefaultInferenceOptions(GridInferenceOptions* options) {
  if (options == nullptr) return;
  *options = grid::InferenceOptions::Defaults();
}

GRID_API int32_t GridNative_SetInferenceOptions(const GridInferenceOptions* options) {
  GRID_CATCH(grid::InferenceOptions::Set(Require(options, "options")))
}

GRID_API int32_t GridNative_GetInferenceOptions(GridInferenceOptions* options) {
  GRID_CATCH(Require(options, "options") = grid::InferenceOptions::Get())
}

GRID_API void GridNative_DefaultTrainConfig(GridTrainConfig* config) {
  if (config == nullptr) return;
  config->adam_beta1 = 0.9f;
  config->adam_beta2 = 0.999f;
  config->adam_epsilon = 1e-8f;
  config->weight_decay = 0.0f;
  config->commitment_cost = 0.25f;
  config->data_variance = 1.0f;
  config->gradient_clip_norm = 1.0f;
  config->codebook_mode = GRID_CODEBOOK_EMA;
  config->ema_decay = 0.99f;
  config->ema_epsilon = 1e-5f;
  config->dead_code_threshold = 2.0f;
  config->train_encoder = 1;
  config->train_decoder = 1;
  config->train_codebook = 1;
  config->seed = 0;
}

// ---- buffers ----

GRID_API int32_t GridNative_BufferGet(const GridBuffer* buffer, const uint8_t** data, int64_t* length) {
  GRID_CATCH({
    const GridBuffer& source = Require(buffer, "buffer");
    grid::RequireNotNull(data, "data");
    grid::RequireNotNull(length, "length");
    *data = source.bytes.data();
    *length = static_cast<int64_t>(source.bytes.size());
  })
}

GRID_API void GridNative_BufferDestroy(GridBuffer* buffer) { delete buffer; }

// ---- model ----

GRID_API int32_t GridNative_ModelCreate(const GridModelConfig* config, const char* device, uint64_t seed,
                                        GridModel** model) {
  GRID_CATCH({
    grid::RequireNotNull(config, "config");
    grid::RequireNotNull(model, "model");
    *model = nullptr;
    grid::ValidateModelConfig(*config);
    const torch::Device parsed = grid::ParseDevice(device, "device");
    *model = std::make_unique<GridModel>(GridModel{grid::Codec(*config, parsed, seed)}).release();
  })
}

GRID_API int32_t GridNative_ModelSave(GridModel* model, GridBuffer** weights) {
  GRID_CATCH({
    GridModel& source = Require(model, "model");
    grid::RequireNotNull(weights, "weights");
    *weights = nullptr;
    *weights = NewBuffer(source.codec.Save());
  })
}

GRID_API int32_t GridNative_ModelLoad(const uint8_t* weights, int64_t length, const char* device, GridModel** model) {
  GRID_CATCH({
    grid::RequireNotNull(model, "model");
    *model = nullptr;
    grid::RequireNotNull(weights, "weights");
    if (length <= 0) grid::ThrowInvalidArgument("length must be positive, got " + std::to_string(length));
    const torch::Device parsed = grid::ParseDevice(device, "device");
    *model = std::make_unique<GridModel>(GridModel{grid::Codec(weights, length, parsed)}).release();
  })
}

GRID_API void GridNative_ModelDestroy(GridModel* model) { delete model; }

GRID_API int32_t GridNative_ModelGetConfig(const GridModel* model, GridModelConfig* config) {
  GRID_CATCH({
    const GridModel& source = Require(model, "model");
    grid::RequireNotNull(config, "config");
    *config = source.codec.config();
  })
}

GRID_API int32_t GridNative_ModelParameterCount(const GridModel* model, int64_t* count) {
  GRID_CATCH({
    const GridModel& source = Require(model, "model");
    grid::RequireNotNull(count, "count");
    *count = source.codec.ParameterCount();
  })
}

GRID_API int32_t GridNative_ModelEncode(GridModel* model, const uint8_t* rgb, int32_t count, int32_t height,
                                        int32_t width, uint16_t* indices) {
  GRID_CATCH({
    GridModel& target = Require(model, "model");
    grid::RequireNotNull(rgb, "rgb");
    grid::RequireNotNull(indices, "indices");
    const auto shape = grid::ValidateImageBatch(count, height, width, target.codec.config().embedding_dim);
    grid::RuntimeInfo::PrepareCurrentThread();
    const grid::CpuMemoryCache::Scope memory_cache;
    target.codec.Encode(rgb, shape, indices);
  })
}

GRID_API int32_t GridNative_ModelDecode(GridModel* model, const uint16_t* indices, int32_t count, int32_t latent_height,
                                        int32_t latent_width, uint8_t* rgb) {
  GRID_CATCH({
    GridModel& target = Require(model, "model");
    grid::RequireNotNull(indices, "indices");
    grid::RequireNotNull(rgb, "rgb");
    const auto shape =
        grid::ValidateLatentBatch(count, latent_height, latent_width, target.codec.config().embedding_dim);
    grid::RuntimeInfo::PrepareCurrentThread();
    const grid::CpuMemoryCache::Scope memory_cache;
    target.codec.Decode(indices, shape, rgb);
  })
}

GRID_API int32_t GridNative_ModelEncodeLatents(GridModel* model, const uint8_t* rgb, int32_t count, int32_t height,
                                               int32_t width, float* latents) {
  GRID_CATCH({
    GridModel& target = Require(model, "model");
    grid::RequireNotNull(rgb, "rgb");
    grid::RequireNotNull(latents, "latents");
    const auto shape = grid::ValidateImageBatch(count, height, width, target.codec.config().embedding_dim);
    grid::RuntimeInfo::PrepareCurrentThread();
    const grid::CpuMemoryCache::Scope memory_cache;
    target.codec.EncodeLatents(rgb, shape, latents);
  })
}

GRID_API int32_t GridNative_ModelGetCodebook(const GridModel* model, float* codebook, int64_t count) {
  GRID_CATCH({
    const GridModel& source = Require(model, "model");
    grid::RequireNotNull(codebook, "codebook");
    source.codec.GetCodebook(codebook, count);
  })
}

GRID_API int32_t GridNative_ModelSetCodebook(GridModel* model, const float* codebook, int64_t count) {
  GRID_CATCH({
    GridModel& target = Require(model, "model");
    grid::RequireNotNull(codebook, "codebook");
    target.codec.SetCodebook(codebook, count);
  })
}

// ---- training ----

GRID_API int32_t GridNative_TrainerCreate(GridModel* model, const GridTrainConfig* config, GridTrainer** trainer) {
  GRID_CATCH({
    GridModel& target = Require(model, "model");
    grid::RequireNotNull(config, "config");
    grid::RequireNotNull(trainer, "trainer");
    *trainer = nullptr;
    grid::ValidateTrainConfig(*config);
    *trainer = std::make_unique<GridTrainer>(GridTrainer{grid::Trainer(target.codec, *config)}).release();
  })
}

GRID_API void GridNative_TrainerDestroy(GridTrainer* trainer) { delete trainer; }

GRID_API int32_t GridNative_TrainerStep(GridTrainer* trainer, const uint8_t* rgb, int32_t count, int32_t height,
                                        int32_t width, float learning_rate, GridStepResult* result,
                                        int64_t* code_counts) {
  GRID_CATCH({
    GridTrainer& target = Require(trainer, "trainer");
    grid::RequireNotNull(rgb, "rgb");
    grid::RequireNotNull(result, "result");
    const auto shape = grid::ValidateImageBatch(count, height, width, 0);
    grid::RuntimeInfo::PrepareCurrentThread();
    const grid::CpuMemoryCache::Scope memory_cache;
    *result = target.trainer.Step(rgb, shape, learning_rate, code_counts);
  })
}

GRID_API int32_t GridNative_TrainerResetCodebookState(GridTrainer* trainer, float initial_usage) {
  GRID_CATCH(Require(trainer, "trainer").trainer.ResetCodebookState(initial_usage))
}

GRID_API int32_t GridNative_TrainerGetCodeUsage(const GridTrainer* trainer, float* usage, int64_t count) {
  GRID_CATCH({
    const GridTrainer& source = Require(trainer, "trainer");
    grid::RequireNotNull(usage, "usage");
    source.trainer.GetCodeUsage(usage, count);
  })
}

GRID_API int32_t GridNative_TrainerSaveState(GridTrainer* trainer, GridBuffer** state) {
  GRID_CATCH({
    GridTrainer& source = Require(trainer, "trainer");
    grid::RequireNotNull(state, "state");
    *state = nullptr;
    *state = NewBuffer(source.trainer.SaveState());
  })
}

GRID_API int32_t GridNative_TrainerLoadState(GridTrainer* trainer, const uint8_t* state, int64_t length) {
  GRID_CATCH({
    GridTrainer& target = Require(trainer, "trainer");
    grid::RequireNotNull(state, "state");
    if (length <= 0) grid::ThrowInvalidArgument("length must be positive, got " + std::to_string(length));
    target.trainer.LoadState(state, length);
  })
}

// ---- k-means ----

GRID_API int32_t GridNative_KMeans(const float* points, int64_t n, int32_t dim, int32_t k, const float* initial,
                                   int32_t max_iterations, float tolerance, uint64_t seed, const char* device,
                                   float* centres, GridKMeansResult* result) {
  GRID_CATCH({
    grid::RequireNotNull(points, "points");
    grid::RequireNotNull(centres, "centres");
    grid::RequireNotNull(result, "result");
    if (n <= 0) grid::ThrowInvalidArgument("n must be positive, got " + std::to_string(n));
    if (dim <= 0) grid::ThrowInvalidArgument("dim must be positive, got " + std::to_string(dim));
    if (k <= 0) grid::ThrowInvalidArgument("k must be positive, got " + std::to_string(k));
    if (k > n) {
      grid::ThrowInvalidArgument("k (" + std::to_string(k) + ") exceeds the number of points n (" + std::to_string(n) +
                                 ")");
    }
    if (max_iterations <= 0) {
      grid::ThrowInvalidArgument("max_iterations must be positive, got " + std::to_string(max_iterations));
    }
    if (!(tolerance >= 0) || !std::isfinite(tolerance)) {
      grid::ThrowInvalidArgument("tolerance must be finite and non-negative, got " + std::to_string(tolerance));
    }
    grid::CheckedMultiply(grid::CheckedMultiply(n, dim, "points"), sizeof(float), "points as bytes");
    const torch::Device parsed = device == nullptr ? torch::Device(torch::kCPU) : grid::ParseDevice(device, "device");
    const torch::Tensor host_points = torch::from_blob(const_cast<float*>(points), {n, dim}, torch::kFloat);
    RequireFinite(host_points, "points");
    torch::Tensor initial_centres;
    if (initial != nullptr) {
      initial_centres = torch::from_blob(const_cast<float*>(initial), {k, dim}, torch::kFloat);
      RequireFinite(initial_centres, "initial");
      initial_centres = initial_centres.to(parsed);
    }
    grid::KMeansOptions options;
    options.k = k;
    options.max_iterations = max_iterations;
    options.tolerance = tolerance;
    options.seed = seed;
    grid::RuntimeInfo::PrepareCurrentThread();
    const grid::CpuMemoryCache::Scope memory_cache;
    grid::KMeans kmeans(host_points.to(parsed), options);
    *result = kmeans.Run(initial_centres);
    torch::from_blob(centres, {k, dim}, torch::kFloat).copy_(kmeans.centres());
  })
}

}  // extern "C"
