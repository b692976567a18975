/*
 * grid_native.h: the C ABI of Grid's VQ-VAE codec over libtorch.
 *
 * Conventions (every export follows them):
 *  - Functions return int32_t status codes (GridStatus). On failure the thread-local message from
 *    GridNative_LastError() says what went wrong; no C++ exception ever crosses this boundary.
 *  - Handles are opaque; each Create/Load has a Destroy. Destroy accepts NULL. A handle is not thread-safe:
 *    callers serialise calls on one handle (the managed side does).
 *  - Fixed-width types only. Pixel buffers are 8-bit RGB, interleaved, row-major (N x H x W x 3), contiguous.
 *    Index buffers are uint16 (codebook sizes up to 65536), row-major (N x LH x LW).
 *  - Images given to the model have sides that are positive multiples of GRID_DOWNSAMPLE; the caller pads.
 *  - Pixels map to the model's input as x / 255 - 0.5; outputs map back as round((y + 0.5) * 255) clamped to 0..255.
 *  - Threads: the count set by GridNative_SetNumThreads applies to every calling thread. CPU memory: large
 *    buffers freed inside calls are kept for reuse (at most GRID_NATIVE_CPU_CACHE_MB megabytes, default 1024,
 *    0 disables), which spares the page faults of fresh memory on every call.
 */
#ifndef GRID_NATIVE_H
#define GRID_NATIVE_H

#include <stdint.h>

#if defined(_WIN32)
#define GRID_API __declspec(dllexport)
#else
#define GRID_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any change of a signature or struct layout below; the managed side checks it at load. */
#define GRID_NATIVE_ABI_VERSION 2

/* Spatial reduction of the encoder (two stride-2 convolutions): one index per 4x4 pixel block. */
#define GRID_DOWNSAMPLE 4

typedef enum GridStatus {
  GRID_OK = 0,
  GRID_ERROR_INVALID_ARGUMENT = 1, /* null pointer, size mismatch, bad configuration value */
  GRID_ERROR_INVALID_DATA = 2,     /* malformed weights/state bytes, index >= codebook size */
  GRID_ERROR_DEVICE = 3,           /* unknown device string, or CUDA asked for but not available */
  GRID_ERROR_OUT_OF_MEMORY = 4,
  GRID_ERROR_INTERNAL = 5          /* any other failure inside libtorch */
} GridStatus;

/* Architecture; stored inside the weights bytes. */
typedef struct GridModelConfig {
  int32_t hidden_channels;   /* default 128; encoder's first conv has hidden/2 */
  int32_t residual_channels; /* default 32 */
  int32_t residual_blocks;   /* default 2, in encoder and decoder each */
  int32_t embedding_dim;     /* D, default 64 */
  int32_t codebook_size;     /* K, default 512, at most 65536 */
} GridModelConfig;

typedef enum GridCodebookMode {
  GRID_CODEBOOK_GRADIENT = 0, /* codebook loss ||sg[z_e] - e||^2 trained by Adam */
  GRID_CODEBOOK_EMA = 1       /* exponential moving averages of assigned encoder outputs (no codebook loss) */
} GridCodebookMode;

typedef struct GridTrainConfig {
  float adam_beta1;            /* 0.9 */
  float adam_beta2;            /* 0.999 */
  float adam_epsilon;          /* 1e-8 */
  float weight_decay;          /* 0 */
  float commitment_cost;       /* beta, 0.25 */
  float data_variance;         /* reconstruction MSE is divided by this (variance of the data in model units) */
  float gradient_clip_norm;    /* global L2 norm; <= 0 disables clipping */
  int32_t codebook_mode;       /* GridCodebookMode */
  float ema_decay;             /* gamma, 0.99: for EMA codebook updates and for the usage EMA used in restarts */
  float ema_epsilon;           /* Laplace smoothing of EMA cluster sizes, 1e-5 */
  float dead_code_threshold;   /* a code whose usage EMA (assignments per step) falls below this is re-seeded
                                  from a random encoder output of the current batch; <= 0 disables */
  int32_t train_encoder;       /* 1: update encoder weights; 0: freeze (decoder-only fine-tune) */
  int32_t train_decoder;       /* 1: update decoder weights */
  int32_t train_codebook;      /* 1: update the codebook (by gradient or EMA, per codebook_mode) and restart dead codes */
  uint64_t seed;               /* seeds the trainer's own generator (dead-code restart choices) */
} GridTrainConfig;

