#include "tensor_record.h"

#include <cmath>
#include <sstream>
#include <vector>

namespace grid {
namespace {

constexpr int kMaxRank = 8;

std::string ShapeText(const std::vector<int64_t>& dims) {
  std::ostringstream text;
  text << '[';
  for (size_t i = 0; i < dims.size(); ++i) text << (i ? ", " : "") << dims[i];
  text << ']';
  return text.str();
}

}  // namespace

void WriteTensorRecord(ByteWriter& writer, const std::string& name, const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
  writer.WriteString(name);
  writer.WriteU8(static_cast<uint8_t>(values.dim()));
  for (int64_t dim : values.sizes()) writer.WriteI64(dim);
  writer.WriteFloats(values.data_ptr<float>(), static_cast<size_t>(values.numel()));
}

void ReadTensorRecord(ByteReader& reader, int64_t index, const std::string& expected_name, torch::Tensor& destination,
                      bool require_finite) {
  const std::string label = "tensor " + std::to_string(index) + " ('" + expected_name + "')";
  const std::string name = reader.ReadString("tensor name");
  if (name != expected_name) {
    reader.Fail("tensor " + std::to_string(index) + " should be '" + expected_name + "' but is named '" + name + "'");
  }
  const int rank = reader.ReadU8("tensor rank");
  const std::vector<int64_t> expected(destination.sizes().begin(), destination.sizes().end());
  if (rank > kMaxRank)
    reader.Fail(label + " has rank " + std::to_string(rank) + ", more than " + std::to_string(kMaxRank));
  std::vector<int64_t> dims(static_cast<size_t>(rank));
  for (auto& dim : dims) dim = reader.ReadI64("tensor dimension");
  if (dims != expected) {
    reader.Fail(label + " has shape " + ShapeText(dims) + ", expected " + ShapeText(expected));
  }
  torch::Tensor values = torch::empty(destination.sizes(), torch::kFloat);
  reader.ReadFloats(values.data_ptr<float>(), values.numel(), "tensor data");
  if (require_finite) {
    const float* data = values.data_ptr<float>();
    for (int64_t i = 0; i < values.numel(); ++i) {
      if (!std::isfinite(data[i])) {
        reader.Fail(label + " holds a non-finite value (" + std::to_string(data[i]) + ") at element " +
                    std::to_string(i));
      }
    }
  }
  torch::NoGradGuard no_grad;
  destination.copy_(values);
}

}  // namespace grid
