// SPDX-License-Identifier: BSD-3-Clause
// Compiled as C++17 in the normal build (3D Slicer builds with C++17): every
// public C++ header must compile without C++20. Nothing runs; building this
// file is the test. tests/embed/consumer/consumer17.cc runs the same headers
// against the installed library.
#if __cplusplus >= 202002L
#error "this check must be compiled as C++17"
#endif
#include "mrmlguard/export.h"
#include "mrmlguard/extract.h"
#include "mrmlguard/finding.h"
#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/mrmlguard.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "mrmlguard/sanitize.h"
#include "mrmlguard/span.h"
#include "mrmlguard/validate.h"
#include "mrmlguard/version.h"

static_assert(MRMLGUARD_HAS_STD_SPAN == 0, "C++17 has no std::span");

int MrmlguardCxx17HeaderCheck();

int MrmlguardCxx17HeaderCheck() {
  size_t count = 0;
  return mrmlguard::AllRules(&count) != nullptr && count > 0 ? 0 : 1;
}
