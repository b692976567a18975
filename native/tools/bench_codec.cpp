// grid_native_bench: speed and determinism of libgrid_native.so through its C ABI only.
//   grid_native_bench [--threads N] [--sizes 128,256] [--batches 1,8,32] [--min-seconds S] [--device cuda]
//                     [--precision fp32|tf32|bf16] [--max-batch N] [--benchmark-cudnn]
//       prints one JSON line per (op, size, batch): {"impl":"native","op":"encode","size":128,"batch":32,...}
//   grid_native_bench --check [--threads N]
//       encodes/decodes the same images alone and inside a batch of 8, and with 1 and N threads, and reports
//       whether results differ.
// Same protocol as scripts/bench_pytorch.py: default model (seed weights), pseudo-random pixels, warm-up calls,
// then timed calls until both 3 calls and --min-seconds have passed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "grid_native.h"

namespace {

void Check(int32_t status, const char* what) {
  if (status != GRID_OK) {
    std::fprintf(stderr, "%s failed (%d): %s\n", what, status, GridNative_LastError());
    std::exit(1);
  }
}

std::vector<int> ParseList(const char* text) {
  std::vector<int> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) values.push_back(std::atoi(item.c_str()));
  return values;
}

// Smooth colour gradients plus noise: closer to photographs than uniform noise, deterministic from seed.
std::vector<uint8_t> MakeImages(int count, int size, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<uint8_t> pixels(static_cast<size_t>(count) * size * size * 3);
  for (int n = 0; n < count; ++n) {
    const int phase = static_cast<int>(random() % 256);
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        for (int c = 0; c < 3; ++c) {
          const int base = (x * (c + 1) + y * (3 - c) + phase) % 256;
          const int noise = static_cast<int>(random() % 33) - 16;
          pixels[((static_cast<size_t>(n) * size + y) * size + x) * 3 + c] =
              static_cast<uint8_t>(std::min(255, std::max(0, base + noise)));
        }
      }
    }
  }
  return pixels;
}

struct Rate {
  double wall;  // images per second of elapsed time
  double cpu;   // images per second of process CPU time (all threads): robust to other load on the machine
};