typedef struct GridStepResult {
  int64_t step;                /* optimizer steps taken, including this one */
  float loss;                  /* reconstruction_loss + codebook_loss + commitment_cost * commitment_loss */
  float reconstruction_loss;   /* mse / data_variance */
  float mse;                   /* mean squared error in model units (pixels / 255) */
  float codebook_loss;         /* ||sg[z_e] - e||^2 (reported in EMA mode too, where it is not optimised) */
  float commitment_loss;       /* ||z_e - sg[e]||^2, unscaled */
  float perplexity;            /* exp(-sum p log p) of this batch's code assignments */
  float gradient_norm;         /* global L2 norm before clipping */
  int32_t codes_used;          /* distinct codes assigned in this batch */
  int32_t codes_restarted;     /* dead codes re-seeded during this step */
} GridStepResult;

typedef struct GridKMeansResult {
  int32_t iterations;          /* Lloyd iterations run */
  int32_t empty_clusters;      /* empty clusters re-seeded (farthest points) over all iterations */
  float inertia;               /* mean squared distance of points to their centre after the last assignment */
  float max_shift;             /* largest centre movement (L2) in the last iteration */
} GridKMeansResult;

/* Arithmetic of inference (encode, decode, latents) on CUDA. CPU models always compute in float32. */
typedef enum GridPrecision {
  GRID_PRECISION_FP32 = 0, /* float32 everywhere, TF32 tensor cores off */
  GRID_PRECISION_TF32 = 1, /* float32 tensors, convolutions and products may use TF32 tensor cores */
  GRID_PRECISION_BF16 = 2  /* encoder and decoder in bfloat16 (weights cast once, channels-last); the nearest-code
                              search stays float32 on the float32 codebook */
} GridPrecision;

/* Process-wide inference settings (like the thread count): they apply to every model's next call. */
typedef struct GridInferenceOptions {
  int32_t precision;     /* GridPrecision; default GRID_PRECISION_FP32 */
  int32_t max_batch;     /* most images one device pass takes: larger calls run as consecutive passes of at most
                            this many images, and on CUDA the host<->device copies of one pass overlap the compute
                            of the next (pinned, reused host buffers). <= 0: the whole call in one pass (default 0),
                            at most 1048576 */
  int32_t deterministic; /* 1 (default): cuDNN deterministic algorithms, no autotuning; 0: cuDNN benchmark mode
                            (autotuned per shape, results may vary run to run) */
} GridInferenceOptions;

typedef struct GridModel GridModel;
typedef struct GridTrainer GridTrainer;
typedef struct GridBuffer GridBuffer;

/* ---- runtime ---- */

/* Message of the last failed call on this thread; valid until the next call on this thread. Never NULL. */
GRID_API const char* GridNative_LastError(void);
GRID_API int32_t GridNative_AbiVersion(void);
/* Intra-op threads for CPU work (libtorch/OpenMP); n >= 1. */
GRID_API int32_t GridNative_SetNumThreads(int32_t n);
GRID_API int32_t GridNative_GetNumThreads(int32_t* n);
/* Number of CUDA devices usable by this build (0 for a CPU-only libtorch). */
GRID_API int32_t GridNative_CudaDeviceCount(int32_t* count);
/* UTF-8 JSON describing the build: {"torch":"1.13.1","cuda":false,"cuda_devices":0,"blas":"...","mkldnn":true,
   "threads":2,"abi":1}. Writes at most capacity bytes including the terminator; *required gets the full size. */
GRID_API int32_t GridNative_GetRuntimeInfo(char* buffer, int32_t capacity, int32_t* required);
GRID_API void GridNative_DefaultModelConfig(GridModelConfig* config);
GRID_API void GridNative_DefaultInferenceOptions(GridInferenceOptions* options);
/* Validates (unknown precision -> GRID_ERROR_INVALID_ARGUMENT) and applies to the next call of every model.
   Set it at startup, not while other threads are encoding. */
GRID_API int32_t GridNative_SetInferenceOptions(const GridInferenceOptions* options);
GRID_API int32_t GridNative_GetInferenceOptions(GridInferenceOptions* options);
GRID_API void GridNative_DefaultTrainConfig(GridTrainConfig* config);

/* ---- byte buffers returned by serialisation ---- */

GRID_API int32_t GridNative_BufferGet(const GridBuffer* buffer, const uint8_t** data, int64_t* length);
GRID_API void GridNative_BufferDestroy(GridBuffer* buffer);

/* ---- model ---- */

/* device: "cpu", "cuda" or "cuda:N". Weights initialised deterministically from seed. */
GRID_API int32_t GridNative_ModelCreate(const GridModelConfig* config, const char* device, uint64_t seed,
                                        GridModel** model);
