/* SPDX-License-Identifier: BSD-3-Clause */
// File: validate.h
//
// The entry points: judge a Slicer scene file (.mrml) or bundle (.mrb) the way
// Slicer would read it, before Slicer reads it.
//
//   mrmlguard::Report report = mrmlguard::Validate("case.mrb", mrmlguard::Policy::Default());
//   if (!report.status.ok()) { /* could not read: report.status.message() */ }
//   else if (!report.accepted()) { for (const auto& f : report.findings) ... }
//
// Nothing here throws, touches the network or keeps global state; the same
// input and policy always give the same findings. Nothing writes files,
// except deep mode (Policy::deep), which writes bundle entries to a private
// temporary folder for ITK to read and removes it before returning.

#ifndef MRMLGUARD_VALIDATE_H_
#define MRMLGUARD_VALIDATE_H_

#include "mrmlguard/export.h"
#include "mrmlguard/span.h"

#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"

namespace mrmlguard {

// Validates the file at `path`. The file is opened once; its size is checked
// against policy.limits.max_input_bytes before any content is read; its kind
// (bundle or scene) is decided by content, and the extension only
// cross-checked. Data files that a plain .mrml references are looked up next
// to it (headers only). Never throws.
MRMLGUARD_EXPORT Report Validate(const std::string& path, const Policy& policy);

// Validates bytes held by the caller. `name_hint` stands in for the path in
// the report and is used for the extension cross-check; nothing is read from
// disk (a scene's referenced files are then reported as not checked).
// The bytes must stay valid for the duration of the call.
#if MRMLGUARD_HAS_STD_SPAN
MRMLGUARD_EXPORT Report ValidateBytes(std::span<const uint8_t> bytes, std::string_view name_hint,
                     const Policy& policy);
#endif
// The same for C++17: `size` bytes at `data` (data may be null when size is 0).
MRMLGUARD_EXPORT Report ValidateBytes(const uint8_t* data, size_t size, std::string_view name_hint,
                                      const Policy& policy);

// True when this library was built with ITK (-DMRMLGUARD_WITH_ITK=ON, GCC),
// so that a policy may ask for deep mode (Policy::deep). Without it, a policy
// with deep set is refused (StatusCode::kInvalidArgument), never ignored.
MRMLGUARD_EXPORT bool DeepModeAvailable();

}  // namespace mrmlguard

#endif  // MRMLGUARD_VALIDATE_H_
