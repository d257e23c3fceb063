// A plain scene's data files, looked up next to it through SceneFolder
// (headers only). Absolute paths are not opened: they are already reported,
// and reading files outside the scene's folder is not the validator's
// business.

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "data/data_file.h"
#include "findings/quote.h"
#include "pipeline/runner.h"
#include "pipeline/scene_folder.h"

namespace mrmlguard::internal {

void Runner::CheckPlainSceneData(const SceneSummary& summary) {
  SceneFolder folder(options_.disk_folder);
  for (const StorageRef& ref : summary.storage) {
    if (ref.path.empty() || ref.absolute) continue;
    SceneFolder::OpenFailure failure;
    std::optional<SceneFolder::OpenFile> file = folder.OpenRegular(ref.path, &failure);
    if (!file && failure.missing && !sink_.WouldRecord(Rule::kMrmlStorageMissing)) continue;
    Location where{.line = ref.line, .column = ref.column, .node_id = ref.node_id, .attribute = ref.attribute};
    if (!file) {
      sink_.Add(Rule::kMrmlStorageMissing, where,
                failure.missing ? "storage file " + Quote(ref.path) + " does not exist next to the scene (" +
                                      failure.reason + ")"
                                : "storage path " + Quote(ref.path) + " is not a regular file");
      continue;
    }
    FileSource source(file->fd(), file->size());
    std::vector<uint8_t> scratch;
    uint64_t want = WantsWholeFile(ref.path, ref.tag, source.size(), policy_.limits)
                        ? source.size()
                        : std::min<uint64_t>(policy_.limits.max_header_bytes, source.size());
    std::span<const uint8_t> prefix = source.View(0, static_cast<size_t>(want), &scratch);
    if (!source.io_error().empty()) continue;
    DataFileView view{.name = ref.path, .storage_tag = ref.tag, .prefix = prefix, .total_size = source.size()};
    FindingSink::EntryScope scope(&sink_, ref.path);
    size_t errors_before = sink_.error_count();
    DataFileResult result = CheckDataFile(view, sink_);
    ++report_->stats.data_files;
    // Detached files are named relative to the data file's own folder.
    std::string data_folder = FolderOf(ref.path);
    for (const std::string& detached : result.detached) {
      std::string relative = data_folder.empty() ? detached : data_folder + "/" + detached;
      bool regular = false;
      std::optional<uint64_t> size = folder.SizeOf(relative, &regular);
      if (!size) {
        sink_.Add(Rule::kMrmlStorageMissing, {},
                  "detached data file " + Quote(detached) + " named in the header does not exist");
      } else if (regular) {
        CheckDetachedSize(result, detached, *size);
      }
    }
    if (policy_.deep && result.image && sink_.error_count() == errors_before) {
      DeepCheckPlainFile(folder, ref.path, result);
    }
  }
}

}  // namespace mrmlguard::internal
