#include "byte_reader.h"

#include <cstring>

#include "errors.h"

namespace grid {

ByteReader::ByteReader(const uint8_t* data, int64_t length, std::string document)
    : data_(data), length_(length), document_(std::move(document)) {}

const uint8_t* ByteReader::ReadBytes(int64_t length, const char* field) {
  if (length < 0 || length > remaining()) {
    Fail("truncated: " + std::string(field) + " needs " + std::to_string(length) + " bytes but only " +
         std::to_string(remaining()) + " remain");
  }
  const uint8_t* bytes = data_ + offset_;
  offset_ += length;
  return bytes;
}

void ByteReader::ReadFloats(float* values, int64_t count, const char* field) {
  if (count < 0 || count > remaining() / static_cast<int64_t>(sizeof(float))) {
    Fail("truncated: " + std::string(field) + " needs " + std::to_string(count) + " float32 values but only " +
         std::to_string(remaining()) + " bytes remain");
  }
  const uint8_t* bytes = ReadBytes(count * static_cast<int64_t>(sizeof(float)), field);
  if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    std::memcpy(values, bytes, static_cast<size_t>(count) * sizeof(float));
  } else {
    for (int64_t i = 0; i < count; ++i) {
      uint32_t bits = 0;
      for (size_t b = 0; b < sizeof(bits); ++b) bits |= static_cast<uint32_t>(bytes[i * 4 + b]) << (8 * b);
      std::memcpy(&values[i], &bits, sizeof(bits));
    }
  }
}

std::string ByteReader::ReadString(const char* field) {
  const uint16_t length = ReadU16(field);
  const uint8_t* bytes = ReadBytes(length, field);
  return std::string(reinterpret_cast<const char*>(bytes), length);
}

void ByteReader::ExpectEnd() const {
  if (remaining() != 0) Fail(std::to_string(remaining()) + " unexpected trailing bytes after the last field");
}

void ByteReader::Fail(const std::string& message) const {
  ThrowInvalidData(document_ + ": " + message + " (at byte " + std::to_string(offset_) + ")");
}

}  // namespace grid
