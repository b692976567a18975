#include "byte_writer.h"

#include <cstring>
#include <limits>
#include <stdexcept>

namespace grid {

void ByteWriter::WriteBytes(const void* data, size_t length) {
  const auto* first = static_cast<const uint8_t*>(data);
  bytes_.insert(bytes_.end(), first, first + length);
}

void ByteWriter::WriteFloats(const float* values, size_t count) {
  const size_t offset = bytes_.size();
  bytes_.resize(offset + count * sizeof(float));
  uint8_t* out = bytes_.data() + offset;
  if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    std::memcpy(out, values, count * sizeof(float));
  } else {
    for (size_t i = 0; i < count; ++i) {
      uint32_t bits = 0;
      std::memcpy(&bits, &values[i], sizeof(bits));
      for (size_t b = 0; b < sizeof(bits); ++b) out[i * sizeof(bits) + b] = static_cast<uint8_t>(bits >> (8 * b));
    }
  }
}

void ByteWriter::WriteString(const std::string& text) {
  if (text.size() > std::numeric_limits<uint16_t>::max()) throw std::length_error("string too long to serialise");
  WriteU16(static_cast<uint16_t>(text.size()));
  WriteBytes(text.data(), text.size());
}

}  // namespace grid
