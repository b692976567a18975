#include "device_pipeline.h"

#include <c10/core/DeviceGuard.h>
#include <c10/core/Event.h>
#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <memory>
#include <thread>
#include <utility>

namespace grid {
namespace {

// libtorch 2.x events can block the host until they complete; 1.13's c10::Event cannot, so there the host polls.
template <typename Event>
auto WaitFor(const Event& event, int) -> decltype(event.synchronize(), void()) {
  event.synchronize();
}

template <typename Event>
void WaitFor(const Event& event, long) {
  while (!event.query()) std::this_thread::yield();
}

int64_t Elements(int64_t count, const std::vector<int64_t>& shape) {
  int64_t elements = count;
  for (const int64_t side : shape) elements *= side;
  return elements;
}

std::vector<int64_t> BatchShape(int64_t count, const std::vector<int64_t>& shape) {
  std::vector<int64_t> sizes{count};
  sizes.insert(sizes.end(), shape.begin(), shape.end());
  return sizes;
}

}  // namespace

std::vector<DevicePipeline::Pass> DevicePipeline::Passes(int64_t items, int64_t max_batch) {
  const int64_t step = max_batch > 0 ? max_batch : items;
  std::vector<Pass> passes;
  for (int64_t first = 0; first < items; first += step) passes.push_back({first, std::min(step, items - first)});
  return passes;
}

torch::Tensor DevicePipeline::HostTensor(int slot, int direction, int64_t count, const std::vector<int64_t>& shape,
                                         torch::ScalarType type, bool pinned) {
  const int64_t bytes = Elements(count, shape) * static_cast<int64_t>(c10::elementSize(type));
  torch::Tensor& buffer = buffers_[slot][direction];
  if (!buffer.defined() || buffer.numel() < bytes || pinned_[slot][direction] != pinned) {
    buffer = torch::Tensor();  // release the old buffer before taking a larger one
    buffer = torch::empty({bytes}, torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(pinned));
    pinned_[slot][direction] = pinned;
  }
  return buffer.narrow(0, 0, bytes).view(type).view(BatchShape(count, shape));
}

void DevicePipeline::Run(const torch::Device& device, const Spec& spec, const Fill& fill, const Compute& compute,
                         const Drain& drain) {
  const std::vector<Pass> passes = Passes(spec.items, spec.max_batch);
  if (!device.is_cpu()) {
    RunOnAccelerator(device, spec, passes, fill, compute, drain);
    return;
  }
  for (const Pass& pass : passes) {
    const torch::Tensor input = HostTensor(0, 0, pass.count, spec.input_shape, spec.input_type, false);
    fill(pass, input);
    const torch::Tensor output = compute(input).contiguous();
    drain(pass, output);
  }
}

void DevicePipeline::RunOnAccelerator(const torch::Device& device, const Spec& spec, const std::vector<Pass>& passes,
                                      const Fill& fill, const Compute& compute, const Drain& drain) {
  const c10::impl::VirtualGuardImpl impl(device.type());
  const c10::DeviceGuard on_device(device);
  const c10::Stream compute_stream = impl.getStream(device);
  const c10::Stream copy_in = impl.getStreamFromGlobalPool(device);
  const c10::Stream copy_out = impl.getStreamFromGlobalPool(device);

  struct InFlight {
    Pass pass;
    torch::Tensor device_input;
    torch::Tensor device_output;
    torch::Tensor host_output;
    std::unique_ptr<c10::Event> copied_out;
  };
  // Stages and queues pass index: host -> pinned (this thread), pinned -> device (copy_in), compute (current
  // stream, after the copy), device -> pinned (copy_out, after the compute). Device tensors are marked as used
  // on the other streams so that the caching allocator does not hand their memory out early.
  auto launch = [&](size_t index) {
    const int slot = static_cast<int>(index % 2);
    InFlight flight;
    flight.pass = passes[index];
    const torch::Tensor host_input = HostTensor(slot, 0, flight.pass.count, spec.input_shape, spec.input_type, true);
    fill(flight.pass, host_input);
    c10::Event input_ready(device.type());
    {
      const c10::StreamGuard on_copy_in(copy_in);
      flight.device_input = host_input.to(host_input.options().device(device), /*non_blocking=*/true);
      input_ready.record(copy_in);
    }
    input_ready.block(compute_stream);
    impl.recordDataPtrOnStream(flight.device_input.storage().data_ptr(), compute_stream);
    flight.device_output = compute(flight.device_input).contiguous();
    c10::Event computed(device.type());
    computed.record(compute_stream);
    computed.block(copy_out);
    {
      const c10::StreamGuard on_copy_out(copy_out);
      flight.host_output = HostTensor(slot, 1, flight.pass.count, spec.output_shape, spec.output_type, true);
      flight.host_output.copy_(flight.device_output, /*non_blocking=*/true);
      impl.recordDataPtrOnStream(flight.device_output.storage().data_ptr(), copy_out);
      flight.copied_out = std::make_unique<c10::Event>(device.type());
      flight.copied_out->record(copy_out);
    }
    return flight;
  };

  // Slot s of pass i + 1 was last used by pass i - 1, which was drained (so its copies are complete) before
  // pass i + 1 is staged.
  InFlight current = launch(0);
  for (size_t index = 0; index < passes.size(); ++index) {
    InFlight next;
    if (index + 1 < passes.size()) next = launch(index + 1);
    WaitFor(*current.copied_out, 0);
    drain(current.pass, current.host_output);
    current = std::move(next);
  }
}

}  // namespace grid
