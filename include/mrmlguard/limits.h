/* SPDX-License-Identifier: BSD-3-Clause */
// File: limits.h
//
// Limits bound the work and memory mrmlguard spends on one input. Every field
// is an inclusive maximum: a value equal to the limit passes, one above it is
// refused with a finding that names the field, e.g.
//   "limit max_xml_depth (64) reached at line 9120"
//
// All fields, their defaults and their descriptions come from limits.def, the
// one list of limits; docs/limits.md is generated from it.
//
// Example:
//   mrmlguard::Limits limits = mrmlguard::Limits::Default();
//   limits.max_zip_entries = 500;
//   if (!limits.Set("max_xml_depth", "32")) { /* unknown name or bad number */ }

#ifndef MRMLGUARD_LIMITS_H_
#define MRMLGUARD_LIMITS_H_

#include "mrmlguard/export.h"
#include "mrmlguard/span.h"

#include <cstdint>
#include <cstddef>
#include <string_view>

namespace mrmlguard {

struct MRMLGUARD_EXPORT Limits {
#define MRMLGUARD_LIMIT(name, def, strict, fuzz, doc) uint64_t name = (def);
#include "mrmlguard/limits.def"
#undef MRMLGUARD_LIMIT

  // Returns the defaults, tuned on real Slicer scenes.
  static Limits Default();
  // Returns the limits of the strict profile.
  static Limits Strict();
  // Returns limits small enough that no fuzzer run can exhaust memory.
  static Limits ForFuzzing();

  // Sets the field called `name` from a decimal string (suffixes K, M, G for
  // powers of 1024 are accepted). Returns false, changing nothing, when the
  // name is unknown or the value is not a number in range.
  bool Set(std::string_view name, std::string_view value);
  // Returns the value of the field called `name`, or false when unknown.
  bool Get(std::string_view name, uint64_t* value) const;
};

// Describes one field of Limits, for help texts and documentation.
struct LimitInfo {
  std::string_view name;
  uint64_t default_value;
  uint64_t strict_value;
  std::string_view description;
};

#if MRMLGUARD_HAS_STD_SPAN
// Returns every limit in declaration order.
MRMLGUARD_EXPORT std::span<const LimitInfo> AllLimits();
#endif
// The same for C++17: the first limit, and the number of limits in *count.
MRMLGUARD_EXPORT const LimitInfo* AllLimits(size_t* count);

}  // namespace mrmlguard

#endif  // MRMLGUARD_LIMITS_H_
