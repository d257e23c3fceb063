// SPDX-License-Identifier: BSD-3-Clause
// File: zip_text.h
//
// Numbers in the ZIP layer's finding messages: decimal for sizes, counts and
// offsets, hexadecimal for signatures, ids, flags and CRCs.

#ifndef MRMLGUARD_LIB_ZIP_ZIP_TEXT_H_
#define MRMLGUARD_LIB_ZIP_ZIP_TEXT_H_

#include <cstdint>
#include <string>

namespace mrmlguard::internal {

inline std::string Num(uint64_t v) { return std::to_string(v); }

// "0x" and the lower-case hex digits, no padding ("0x7875", "0x0").
inline std::string Hex(uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return "0x" + digits;
}

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_TEXT_H_
