// SPDX-License-Identifier: BSD-3-Clause
// File: quote.h
//
// Quote() makes untrusted bytes (entry names, attribute values, paths) safe to
// put in a finding message: wrapped in double quotes, with '"' and '\\'
// escaped, control bytes and bytes that are not valid UTF-8 written as \xNN,
// and cut after `max_bytes` with "..." so one hostile value cannot flood a
// report.

#ifndef MRMLGUARD_LIB_FINDINGS_QUOTE_H_
#define MRMLGUARD_LIB_FINDINGS_QUOTE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace mrmlguard::internal {

std::string Quote(std::string_view untrusted, size_t max_bytes = 160);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_FINDINGS_QUOTE_H_
