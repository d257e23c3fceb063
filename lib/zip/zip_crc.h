// SPDX-License-Identifier: BSD-3-Clause
// File: zip_crc.h
//
// CRC-32 (ISO-HDLC, the ZIP and zlib CRC) over a chunk, continuing `crc`
// (start with 0). Uses libdeflate's PCLMUL/ARM-CRC code when the build found
// libdeflate (docs/bench/zip.md: several times faster than zlib 1.2.13's
// crc32), zlib's otherwise; both give identical results.

#ifndef MRMLGUARD_LIB_ZIP_ZIP_CRC_H_
#define MRMLGUARD_LIB_ZIP_ZIP_CRC_H_

#include <cstdint>
#include <span>

namespace mrmlguard::internal {

uint32_t Crc32Update(uint32_t crc, std::span<const uint8_t> bytes);
// The zlib implementation, always available (for the benchmark and tests).
uint32_t Crc32UpdateZlib(uint32_t crc, std::span<const uint8_t> bytes);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_CRC_H_
