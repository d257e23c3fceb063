/* SPDX-License-Identifier: BSD-3-Clause */
// File: version.h
#ifndef MRMLGUARD_VERSION_H_
#define MRMLGUARD_VERSION_H_

#include "mrmlguard/export.h"

#define MRMLGUARD_VERSION_MAJOR 0
#define MRMLGUARD_VERSION_MINOR 1
#define MRMLGUARD_VERSION_PATCH 0
#define MRMLGUARD_VERSION_STRING "0.1.0"

namespace mrmlguard {
// Returns the library version, "MAJOR.MINOR.PATCH".
MRMLGUARD_EXPORT const char* Version();
}  // namespace mrmlguard

#endif  // MRMLGUARD_VERSION_H_
