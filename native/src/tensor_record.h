// One named float32 tensor in Grid's binary formats (docs/weights-format.md):
//   name (uint16 length + UTF-8) | rank (uint8) | rank x int64 dims | prod(dims) x float32, all little-endian.
#pragma once

#include <string>

#include "byte_reader.h"
#include "byte_writer.h"
#include "torch_includes.h"

namespace grid {

// Writes tensor (any device, float32) under name; the bytes depend only on the values, not the device.
void WriteTensorRecord(ByteWriter& writer, const std::string& name, const torch::Tensor& tensor);

// Reads the next record, which must be called expected_name and have destination's shape, into destination
// (any device, float32). index is the record's position, for messages. Non-finite values are rejected when
// require_finite is set.
void ReadTensorRecord(ByteReader& reader, int64_t index, const std::string& expected_name, torch::Tensor& destination,
                      bool require_finite);

}  // namespace grid
