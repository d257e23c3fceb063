// SPDX-License-Identifier: BSD-3-Clause
// Limits profiles and name-based access, all generated from limits.def.

#include <array>
#include <charconv>
#include <string_view>

#include "bytes/checked_math.h"
#include "mrmlguard/limits.h"

namespace mrmlguard {
namespace {

constexpr LimitInfo kLimits[] = {
#define MRMLGUARD_LIMIT(name, def, strict, fuzz, doc) {#name, def, strict, doc},
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT
};

}  // namespace

Limits Limits::Default() { return Limits{}; }

Limits Limits::Strict() {
  Limits l;
#define MRMLGUARD_LIMIT(name, def, strict, fuzz, doc) l.name = (strict);
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT
  return l;
}

Limits Limits::ForFuzzing() {
  Limits l;
#define MRMLGUARD_LIMIT(name, def, strict, fuzz, doc) l.name = (fuzz);
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT
  return l;
}

bool Limits::Set(std::string_view name, std::string_view value) {
  uint64_t multiplier = 1;
  if (!value.empty()) {
    switch (value.back()) {
      case 'K': case 'k': multiplier = 1ull << 10; break;
      case 'M': case 'm': multiplier = 1ull << 20; break;
      case 'G': case 'g': multiplier = 1ull << 30; break;
      default: break;
    }
    if (multiplier != 1) value.remove_suffix(1);
  }
  uint64_t number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (value.empty() || ec != std::errc() || ptr != end) return false;
  if (!internal::CheckedMul(number, multiplier, &number)) return false;
#define MRMLGUARD_LIMIT(field, def, strict, fuzz, doc) \
  if (name == #field) {                                \
    field = number;                                    \
    return true;                                       \
  }
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT
  return false;
}

bool Limits::Get(std::string_view name, uint64_t* value) const {
#define MRMLGUARD_LIMIT(field, def, strict, fuzz, doc) \
  if (name == #field) {                                \
    *value = field;                                    \
    return true;                                       \
  }
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT
  return false;
}

std::span<const LimitInfo> AllLimits() { return kLimits; }

const LimitInfo* AllLimits(size_t* count) {
  if (count != nullptr) *count = AllLimits().size();
  return AllLimits().data();
}

}  // namespace mrmlguard
