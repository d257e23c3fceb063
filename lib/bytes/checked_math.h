// SPDX-License-Identifier: BSD-3-Clause
// File: checked_math.h
//
// Checked arithmetic for values that come from the file. Every sum or product
// of file-declared sizes and offsets goes through these: they return false
// (leaving *out unspecified) instead of wrapping.

#ifndef MRMLGUARD_LIB_BYTES_CHECKED_MATH_H_
#define MRMLGUARD_LIB_BYTES_CHECKED_MATH_H_

#include <cstdint>
#include <limits>
#include <type_traits>

namespace mrmlguard::internal {

template <typename T>
[[nodiscard]] constexpr bool CheckedAdd(T a, T b, T* out) {
  static_assert(std::is_integral_v<T>);
  return !__builtin_add_overflow(a, b, out);
}

template <typename T>
[[nodiscard]] constexpr bool CheckedSub(T a, T b, T* out) {
  static_assert(std::is_integral_v<T>);
  return !__builtin_sub_overflow(a, b, out);
}

template <typename T>
[[nodiscard]] constexpr bool CheckedMul(T a, T b, T* out) {
  static_assert(std::is_integral_v<T>);
  return !__builtin_mul_overflow(a, b, out);
}

// Narrows `value` to `To` when it fits; false otherwise.
template <typename To, typename From>
[[nodiscard]] constexpr bool CheckedCast(From value, To* out) {
  static_assert(std::is_integral_v<To> && std::is_integral_v<From>);
  if constexpr (std::is_signed_v<From>) {
    if (value < 0) {
      if constexpr (std::is_unsigned_v<To>) return false;
      if (static_cast<intmax_t>(value) < static_cast<intmax_t>(std::numeric_limits<To>::min())) {
        return false;
      }
    }
  }
  if (value > 0 && static_cast<uintmax_t>(value) > static_cast<uintmax_t>(std::numeric_limits<To>::max())) {
    return false;
  }
  *out = static_cast<To>(value);
  return true;
}

// True when [offset, offset + length) lies inside [0, size): computed by
// subtraction so nothing past `size` is ever formed.
[[nodiscard]] constexpr bool RangeInside(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_BYTES_CHECKED_MATH_H_
