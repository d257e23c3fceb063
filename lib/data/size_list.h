// SPDX-License-Identifier: BSD-3-Clause
// File: size_list.h
//
// The one parser of the "N N N" size lists image and mesh headers declare
// (NRRD "sizes:", MetaImage "DimSize =", legacy VTK "DIMENSIONS"):
//
//   std::vector<std::string_view> words = SplitWords(value, kMaxDimension + 1);
//   SizeList list = ParseSizeList(words, /*min_value=*/1);
//   if (!list.ok()) { /* words[list.bad] is not an integer >= 1 */ }
//
// The words come from text::SplitWords with a cap, so a list is never longer
// than the caller's bound; each word is an integer in the text layer's
// grammar (text/numbers.h ParseInt). The caller reports a bad word with its own
// rule and message.

#ifndef MRMLGUARD_LIB_DATA_SIZE_LIST_H_
#define MRMLGUARD_LIB_DATA_SIZE_LIST_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::data {

struct SizeList {
  std::vector<uint64_t> sizes;  // the values read, up to the first bad word
  size_t bad = SIZE_MAX;        // index of the first word that is not an integer >= min_value
  bool ok() const { return bad == SIZE_MAX; }
};

// Reads each word as an integer of at least `min_value` (>= 0), stopping at
// the first that is not.
SizeList ParseSizeList(std::span<const std::string_view> words, int64_t min_value);

}  // namespace mrmlguard::internal::data

#endif  // MRMLGUARD_LIB_DATA_SIZE_LIST_H_
