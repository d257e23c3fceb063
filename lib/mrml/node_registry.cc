#include "mrml/node_registry.h"

#include <algorithm>

namespace mrmlguard::internal::registry {
namespace {

// Generated into the build tree by tools/gen_node_registry.py (see CMakeLists.txt).
#include "node_registry.inc"

template <typename T, size_t N, typename Key>
const T* FindSorted(const T (&table)[N], std::string_view key, Key key_of) {
  const T* end = table + N;
  const T* it = std::lower_bound(table, end, key, [&](const T& row, std::string_view k) { return key_of(row) < k; });
  return (it != end && key_of(*it) == key) ? it : nullptr;
}

}  // namespace

const TagInfo* FindTag(std::string_view tag) {
  return FindSorted(kTags, tag, [](const TagInfo& t) { return t.tag; });
}

const AttrSpec* FindAttrSpec(const TagInfo& info, std::string_view attribute) {
  // A tag has a handful of specs, sorted by name; a linear scan is cheapest.
  for (size_t i = info.attr_begin; i < size_t{info.attr_begin} + info.attr_count; ++i) {
    if (kAttrSpecs[i].name == attribute) return &kAttrSpecs[i];
  }
  return nullptr;
}

std::span<const std::string_view> StorageExtensions(const TagInfo& info) {
  if (info.ext_count == 0) return {};
  return std::span<const std::string_view>(kStorageExtensions + info.ext_begin, info.ext_count);
}

bool IsRegisteredClass(std::string_view class_name) {
  return FindSorted(kRegisteredClasses, class_name, [](std::string_view c) { return c; }) != nullptr;
}

const RefAttr* FindRefAttr(std::string_view attribute) {
  return FindSorted(kRefAttrs, attribute, [](const RefAttr& r) { return r.attribute; });
}

bool IsBuiltinId(std::string_view id) {
  for (std::string_view prefix : kBuiltinIdPrefixes) {
    if (id.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

bool IsAllowedTextExtension(std::string_view extension) {
  return FindSorted(kTextExtensions, extension, [](std::string_view e) { return e; }) != nullptr;
}

std::span<const TagInfo> AllTags() { return kTags; }

}  // namespace mrmlguard::internal::registry
