// Appends little-endian values to a growing byte vector, whatever the host's byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace grid {

class ByteWriter {
 public:
  void WriteBytes(const void* data, size_t length);
  void WriteU8(uint8_t value) { WriteBytes(&value, 1); }
  void WriteU16(uint16_t value) { WriteLittleEndian(value); }
  void WriteU32(uint32_t value) { WriteLittleEndian(value); }
  void WriteI32(int32_t value) { WriteLittleEndian(static_cast<uint32_t>(value)); }
  void WriteI64(int64_t value) { WriteLittleEndian(static_cast<uint64_t>(value)); }
  // A count of float32 values, each as its IEEE-754 bit pattern, little-endian.
  void WriteFloats(const float* values, size_t count);
  // UTF-8 bytes preceded by their uint16 length.
  void WriteString(const std::string& text);

  size_t size() const { return bytes_.size(); }
  void Reserve(size_t capacity) { bytes_.reserve(capacity); }
  std::vector<uint8_t> Release() { return std::move(bytes_); }

 private:
  template <typename T>
  void WriteLittleEndian(T value) {
    uint8_t buffer[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i) buffer[i] = static_cast<uint8_t>(value >> (8 * i));
    WriteBytes(buffer, sizeof(T));
  }

  std::vector<uint8_t> bytes_;
};

}  // namespace grid
