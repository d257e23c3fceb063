/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiled with -std=c89 -pedantic-errors: the C API header must stay plain
 * C89 (apart from <stdint.h>). Nothing runs; building this file is the test. */
#include "mrmlguard/mrmlguard.h"

int mrmlguard_c89_header_check(void);

int mrmlguard_c89_header_check(void) {
  mrmlguard_report* report = NULL;
  mrmlguard_severity severity = MRMLGUARD_SEVERITY_ERROR;
  return report == NULL && severity == MRMLGUARD_SEVERITY_ERROR ? 0 : 1;
}
