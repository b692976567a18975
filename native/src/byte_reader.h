// Reads little-endian values from a caller's byte range. Running past the end throws
// GridError(GRID_ERROR_INVALID_DATA) naming the document, the field and the offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace grid {

class ByteReader {
 public:
  // document names what is being read in messages ("weights", "trainer state").
  ByteReader(const uint8_t* data, int64_t length, std::string document);

  const uint8_t* ReadBytes(int64_t length, const char* field);
  uint8_t ReadU8(const char* field) { return *ReadBytes(1, field); }
  uint16_t ReadU16(const char* field) { return ReadLittleEndian<uint16_t>(field); }
  uint32_t ReadU32(const char* field) { return ReadLittleEndian<uint32_t>(field); }
  int32_t ReadI32(const char* field) { return static_cast<int32_t>(ReadLittleEndian<uint32_t>(field)); }
  int64_t ReadI64(const char* field) { return static_cast<int64_t>(ReadLittleEndian<uint64_t>(field)); }
  void ReadFloats(float* values, int64_t count, const char* field);
  std::string ReadString(const char* field);

  int64_t offset() const { return offset_; }
  int64_t remaining() const { return length_ - offset_; }
  const std::string& document() const { return document_; }
  // Fails when bytes are left after the last field.
  void ExpectEnd() const;
  // Throws GridError(GRID_ERROR_INVALID_DATA) with "<document>: <message> (at byte <offset>)".
  [[noreturn]] void Fail(const std::string& message) const;

 private:
  template <typename T>
  T ReadLittleEndian(const char* field) {
    const uint8_t* bytes = ReadBytes(sizeof(T), field);
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(bytes[i]) << (8 * i));
    return value;
  }

  const uint8_t* data_;
  int64_t length_;
  int64_t offset_ = 0;
  std::string document_;
};

}  // namespace grid