/* Serialised weights in Grid's own format (config + named float32 tensors, little-endian), identical for the
   same weights whatever the device, so the bytes can be hashed into a model fingerprint. */
GRID_API int32_t GridNative_ModelSave(GridModel* model, GridBuffer** weights);
GRID_API int32_t GridNative_ModelLoad(const uint8_t* weights, int64_t length, const char* device, GridModel** model);
GRID_API void GridNative_ModelDestroy(GridModel* model);
GRID_API int32_t GridNative_ModelGetConfig(const GridModel* model, GridModelConfig* config);
GRID_API int32_t GridNative_ModelParameterCount(const GridModel* model, int64_t* count);

/* rgb: count x height x width x 3. indices: count x (height/4) x (width/4). */
GRID_API int32_t GridNative_ModelEncode(GridModel* model, const uint8_t* rgb, int32_t count, int32_t height,
                                        int32_t width, uint16_t* indices);
/* indices: count x latent_height x latent_width; rgb: count x (latent_height*4) x (latent_width*4) x 3.
   An index >= codebook_size fails with GRID_ERROR_INVALID_DATA naming its position; nothing is decoded. */
GRID_API int32_t GridNative_ModelDecode(GridModel* model, const uint16_t* indices, int32_t count,
                                        int32_t latent_height, int32_t latent_width, uint8_t* rgb);
/* Encoder outputs before quantisation, one D-vector per latent position:
   latents: count x (height/4) x (width/4) x D floats. Used for k-means codebook (re)initialisation. */
GRID_API int32_t GridNative_ModelEncodeLatents(GridModel* model, const uint8_t* rgb, int32_t count, int32_t height,
                                               int32_t width, float* latents);
/* codebook: K x D floats, row-major; count must equal K * D. */
GRID_API int32_t GridNative_ModelGetCodebook(const GridModel* model, float* codebook, int64_t count);
GRID_API int32_t GridNative_ModelSetCodebook(GridModel* model, const float* codebook, int64_t count);

/* ---- training ---- */

/* The trainer holds Adam moments, codebook EMA state, usage EMA and its own generator. It keeps a reference
   to the model, which must outlive it. The codebook EMA state starts as after
   GridNative_TrainerResetCodebookState(dead_code_threshold), or (1) when restarts are disabled. */
GRID_API int32_t GridNative_TrainerCreate(GridModel* model, const GridTrainConfig* config, GridTrainer** trainer);
GRID_API void GridNative_TrainerDestroy(GridTrainer* trainer);
/* One optimizer step on a batch (the caller crops and flips). code_counts (nullable): K int64 assignment
   counts of this batch, written before any restart. */
GRID_API int32_t GridNative_TrainerStep(GridTrainer* trainer, const uint8_t* rgb, int32_t count, int32_t height,
                                        int32_t width, float learning_rate, GridStepResult* result,
                                        int64_t* code_counts);
/* Re-derives codebook EMA state from the model's current codebook (call after GridNative_ModelSetCodebook):
   EMA cluster sizes and usage EMA set to initial_usage for every code, EMA sums to codebook * initial_usage. */
GRID_API int32_t GridNative_TrainerResetCodebookState(GridTrainer* trainer, float initial_usage);
/* Usage EMA per code (K floats): what dead-code restart compares with its threshold. */
GRID_API int32_t GridNative_TrainerGetCodeUsage(const GridTrainer* trainer, float* usage, int64_t count);
/* Complete training state (step, Adam moments, EMA state, usage EMA, generator state; not the weights, which
   GridNative_ModelSave covers) so that a resumed run continues bit-identically. */
GRID_API int32_t GridNative_TrainerSaveState(GridTrainer* trainer, GridBuffer** state);
GRID_API int32_t GridNative_TrainerLoadState(GridTrainer* trainer, const uint8_t* state, int64_t length);

/* ---- k-means (Lloyd) ---- */

/* points: n x dim floats. initial (nullable): k x dim starting centres; NULL seeds by k-means++ from seed (over a
   uniform sample of max(16384, 64 k) points when n is larger).
   Iterates assign-to-nearest / move-to-mean until the largest centre shift is below tolerance or
   max_iterations is reached; an empty cluster is re-seeded with the point farthest from its centre.
   centres: k x dim floats out. device as for models ("cpu" when NULL). */
GRID_API int32_t GridNative_KMeans(const float* points, int64_t n, int32_t dim, int32_t k, const float* initial,
                                   int32_t max_iterations, float tolerance, uint64_t seed, const char* device,
                                   float* centres, GridKMeansResult* result);

#ifdef __cplusplus
}
#endif

#endif /* GRID_NATIVE_H */
