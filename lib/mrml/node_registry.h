// SPDX-License-Identifier: BSD-3-Clause
// File: node_registry.h
//
// The MRML node registry: what Slicer (at commit 583e9b37d5) and the
// extensions seen in real scenes do with each element tag. The tables are
// generated at build time by tools/gen_node_registry.py from
// lib/mrml/registry/ (Slicer's node table, its ReadXMLAttributes attribute
// list, and a hand-written overlay); see lib/mrml/registry/README.md.
//
// Lookups are hashed or binary searches over constexpr tables: no allocation,
// no global mutable state.

#ifndef MRMLGUARD_LIB_MRML_NODE_REGISTRY_H_
#define MRMLGUARD_LIB_MRML_NODE_REGISTRY_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "mrmlguard/limits.h"

namespace mrmlguard::internal::registry {

// Who makes Slicer able to create a node from the tag.
enum class TagOrigin : uint8_t {
  kCore,           // vtkMRMLScene constructor
  kModule,         // a Slicer module logic's RegisterNodes (or an alias it registers)
  kExtension,      // an extension class (slicer-scan.tsv) or a tag seen in real scenes (overlay.tsv)
  kNotRegistered,  // a Slicer class whose tag nobody registers: Slicer skips the element
  kRemoved,        // a tag old Slicer versions wrote; current Slicer skips it
};

enum TagFlag : uint32_t {
  kFlagStorage = 1u << 0,           // derives from vtkMRMLStorageNode
  kFlagLegacy = 1u << 1,            // legacy class with known reading defects (check 34)
  kFlagNetwork = 1u << 2,           // may listen or connect (check 33)
  kFlagCode = 1u << 3,              // code in data (check 26)
  kFlagCli = 1u << 4,               // CommandLineModule (check 25)
  kFlagSceneView = 1u << 5,         // SceneView / SceneSnapshot: holds a stored scene
  kFlagSubjectHierarchy = 1u << 6,  // holds SubjectHierarchyItem children
  kFlagMarkups = 1u << 7,           // derives from vtkMRMLMarkupsNode (label format, name)
  kFlagColorTable = 1u << 8,        // derives from vtkMRMLColorTableNode (type/numcolors/colors)
  kFlagOpenIgtLink = 1u << 9,       // a SlicerOpenIGTLink node: OpenIGTLink or Plus (check 33)
  kFlagScriptedModule = 1u << 10,   // ScriptedModule parameter node (check 27)
  // One tag each; the rules that name them say what Slicer does with them.
  kFlagPersistentConnector = 1u << 11,  // `persistent` starts it at the end of import (check 33)
  kFlagPlusServer = 1u << 12,           // `desiredState="On"` starts a Plus server (check 33)
  kFlagSelfLaunching = 1u << 13,        // connects by itself once added (check 33)
  kFlagTextStorage = 1u << 14,          // the scene sets readExtensions/writeExtensions (check 31)
  kFlagUnitSingleton = 1u << 15,        // `name` also sets the singleton tag (check 16)
  kFlagSequenceStorage = 1u << 16,      // reads a sequence bundle: may load the scene itself (check 32)
};

// No storage kind: not a storage class, or one whose readers the scan does not know.
inline constexpr uint8_t kNoStorageKind = 0xFF;

struct SlicerVersion {
  int major;
  int minor;
  int patch;
};

// The grammar an attribute value must follow (research §2.4).
enum class AttrKind : uint8_t {
  kInt,              // a..b
  kIntLimit,         // a..limit
  kReal,             // finite
  kRealVector,       // exactly a finite reals
  kIntVector,        // exactly a integers
  kRealList,         // finite reals, count a multiple of a, at most max_list_values
  kIntList,          // integers, count a multiple of a, at most max_list_values
  kFormatMarkups,    // markups label format: %N %S %d %% with flags/width only
  kFormatNoPercent,  // pasted into a printf format: no '%' at all
  kFormatOne,        // exactly one safe conversion, no '$', no %n
  kBool,             // read as strcmp(value, "true"): only "true" or "false"
  kRealRange,        // a finite real in lo..hi
  kCountedList,      // "n v1 .. vn": n in 0..max_list_values, a multiple of a, then n finite reals
};

struct AttrSpec {
  std::string_view name;
  AttrKind kind;
  uint64_t Limits::*limit;      // kIntLimit: the upper bound
  std::string_view limit_name;  // kIntLimit: its name in limits.def
  int64_t a;
  int64_t b;
  double lo;  // kRealRange bounds
  double hi;
};

struct TagInfo {
  std::string_view tag;
  std::string_view class_name;  // empty for removed tags and extension tags whose class was not scanned
  TagOrigin origin;
  std::string_view module;  // registering module or extension; note for removed tags
  uint32_t flags;
  uint16_t attr_begin;
  uint16_t attr_count;
  uint16_t ext_begin;
  uint16_t ext_count;
  bool any_extension;  // storage class reads any extension
  // Storage pairing (check 31), from the storage classes' CanReadInReferenceNode (slicer-scan.tsv):
  uint8_t storage_kind;  // a storage tag's bit in readable_by, or kNoStorageKind
  uint64_t readable_by;  // bit k: the storage tag of kind k reads nodes of this tag
};

// A class vtkMRMLScene::CreateNodeByClass makes and the row (in AllTags) of
// the tag it is registered under.
struct ClassTag {
  std::string_view class_name;
  uint16_t tag_row;
};

// The class Slicer creates for an element, as vtkMRMLParser::StartElement
// resolves it: the registered tag (vtkMRMLScene::GetClassNameByTag), else
// "vtkMRML" + tag (+ "Node" unless the tag ends in "Node") when a loaded
// module or a scanned extension registered that class (CreateNodeByClass).
struct Resolution {
  const TagInfo* info;  // the registered tag's entry (its class, flags and rules), or nullptr
  bool fallback;        // reached through the "vtkMRML" + tag fallback
};

struct RefAttr {
  std::string_view attribute;
  std::string_view role;  // empty: id-valued attribute outside the reference API
};

// Returns the registry entry for `tag`, or nullptr when no table names it.
const TagInfo* FindTag(std::string_view tag);

// Resolves an element's tag to the class Slicer creates (see Resolution).
Resolution ResolveTag(std::string_view tag);

// The tag entry of a class Slicer or a scanned extension registers, or nullptr.
const TagInfo* FindClass(std::string_view class_name);

// The value grammar of `attribute` on nodes of `info`, or nullptr. Hashed:
// called for every attribute of every node.
const AttrSpec* FindAttrSpec(const TagInfo& info, std::string_view attribute);

// True when the storage class of `storage` reads nodes of `storable`
// (vtkMRMLStorageNode::ReadData refuses the others). True as well when the
// registry does not know which classes `storage` reads.
bool StorageCanRead(const TagInfo& storage, const TagInfo& storable);

// The Slicer version (and commit) the registry tables were made from.
SlicerVersion RegistryVersion();
std::string_view RegistryCommit();

// True when `module` is a scripted module of Slicer or of an extension the
// registry scanned (the ModuleName of its parameter nodes).
bool IsKnownScriptedModule(std::string_view module);

// A tag or scripted module of a past Slicer release or extension
// (slicer-history.tsv, scanned from Slicer's release tags v4.0.0 on):
// `where` reads like "vtkMRMLChartViewNode, Slicer 4.1.0 to 4.11.20220218".
struct HistoryEntry {
  std::string_view name;
  std::string_view where;
};
const HistoryEntry* FindHistoricTag(std::string_view tag);
const HistoryEntry* FindHistoricModule(std::string_view module);
// The Slicer releases the history covers, for messages ("4.0.0 to 5.13.0").
std::string HistoryCoverage();

// True when `extension` is one whose node tags the registry lists.
bool IsKnownExtension(std::string_view extension);

// Every value grammar of nodes of `info` (for tests).
std::span<const AttrSpec> AttrSpecs(const TagInfo& info);

// Extensions the storage class of `info` reads (empty when any or not storage).
std::span<const std::string_view> StorageExtensions(const TagInfo& info);

// True when `class_name` is created by some registered tag.
bool IsRegisteredClass(std::string_view class_name);

// Legacy reference or id-valued attribute: its entry, or nullptr.
const RefAttr* FindRefAttr(std::string_view attribute);

// True when `id` names a node Slicer creates itself and never saves (default
// color tables, singletons): a reference to it is not dangling.
bool IsBuiltinId(std::string_view id);

// True when a TextStorage readExtensions/writeExtensions entry is allowed.
bool IsAllowedTextExtension(std::string_view extension);

// Every scripted module name, sorted (for tests).
std::span<const std::string_view> AllScriptedModules();

// All tags, sorted (tests iterate it).
std::span<const TagInfo> AllTags();
// Every legacy reference attribute, sorted by name (for tests).
std::span<const RefAttr> AllRefAttrs();

}  // namespace mrmlguard::internal::registry

#endif  // MRMLGUARD_LIB_MRML_NODE_REGISTRY_H_
