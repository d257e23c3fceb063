// File: runner.h
//
// The pipeline's one run over one input, split by concern across files:
//   validate.cc        Run (sniff, dispatch, verdict), CheckSceneBytes
//   bundle_run.cc      CheckBundle: the entry loop of a bundle, nested bundles
//   plain_scene_run.cc CheckPlainSceneData: a plain scene's files, via SceneFolder
//   deep_mode.cc       the ITK re-read (Policy::deep); the only ITK #if
// Internal to lib/pipeline.

#ifndef MRMLGUARD_LIB_PIPELINE_RUNNER_H_
#define MRMLGUARD_LIB_PIPELINE_RUNNER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bytes/input_source.h"
#include "data/data_file.h"
#include "findings/finding_sink.h"
#include "mrml/scene_checker.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "pipeline/entry_captures.h"
#include "pipeline/pipeline.h"
#include "pipeline/scene_folder.h"
#include "zip/bundle_layout.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// The file name after the last '/'.
std::string BaseName(std::string_view path);
// Everything before the last '/' ("" when there is none).
std::string FolderOf(std::string_view path);

// Resolves every storage path of the scene entry `scene_entry` against the
// bundle: paths that leave it (bundle.storage-outside) or name no entry
// (bundle.storage-missing) are reported; the others are returned with the
// entry they name, in document order.
std::vector<std::pair<size_t, Referenced>> ResolveStorage(const SceneSummary& summary, std::string_view scene_entry,
                                                          const EntryIndex& by_name, FindingSink& sink);

class Runner {
 public:
  Runner(const Policy& policy, const RunOptions& options, Report* report)
      : policy_(policy), options_(options), report_(report), sink_(policy) {}

  void Run(InputSource& source);

 private:
  // One bundle being streamed: its directory, names, and the entries its
  // scenes reference.
  struct BundleState {
    const ZipDirectory& dir;
    EntryIndex by_name;
    std::unordered_map<size_t, Referenced> referenced;
  };

  // validate.cc
  void CheckSceneBytes(InputSource& source, SceneOptions options, SceneSummary* summary);
  void SetIoError(std::string message) {
    if (report_->status.ok()) report_->status = Status(StatusCode::kIoError, std::move(message));
  }
  // True (after recording it) when `source` failed to read: the run stops.
  bool IoFailed(const InputSource& source) {
    if (source.io_error().empty()) return false;
    SetIoError(source.io_error());
    return true;
  }

  // bundle_run.cc. Returns false when the run must stop because of an I/O error.
  // True (and reported) when the entry declares more than the capture it feeds may hold.
  bool DeclaredOverCapture(const ZipEntry& entry, uint64_t depth);
  bool CheckBundle(InputSource& source, uint64_t depth, BundleWriter* writer);
  // Streams one entry into its plan's captures and `writer`; false on an I/O
  // error (recorded). *data_ok: the bytes are what the headers declare.
  bool StreamPlanned(InputSource& source, const ZipEntry& entry, EntryPlan& plan, BundleWriter* writer,
                     bool* data_ok);
  void FinishScene(const ZipEntry& entry, const CaptureSink& capture, bool is_main, BundleState& bundle);
  bool FinishNested(const ZipEntry& entry, const CaptureSink& capture, uint64_t depth);
  void FinishData(InputSource& source, const ZipEntry& entry, const Referenced& ref, const CaptureSink& prefix,
                  const BundleState& bundle);

  // plain_scene_run.cc
  void CheckPlainSceneData(const SceneSummary& summary);

  // One detached raw payload (a .nhdr/.mhd naming one data file): the file
  // must hold at least the bytes the header declares.
  void CheckDetachedSize(const DataFileResult& result, std::string_view detached, uint64_t have);

  // deep_mode.cc (Policy::deep): ITK reads the image header again, from the
  // file next to the scene or from a bundle entry written to a ScratchFolder.
  void DeepCheckPlainFile(const SceneFolder& folder, const std::string& relative, const DataFileResult& result);
  void DeepCheckEntry(InputSource& source, const ZipEntry& entry, const CaptureSink& prefix,
                      const DataFileResult& result, const BundleState& bundle);

  const Policy& policy_;
  const RunOptions& options_;
  Report* report_;
  FindingSink sink_;
  InflateBudget budget_;
  // Names of the bundles being audited, outermost first (for the sequence
  // self-reference rule of the scene layer).
  std::vector<std::string> ancestors_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_RUNNER_H_