template <typename Call>
Rate ImagesPerSecond(int batch, double min_seconds, Call call) {
  call();  // warm-up: first-call allocations, oneDNN primitive creation
  call();
  int calls = 0;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  double elapsed = 0;
  while (calls < 3 || elapsed < min_seconds) {
    call();
    ++calls;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return {batch * calls / elapsed, batch * calls / cpu};
}

void PrintRate(const char* op, int size, int batch, int threads, Rate rate) {
  std::printf(
      "{\"impl\":\"native\",\"op\":\"%s\",\"size\":%d,\"batch\":%d,\"images_per_s\":%.2f,"
      "\"cpu_images_per_s\":%.2f,\"threads\":%d}\n",
      op, size, batch, rate.wall, rate.cpu, threads);
  std::fflush(stdout);
}

int Bench(GridModel* model, int threads, const std::vector<int>& sizes, const std::vector<int>& batches,
          double min_seconds) {
  for (int size : sizes) {
    for (int batch : batches) {
      const std::vector<uint8_t> pixels = MakeImages(batch, size, 7);
      const int latent = size / GRID_DOWNSAMPLE;
      std::vector<uint16_t> indices(static_cast<size_t>(batch) * latent * latent);
      std::vector<uint8_t> decoded(pixels.size());
      const Rate encode = ImagesPerSecond(batch, min_seconds, [&] {
        Check(GridNative_ModelEncode(model, pixels.data(), batch, size, size, indices.data()), "encode");
      });
      PrintRate("encode", size, batch, threads, encode);
      const Rate decode = ImagesPerSecond(batch, min_seconds, [&] {
        Check(GridNative_ModelDecode(model, indices.data(), batch, latent, latent, decoded.data()), "decode");
      });
      PrintRate("decode", size, batch, threads, decode);
    }
  }
  return 0;
}

// Encodes and decodes 8 images as one batch and one by one; counts differing indices and pixels.
int CheckBatchInvariance(GridModel* model, int threads) {
  const int count = 8;
  for (int size : {16, 32, 64, 128, 256}) {
    const int latent = size / GRID_DOWNSAMPLE;
    const size_t per_image_indices = static_cast<size_t>(latent) * latent;
    const size_t per_image_pixels = static_cast<size_t>(size) * size * 3;
    const std::vector<uint8_t> pixels = MakeImages(count, size, 11);
    std::vector<uint16_t> batched(count * per_image_indices);
    std::vector<uint16_t> again(batched.size());
    std::vector<uint16_t> single(batched.size());
    Check(GridNative_ModelEncode(model, pixels.data(), count, size, size, batched.data()), "encode");
    Check(GridNative_ModelEncode(model, pixels.data(), count, size, size, again.data()), "encode");
    for (int n = 0; n < count; ++n) {
      Check(GridNative_ModelEncode(model, pixels.data() + n * per_image_pixels, 1, size, size,
                                   single.data() + n * per_image_indices),
            "encode");
    }
    std::vector<float> latents_batched(count * per_image_indices * 64);
    std::vector<float> latents_single(latents_batched.size());
    Check(GridNative_ModelEncodeLatents(model, pixels.data(), count, size, size, latents_batched.data()), "latents");
    for (int n = 0; n < count; ++n) {
      Check(GridNative_ModelEncodeLatents(model, pixels.data() + n * per_image_pixels, 1, size, size,
                                          latents_single.data() + n * per_image_indices * 64),
            "latents");
    }
    size_t index_differences = 0, repeat_differences = 0, latent_differences = 0;
    double latent_max_difference = 0;
    for (size_t i = 0; i < batched.size(); ++i) {
      index_differences += batched[i] != single[i];
      repeat_differences += batched[i] != again[i];
    }
    for (size_t i = 0; i < latents_batched.size(); ++i) {
      const double difference = std::abs(static_cast<double>(latents_batched[i]) - latents_single[i]);
      latent_differences += difference != 0;
      latent_max_difference = std::max(latent_max_difference, difference);
    }
    std::vector<uint8_t> decoded_batched(pixels.size());
    std::vector<uint8_t> decoded_again(pixels.size());
    std::vector<uint8_t> decoded_single(pixels.size());
    Check(GridNative_ModelDecode(model, batched.data(), count, latent, latent, decoded_batched.data()), "decode");
    Check(GridNative_ModelDecode(model, batched.data(), count, latent, latent, decoded_again.data()), "decode");
    for (int n = 0; n < count; ++n) {
      Check(GridNative_ModelDecode(model, batched.data() + n * per_image_indices, 1, latent, latent,
                                   decoded_single.data() + n * per_image_pixels),
            "decode");
    }
    size_t pixel_differences = 0, pixel_repeat_differences = 0;
    for (size_t i = 0; i < pixels.size(); ++i) {
      pixel_differences += decoded_batched[i] != decoded_single[i];
      pixel_repeat_differences += decoded_batched[i] != decoded_again[i];
    }
    std::printf(
        "{\"check\":\"batch_invariance\",\"size\":%d,\"batch\":%d,\"threads\":%d,\"indices\":%zu,"
        "\"indices_differing_batch_vs_single\":%zu,\"indices_differing_repeat\":%zu,"
        "\"latents_differing_batch_vs_single\":%zu,\"latent_max_abs_difference\":%.3g,\"pixels\":%zu,"
        "\"pixels_differing_batch_vs_single\":%zu,\"pixels_differing_repeat\":%zu}\n",
        size, count, threads, batched.size(), index_differences, repeat_differences, latent_differences,
        latent_max_difference, pixels.size(), pixel_differences, pixel_repeat_differences);
  }
  return 0;
}

// Encodes and decodes the same batch with 1 thread and with `threads` threads; counts differing results.
int CheckThreadInvariance(GridModel* model, int threads) {
  const int count = 8;
  const int size = 128;
  const int latent = size / GRID_DOWNSAMPLE;
  const std::vector<uint8_t> pixels = MakeImages(count, size, 13);
  std::vector<uint16_t> indices[2];
  std::vector<uint8_t> decoded[2];
  const int thread_counts[2] = {1, threads};
  for (int run = 0; run < 2; ++run) {
    Check(GridNative_SetNumThreads(thread_counts[run]), "set threads");
    indices[run].resize(static_cast<size_t>(count) * latent * latent);
    decoded[run].resize(pixels.size());
    Check(GridNative_ModelEncode(model, pixels.data(), count, size, size, indices[run].data()), "encode");
    Check(GridNative_ModelDecode(model, indices[0].data(), count, latent, latent, decoded[run].data()), "decode");
  }
  Check(GridNative_SetNumThreads(threads), "set threads");
  size_t index_differences = 0, pixel_differences = 0;
  for (size_t i = 0; i < indices[0].size(); ++i) index_differences += indices[0][i] != indices[1][i];
  for (size_t i = 0; i < pixels.size(); ++i) pixel_differences += decoded[0][i] != decoded[1][i];
  std::printf(
      "{\"check\":\"thread_invariance\",\"size\":%d,\"batch\":%d,\"threads\":[1,%d],\"indices_differing\":%zu,"
      "\"pixels_differing\":%zu}\n",
      size, count, threads, index_differences, pixel_differences);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  bool check = false;
  double min_seconds = 2.0;
  std::vector<int> sizes{128, 256};
  std::vector<int> batches{1, 8, 32};
  std::string device = "cpu";
  GridInferenceOptions inference;
  GridNative_DefaultInferenceOptions(&inference);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--threads")
      threads = std::atoi(next());
    else if (arg == "--sizes")
      sizes = ParseList(next());
    else if (arg == "--batches")
      batches = ParseList(next());
    else if (arg == "--min-seconds")
      min_seconds = std::atof(next());
    else if (arg == "--device")
      device = next();
    else if (arg == "--precision") {
      const std::string precision = next();
      inference.precision = precision == "bf16" ? GRID_PRECISION_BF16 : precision == "tf32" ? GRID_PRECISION_TF32
                            : precision == "fp32" ? GRID_PRECISION_FP32 : -1;
    } else if (arg == "--max-batch")
      inference.max_batch = std::atoi(next());
    else if (arg == "--benchmark-cudnn")
      inference.deterministic = 0;
    else if (arg == "--check")
      check = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  Check(GridNative_SetNumThreads(threads), "set threads");
  Check(GridNative_SetInferenceOptions(&inference), "inference options");
  char info[1024];
  int32_t required = 0;
  Check(GridNative_GetRuntimeInfo(info, sizeof(info), &required), "runtime info");
  std::fprintf(stderr, "%s\n", info);
  GridModelConfig config;
  GridNative_DefaultModelConfig(&config);
  GridModel* model = nullptr;
  Check(GridNative_ModelCreate(&config, device.c_str(), 1, &model), "create");
  const int result = check ? CheckBatchInvariance(model, threads) + CheckThreadInvariance(model, threads)
                           : Bench(model, threads, sizes, batches, min_seconds);
  GridNative_ModelDestroy(model);
  return result;
}
