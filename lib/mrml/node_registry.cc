// SPDX-License-Identifier: BSD-3-Clause
#include "mrml/node_registry.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

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

// The tables every element and attribute is looked up in (tags, legacy
// reference attributes) get a hashed index built at compile time: a lookup
// hashes a few bytes and compares at most a couple of strings, where a binary
// search compared about six. Most attribute names are not in the table, and
// those are usually refused at the first empty slot.
constexpr uint32_t QuickHash(std::string_view s) {
  if (s.empty()) return 0;
  uint32_t h = static_cast<uint32_t>(s.size());
  h = h * 31 + static_cast<unsigned char>(s[0]);
  h = h * 31 + static_cast<unsigned char>(s[s.size() / 2]);
  h = h * 31 + static_cast<unsigned char>(s[s.size() - 1]);
  h = h * 31 + static_cast<unsigned char>(s[s.size() * 3 / 4]);
  return (h * 0x9E3779B1u) >> 8;
}

constexpr size_t IndexSlots(size_t n) {
  size_t slots = 16;
  while (slots < 4 * n) slots *= 2;
  return slots;
}

template <size_t N>
struct HashIndex {
  static constexpr uint16_t kEmpty = 0xFFFF;
  static_assert(N < kEmpty, "table too large for a 16-bit index");
  std::array<uint16_t, IndexSlots(N)> slot{};

  constexpr HashIndex() {
    for (uint16_t& s : slot) s = kEmpty;
  }
  // Linear probing from the hash's slot.
  constexpr void Insert(uint32_t hash, size_t row) {
    const size_t mask = slot.size() - 1;
    size_t at = hash & mask;
    while (slot[at] != kEmpty) at = (at + 1) & mask;
    slot[at] = static_cast<uint16_t>(row);
  }
  // The first row on the hash's probe chain that `match` accepts, or kEmpty.
  template <typename Match>
  uint16_t Find(uint32_t hash, Match match) const {
    const size_t mask = slot.size() - 1;
    for (size_t at = hash & mask;; at = (at + 1) & mask) {
      if (slot[at] == kEmpty || match(slot[at])) return slot[at];
    }
  }
};

template <typename T, size_t N, typename Key>
constexpr HashIndex<N> BuildIndex(const T (&table)[N], Key key_of) {
  HashIndex<N> index;
  for (size_t i = 0; i < N; ++i) index.Insert(QuickHash(key_of(table[i])), i);
  return index;
}

template <typename T, size_t N, typename Key>
const T* FindHashed(const T (&table)[N], const HashIndex<N>& index, std::string_view key, Key key_of) {
  uint16_t i = index.Find(QuickHash(key), [&](uint16_t row) { return key_of(table[row]) == key; });
  return i == HashIndex<N>::kEmpty ? nullptr : &table[i];
}

constexpr auto kTagKey = [](const TagInfo& t) { return t.tag; };
constexpr auto kRefAttrKey = [](const RefAttr& r) { return r.attribute; };
constexpr auto kTagIndex = BuildIndex(kTags, kTagKey);
constexpr auto kRefAttrIndex = BuildIndex(kRefAttrs, kRefAttrKey);

// Attribute specs are keyed by (tag row, attribute name): a display node has
// thirty or more (its Boolean attributes), too many to scan for each of the
// millions of attributes of a large scene.
constexpr uint32_t SpecHash(size_t tag_row, std::string_view attribute) {
  return QuickHash(attribute) ^ static_cast<uint32_t>((tag_row + 1) * 0x85EBCA6Bu);
}

constexpr HashIndex<std::size(kAttrSpecs)> BuildSpecIndex() {
  HashIndex<std::size(kAttrSpecs)> index;
  for (size_t t = 0; t < std::size(kTags); ++t) {
    for (size_t i = kTags[t].attr_begin; i < size_t{kTags[t].attr_begin} + kTags[t].attr_count; ++i) {
      index.Insert(SpecHash(t, kAttrSpecs[i].name), i);
    }
  }
  return index;
}
constexpr auto kSpecIndex = BuildSpecIndex();

}  // namespace

const TagInfo* FindTag(std::string_view tag) { return FindHashed(kTags, kTagIndex, tag, kTagKey); }

