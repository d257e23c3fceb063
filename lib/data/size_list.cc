// SPDX-License-Identifier: BSD-3-Clause
// The shared size-list parser: see size_list.h.

#include "data/size_list.h"

#include <optional>

#include "text/numbers.h"

namespace mrmlguard::internal::data {

SizeList ParseSizeList(std::span<const std::string_view> words, int64_t min_value) {
  SizeList list;
  list.sizes.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    std::optional<int64_t> v = text::ParseInt(words[i]);
    if (!v || *v < min_value || *v < 0) {
      list.bad = i;
      return list;
    }
    list.sizes.push_back(static_cast<uint64_t>(*v));
  }
  return list;
}

}  // namespace mrmlguard::internal::data
