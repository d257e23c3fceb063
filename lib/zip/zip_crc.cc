// SPDX-License-Identifier: BSD-3-Clause
#include "zip/zip_crc.h"

#include <zlib.h>

#if defined(MRMLGUARD_HAVE_LIBDEFLATE)
#include <libdeflate.h>
#endif

namespace mrmlguard::internal {

uint32_t Crc32UpdateZlib(uint32_t crc, std::span<const uint8_t> bytes) {
  return static_cast<uint32_t>(crc32_z(crc, bytes.data(), bytes.size()));
}

uint32_t Crc32Update(uint32_t crc, std::span<const uint8_t> bytes) {
#if defined(MRMLGUARD_HAVE_LIBDEFLATE)
  return libdeflate_crc32(crc, bytes.data(), bytes.size());
#else
  return Crc32UpdateZlib(crc, bytes);
#endif
}

}  // namespace mrmlguard::internal