const TagInfo* FindClass(std::string_view class_name) {
  const ClassTag* c = FindSorted(kClassTags, class_name, [](const ClassTag& r) { return r.class_name; });
  return c == nullptr ? nullptr : &kTags[c->tag_row];
}

Resolution ResolveTag(std::string_view tag) {
  // A tag the tables list but nobody registers (a Slicer class no module
  // registers, a removed tag) is not in Slicer's tag map either: it too goes
  // through the fallback below.
  const TagInfo* listed = FindTag(tag);
  if (listed != nullptr && listed->origin != TagOrigin::kNotRegistered && listed->origin != TagOrigin::kRemoved) {
    return {listed, false};
  }
  // vtkMRMLParser::StartElement: className = "vtkMRML" + tag, + "Node" unless
  // the tag already ends in "Node"; vtkMRMLScene::CreateNodeByClass then looks
  // the class up among the registered ones. Class names are short: a longer
  // tag cannot name one.
  constexpr std::string_view kPrefix = "vtkMRML", kSuffix = "Node";
  char name[128];
  if (tag.empty() || tag.size() + kPrefix.size() + kSuffix.size() > sizeof(name)) return {listed, false};
  size_t n = 0;
  for (char c : kPrefix) name[n++] = c;
  for (char c : tag) name[n++] = c;
  if (!tag.ends_with(kSuffix)) {
    for (char c : kSuffix) name[n++] = c;
  }
  const TagInfo* info = FindClass(std::string_view(name, n));
  if (info == nullptr) return {listed, false};
  return {info, true};
}

const AttrSpec* FindAttrSpec(const TagInfo& info, std::string_view attribute) {
  if (info.attr_count == 0) return nullptr;
  const size_t row = static_cast<size_t>(&info - kTags);
  // A slot may belong to another tag: the row range tells.
  uint16_t i = kSpecIndex.Find(SpecHash(row, attribute), [&](uint16_t r) {
    return r >= info.attr_begin && r < info.attr_begin + info.attr_count && kAttrSpecs[r].name == attribute;
  });
  return i == HashIndex<std::size(kAttrSpecs)>::kEmpty ? nullptr : &kAttrSpecs[i];
}

std::span<const AttrSpec> AttrSpecs(const TagInfo& info) {
  return std::span<const AttrSpec>(kAttrSpecs + info.attr_begin, info.attr_count);
}

bool StorageCanRead(const TagInfo& storage, const TagInfo& storable) {
  if (storage.storage_kind == kNoStorageKind) return true;
  return ((storable.readable_by >> storage.storage_kind) & 1u) != 0;
}

SlicerVersion RegistryVersion() { return kRegistryVersion; }
std::string_view RegistryCommit() { return kRegistryCommit; }

bool IsKnownScriptedModule(std::string_view module) {
  return FindSorted(kScriptedModules, module, [](std::string_view m) { return m; }) != nullptr;
}

const HistoryEntry* FindHistoricTag(std::string_view tag) {
  return FindSorted(kHistoryTags, tag, [](const HistoryEntry& e) { return e.name; });
}

const HistoryEntry* FindHistoricModule(std::string_view module) {
  return FindSorted(kHistoryModules, module, [](const HistoryEntry& e) { return e.name; });
}

std::string HistoryCoverage() {
  const SlicerVersion v = RegistryVersion();
  return "Slicer 4.0.0 to " + std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
         std::to_string(v.patch);
}

bool IsKnownExtension(std::string_view extension) {
  return FindSorted(kKnownExtensions, extension, [](std::string_view e) { return e; }) != nullptr;
}

std::span<const std::string_view> AllScriptedModules() { return kScriptedModules; }

std::span<const std::string_view> StorageExtensions(const TagInfo& info) {
  if (info.ext_count == 0) return {};
  return std::span<const std::string_view>(kStorageExtensions + info.ext_begin, info.ext_count);
}

bool IsRegisteredClass(std::string_view class_name) {
  return FindSorted(kRegisteredClasses, class_name, [](std::string_view c) { return c; }) != nullptr;
}

const RefAttr* FindRefAttr(std::string_view attribute) {
  return FindHashed(kRefAttrs, kRefAttrIndex, attribute, kRefAttrKey);
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
std::span<const RefAttr> AllRefAttrs() { return kRefAttrs; }

}  // namespace mrmlguard::internal::registry
