// SPDX-License-Identifier: BSD-3-Clause
// File: identify.h
//
// What a data file is, by its content (magic numbers and the first text
// line), never by its name: the first step of CheckDataFile. Internal to
// lib/data.

#ifndef MRMLGUARD_LIB_DATA_IDENTIFY_H_
#define MRMLGUARD_LIB_DATA_IDENTIFY_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "data/data_file.h"

namespace mrmlguard::internal::data {

// What identification found.
struct Identity {
  DataFormat format = DataFormat::kUnknown;
  uint64_t offset = 0;       // where the signature is (HDF5 user block)
  std::string executable;    // what kind, for kExecutable
};

// Identifies the content of `b` (the file's first bytes); `ext` (lowercase,
// ExtensionOf) only breaks ties a magic number leaves open.
Identity Identify(std::span<const uint8_t> b, std::string_view ext);

// How much the text reads like a Python or shell script (2 or more: it does).
int ScriptScore(std::span<const uint8_t> b);

}  // namespace mrmlguard::internal::data

#endif  // MRMLGUARD_LIB_DATA_IDENTIFY_H_
