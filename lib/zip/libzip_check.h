// SPDX-License-Identifier: BSD-3-Clause
// File: libzip_check.h
//
// The libzip second opinion (hardening research A.5, check Z25): libzip
// 1.7.3 opens the same bytes with ZIP_RDONLY | ZIP_CHECKCONS and must see the
// same entries as our own audit. Any refusal or difference is
// zip.libzip-disagrees. libzip is not the gate (it misses gaps, overlaps and
// declared-size lies); it catches our own bugs and the cases where libzip
// would load something else than we judged.

#ifndef MRMLGUARD_LIB_ZIP_LIBZIP_CHECK_H_
#define MRMLGUARD_LIB_ZIP_LIBZIP_CHECK_H_

#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// Opens `source` with libzip (a buffer source for memory, a read-only
// function source over InputSource::View for files, so memory stays bounded)
// and compares entry count, raw names, sizes, compressed sizes, CRCs,
// methods, encryption and external attributes with `entries`. Returns true
// when libzip agrees; otherwise reports zip.libzip-disagrees (at most one
// finding) and returns false. An I/O error on the source is left in
// source.io_error() and reported as a disagreement too.
//
// `descriptor_sizes_in_local_header`: our audit saw an entry with flag bit 3
// whose local header carries a non-zero size equal to the central one (what
// libarchive's writer, and so Slicer, always does). libzip 1.7.3's
// ZIP_CHECKCONS (_zip_headercomp) accepts a bit-3 local header only when CRC
// and both sizes are all zero, so it refuses every Slicer-written bundle;
// later libzip releases accept "zero or equal" per field, which is the rule
// our audit enforces. Then, and only then, a ZIP_CHECKCONS refusal with
// ZIP_ER_INCONS is retried without ZIP_CHECKCONS, and the central-directory
// comparison below still has to agree.
bool LibzipSecondOpinion(InputSource& source, const std::vector<ZipEntry>& entries, FindingSink& sink,
                         bool descriptor_sizes_in_local_header = false);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_LIBZIP_CHECK_H_
