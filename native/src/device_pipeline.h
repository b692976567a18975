// A batch call run as consecutive passes of at most max_batch items. On an accelerator each pass's input is
// staged in a reused pinned host buffer, copied in on a copy stream, computed on the current stream and copied
// out on a second copy stream into another reused pinned buffer; the next pass is staged and queued before the
// host waits for the current one, so its copies and compute overlap the current pass and the host's draining
// (two buffer slots). On the CPU the passes simply run one after the other through plain host buffers.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "torch_includes.h"

namespace grid {

class DevicePipeline {
 public:
  struct Pass {
    int64_t first;  // index of the pass's first item in the call
    int64_t count;  // items in this pass
  };

  struct Spec {
    int64_t items;                      // items in the whole call
    int64_t max_batch;                  // most items per pass; <= 0: one pass
    std::vector<int64_t> input_shape;   // per item, without the leading batch dimension
    torch::ScalarType input_type;
    std::vector<int64_t> output_shape;  // per item
    torch::ScalarType output_type;
  };

  // Writes the pass's input (count x input_shape, contiguous, on the host) from the caller's memory.
  using Fill = std::function<void(const Pass&, const torch::Tensor& host_input)>;
  // Turns the pass's input (on the device) into its output (count x output_shape of output_type, on the device).
  using Compute = std::function<torch::Tensor(const torch::Tensor& device_input)>;
  // Reads the pass's output (count x output_shape, contiguous, on the host) into the caller's memory.
  using Drain = std::function<void(const Pass&, const torch::Tensor& host_output)>;

  void Run(const torch::Device& device, const Spec& spec, const Fill& fill, const Compute& compute,
           const Drain& drain);

  // The passes a call of items items is split into.
  static std::vector<Pass> Passes(int64_t items, int64_t max_batch);

 private:
  // A contiguous count x shape tensor over the reused host buffer of (slot, input/output), grown as needed.
  torch::Tensor HostTensor(int slot, int direction, int64_t count, const std::vector<int64_t>& shape,
                           torch::ScalarType type, bool pinned);
  void RunOnAccelerator(const torch::Device& device, const Spec& spec, const std::vector<Pass>& passes,
                        const Fill& fill, const Compute& compute, const Drain& drain);

  torch::Tensor buffers_[2][2];  // [slot][0: input, 1: output], uint8
  bool pinned_[2][2] = {{false, false}, {false, false}};
};

}  // namespace grid
