// SPDX-License-Identifier: BSD-3-Clause
// Deep mode (Policy::deep): ITK reads again every image header our reader
// accepted. The only ITK code of the pipeline, and its only
// MRMLGUARD_WITH_ITK switch.

#include <optional>
#include <string>

#include "data/data_file.h"
#include "pipeline/runner.h"
#include "mrmlguard/validate.h"
#include "pipeline/scene_folder.h"

#if defined(MRMLGUARD_WITH_ITK)
#include "data/itk_reference.h"
#include "pipeline/scratch_folder.h"
#endif

namespace mrmlguard::internal {

#if defined(MRMLGUARD_WITH_ITK)

void Runner::DeepCheckPlainFile(const SceneFolder& folder, const std::string& relative,
                                const DataFileResult& result) {
  // Teem opens the first data file of a detached NRRD header even to read
  // the header alone; one that is missing is already reported
  // (mrml.storage-missing), and ITK's refusal would only say it again.
  if (result.format == DataFormat::kNrrd && !result.detached.empty()) {
    std::string data_folder = FolderOf(relative);
    std::string first = data_folder.empty() ? result.detached.front() : data_folder + "/" + result.detached.front();
    bool regular = false;
    if (!folder.SizeOf(first, &regular)) return;
  }
  DeepCheckWithItk(folder.PathOf(relative), result, sink_);
}

void Runner::DeepCheckEntry(InputSource& source, const ZipEntry& entry, const CaptureSink& prefix,
                            const DataFileResult& result, const BundleState& bundle) {
  // ITK reads only the header: the captured prefix (max_header_bytes, or the
  // whole entry) holds it, gzip'd NIfTI included (zlib inflates the header
  // from the first bytes). A NRRD file is extended to its real size with a
  // hole, for "byte skip: -1" (Teem seeks from the end); a gzip stream is
  // not, zlib would refuse the zeros.
  uint64_t header_size = result.format == DataFormat::kNrrd ? prefix.total() : prefix.bytes().size();
  // Teem also opens the first data file of a detached NRRD header, reads the
  // lines "line skip" names and seeks "byte skip" in it; MetaImage and NIfTI
  // read nothing but the header.
  const ZipEntry* data = nullptr;
  if (result.format == DataFormat::kNrrd && !result.detached.empty()) {
    std::optional<std::string> resolved = ResolveInBundle(entry.name, result.detached.front());
    std::optional<size_t> index = resolved ? bundle.by_name.Find(*resolved) : std::nullopt;
    if (index && bundle.dir.entries[*index].name != entry.name) data = &bundle.dir.entries[*index];
  }
  // The data file is first a hole of its real size, which answers for every
  // header without "line skip"; when ITK refuses, it reads again with the
  // data entry's first max_header_bytes streamed once more, and that answer
  // stands. Memory stays within one header prefix either way.
  ItkHeader itk;
  std::string root;
  for (int attempt = 0; attempt < (data != nullptr ? 2 : 1); ++attempt) {
    CaptureSink data_prefix(policy_.limits.max_header_bytes);
    if (attempt == 1) {
      FindingSink already_judged(policy_);  // the entry's findings came when it streamed
      (void)StreamEntry(source, *data, nullptr, already_judged, &data_prefix);
      if (!source.io_error().empty()) return;  // Run() reports it
    }
    ScratchFolder folder;
    std::string error;
    if (!folder.Create(&error) || !folder.Write(entry.name, prefix.bytes(), header_size, &error) ||
        (data != nullptr && !folder.Write(data->name, data_prefix.bytes(), data->declared_size, &error))) {
      SetIoError("deep mode: " + error);
      return;
    }
    itk = ReadHeaderWithItk(folder.PathOf(entry.name), result.format);
    root = folder.root() + "/";
    if (itk.ok) break;
  }  // the folder and everything in it are removed here
  // ITK names the temporary files; the finding names the entries.
  for (size_t at = itk.error.find(root); at != std::string::npos; at = itk.error.find(root, at)) {
    itk.error.erase(at, root.size());
  }
  JudgeItkHeader(itk, result, sink_);
}

#else  // !MRMLGUARD_WITH_ITK

// CheckPolicy refuses deep mode in a build without ITK, so these are never
// reached; if they were, the run fails rather than skip the check silently.
void Runner::DeepCheckPlainFile(const SceneFolder&, const std::string&, const DataFileResult&) {
  report_->status = Status(StatusCode::kInternal, "deep mode reached in a build without ITK");
}

void Runner::DeepCheckEntry(InputSource&, const ZipEntry&, const CaptureSink&, const DataFileResult&,
                            const BundleState&) {
  report_->status = Status(StatusCode::kInternal, "deep mode reached in a build without ITK");
}

#endif  // MRMLGUARD_WITH_ITK

}  // namespace mrmlguard::internal

namespace mrmlguard {

bool DeepModeAvailable() {
#if defined(MRMLGUARD_WITH_ITK)
  return true;
#else
  return false;
#endif
}

}  // namespace mrmlguard
