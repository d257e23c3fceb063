// SPDX-License-Identifier: BSD-3-Clause
// A plain scene's data files, looked up next to it through SceneFolder
// (headers only). Absolute paths are not opened: they are already reported,
// and reading files outside the scene's folder is not the validator's
// business.

#include <algorithm>
#include <compare>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "data/data_file.h"
#include "findings/quote.h"
#include "pipeline/runner.h"
#include "pipeline/scene_folder.h"
#include "pipeline/sniff.h"
#include "text/ascii.h"

namespace mrmlguard::internal {

bool Runner::JudgePlainFile(const StorageRef& ref, bool list_member, FileSource& source, DataFileResult* result) {
  std::vector<uint8_t> scratch;
  const uint64_t want = BytesToJudge(ref.path, ref.tag, source.size(), policy_.limits);
  std::span<const uint8_t> prefix = source.View(0, static_cast<size_t>(want), &scratch);
  if (!source.io_error().empty()) return false;
  DataFileView view{
      .name = ref.path, .storage_tag = ref.tag, .prefix = prefix, .total_size = source.size(), .list_member = list_member};
  *result = CheckData(view);
  return true;
}

std::optional<uint64_t> Runner::CheckPlainDetached(const SceneFolder& folder, const StorageRef& ref,
                                                   const DataFileResult& result) {
  // Detached files are named relative to the data file's own folder.
  std::string data_folder = FolderOf(ref.path);
  std::optional<uint64_t> first_detached_size;
  for (const std::string& detached : result.detached) {
    if (!ClaimDetachedLookup()) break;
    std::string relative = data_folder.empty() ? detached : data_folder + "/" + detached;
    bool regular = false;
    std::optional<uint64_t> size = folder.SizeOf(relative, &regular);
    if (!size) {
      sink_.Add(Rule::kMrmlStorageMissing, {},
                "detached data file " + Quote(detached) + " named in the header does not exist");
    } else if (regular) {
      if (!first_detached_size) first_detached_size = *size;
      CheckDetachedSize(result, detached, *size);
    }
  }
  return first_detached_size;
}

void Runner::CheckPlainSceneData(const SceneSummary& summary) {
  SceneFolder folder(options_.disk_folder);
  const std::vector<bool> members = ListMembersOnly(summary);
  // Each file is read and judged once per way of reading it (ReadingKey:
  // extension and storage class; list member), however many storage nodes name it and under
  // however many names (links, "./", "a/../"), and its detached files are
  // looked up once per folder: without this, 200 storage nodes naming one
  // 60 MB table next to a 47 KB scene made the check read 12 GB (64 s of
  // CPU). Every later reference still adds its loads to the load budget.
  struct Reading {
    SceneFolder::FileId file;
    std::string key;
    bool list_member = false;
    auto operator<=>(const Reading&) const = default;
  };
  struct Judged {
    DataFileResult result;
    std::map<SceneFolder::FileId, std::optional<uint64_t>> detached_by_folder;  // first detached file's size
  };
  std::map<Reading, Judged> judged;
  for (size_t i = 0; i < summary.storage.size(); ++i) {
    const StorageRef& ref = summary.storage[i];
    if (ref.path.empty() || ref.absolute) continue;
    SceneFolder::OpenFailure failure;
    std::optional<SceneFolder::OpenFile> file = folder.OpenRegular(ref.path, &failure);
    if (!file) {
      if (failure.missing && !sink_.WouldRecord(Rule::kMrmlStorageMissing)) continue;
      Location where{.line = ref.line, .column = ref.column, .node_id = ref.node_id, .attribute = ref.attribute};
      sink_.Add(Rule::kMrmlStorageMissing, where,
                failure.missing ? "storage file " + Quote(ref.path) + " does not exist next to the scene (" +
                                      failure.reason + ")"
                                : "storage path " + Quote(ref.path) + " is not a regular file");
      continue;
    }
    Reading reading{.file = file->id(), .key = ReadingKey(ref.path, ref.tag), .list_member = members[i]};
    FindingSink::EntryScope scope(&sink_, ref.path);
    const size_t errors_before = sink_.error_count();
    FileSource source(file->fd(), file->size());
    auto it = judged.find(reading);
    const bool fresh = it == judged.end();
    if (fresh) {
      Judged first;
      if (!JudgePlainFile(ref, members[i], source, &first.result)) continue;
      it = judged.emplace(std::move(reading), std::move(first)).first;
    }
    Judged& j = it->second;
    std::optional<SceneFolder::FileId> folder_id = folder.IdOf(FolderOf(ref.path));
    std::optional<uint64_t> first_detached_size;
    if (auto seen = folder_id ? j.detached_by_folder.find(*folder_id) : j.detached_by_folder.end();
        seen != j.detached_by_folder.end()) {
      first_detached_size = seen->second;
    } else {
      first_detached_size = CheckPlainDetached(folder, ref, j.result);
      if (folder_id) j.detached_by_folder.emplace(*folder_id, first_detached_size);
    }
    // Each node that reads this storage node loads the file once.
    CheckLoad(j.result, std::max<uint64_t>(1, ref.users), first_detached_size);
    if (!fresh) continue;
    if (policy_.deep && j.result.image && sink_.error_count() == errors_before) {
      DeepCheckPlainFile(folder, ref.path, j.result);
    }
    // A bundle the scene names (a .seq.mrb for SequenceStorage, which
    // vtkMRMLSequenceStorageNode::ReadDataInternal opens with
    // vtkMRMLScene::ReadFromMRB) is unpacked by Slicer: judge it as a
    // nested bundle of depth 1, straight from the file.
    if (j.result.format == DataFormat::kZip || text::EndsWithIgnoreCase(ref.path, ".mrb") ||
        text::EndsWithIgnoreCase(ref.path, ".zip")) {
      if (!CheckBundleBeside(source, ref.path)) return;
    }
  }
}

bool Runner::CheckBundleBeside(InputSource& source, const std::string& name) {
  const Limits& limits = policy_.limits;
  if (limits.max_bundle_depth < 1) {
    sink_.LimitReached(Rule::kBundleNestingTooDeep, "max_bundle_depth", limits.max_bundle_depth, {},
                       "by bundle " + Quote(name) + " beside the scene");
    return true;
  }
  if (source.size() > limits.max_nested_bundle_bytes) {
    sink_.LimitReached(Rule::kZipLimitExceeded, "max_nested_bundle_bytes", limits.max_nested_bundle_bytes, {},
                       "by nested bundle of " + std::to_string(source.size()) + " bytes");
    return true;
  }
  ancestors_.push_back(name);
  AddInspectInput(source.size());
  bool io_ok = CheckBundle(source, 1, nullptr);
  ancestors_.pop_back();
  return io_ok;
}

}  // namespace mrmlguard::internal
