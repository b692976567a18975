#include "weights_format.h"

#include <cstring>
#include <string>

#include "arguments.h"
#include "byte_reader.h"
#include "byte_writer.h"
#include "errors.h"
#include "tensor_record.h"

namespace grid {

std::vector<uint8_t> WeightsFormat::Write(VqVaeModel& model) {
  ByteWriter writer;
  writer.Reserve(64 + static_cast<size_t>(VqVaeModelImpl::ParameterCount(model->config())) * sizeof(float) + 4096);
  writer.WriteBytes(kMagic, sizeof(kMagic));
  writer.WriteU32(kVersion);
  const GridModelConfig& config = model->config();
  writer.WriteI32(config.hidden_channels);
  writer.WriteI32(config.residual_channels);
  writer.WriteI32(config.residual_blocks);
  writer.WriteI32(config.embedding_dim);
  writer.WriteI32(config.codebook_size);
  const auto parameters = model->named_parameters(/*recurse=*/true);
  writer.WriteU32(static_cast<uint32_t>(parameters.size()));
  for (const auto& parameter : parameters) WriteTensorRecord(writer, parameter.key(), parameter.value());
  return writer.Release();
}

VqVaeModel WeightsFormat::Read(const uint8_t* data, int64_t length) {
  ByteReader reader(data, length, "weights");
  const uint8_t* magic = reader.ReadBytes(sizeof(kMagic), "magic");
  if (std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) reader.Fail("not a Grid weights file (magic is not \"GRIDW\")");
  const uint32_t version = reader.ReadU32("format version");
  if (version != kVersion) {
    reader.Fail("format version " + std::to_string(version) + " is not supported (this library reads version " +
                std::to_string(kVersion) + ")");
  }
  GridModelConfig config{};
  config.hidden_channels = reader.ReadI32("hidden_channels");
  config.residual_channels = reader.ReadI32("residual_channels");
  config.residual_blocks = reader.ReadI32("residual_blocks");
  config.embedding_dim = reader.ReadI32("embedding_dim");
  config.codebook_size = reader.ReadI32("codebook_size");
  try {
    ValidateModelConfig(config);
  } catch (const GridError& error) {
    reader.Fail(std::string("invalid model configuration: ") + error.what());
  }
  const uint32_t tensor_count = reader.ReadU32("tensor count");
  // Check the size the configuration implies before allocating anything it asks for.
  const int64_t expected_values = VqVaeModelImpl::ParameterCount(config);
  if (expected_values > reader.remaining() / static_cast<int64_t>(sizeof(float))) {
    reader.Fail("truncated: the configuration needs " + std::to_string(expected_values) +
                " float32 parameters but only " + std::to_string(reader.remaining()) + " bytes remain");
  }
  VqVaeModel model(config);
  auto parameters = model->named_parameters(/*recurse=*/true);
  if (tensor_count != parameters.size()) {
    reader.Fail("holds " + std::to_string(tensor_count) + " tensors, the configuration has " +
                std::to_string(parameters.size()));
  }
  int64_t index = 0;
  for (auto& parameter : parameters) ReadTensorRecord(reader, index++, parameter.key(), parameter.value(), true);
  reader.ExpectEnd();
  return model;
}

}  // namespace grid
