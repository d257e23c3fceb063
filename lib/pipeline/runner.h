// SPDX-License-Identifier: BSD-3-Clause
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

// The storage references of a scene that are fileListMembers only: no
// fileName of the same storage node names the same path. Slicer's storage
// node opens its fileName (vtkMRMLStorageNode::ReadData); list members are
// read by that file's own reader (data_file.h, DataFileView::list_member).
// One flag per summary.storage element, in order.
std::vector<bool> ListMembersOnly(const SceneSummary& summary);

// Resolves every storage path of the scene entry `scene_entry` against the
// bundle: paths that leave it (bundle.storage-outside) or name no entry
// (bundle.storage-missing) are reported; the others are returned with the
// entry they name, in document order.
std::vector<std::pair<size_t, Referenced>> ResolveStorage(const SceneSummary& summary, std::string_view scene_entry,
                                                          const EntryIndex& by_name, FindingSink& sink);

// What inflated bytes cost beyond their inflation, in units of inflated
// bytes (InspectCost), measured on the idle 2-core development VM
// (docs/bench/worst-case.md): zlib inflates 1 MiB of the most compressible
// header in ~3 ms; a scene inflated from a bundle costs 25-37 ms per MiB
// more (two XML parsers, the scene rules, the capture), a JSON file or text
// table ~6-8 ms per MiB in all; a nested bundle's entries are measured
// again, up to ~9 ms per MiB more (the costliest deflate stream). So the
// budget costs about the same whatever a bundle spends it on.
inline constexpr uint64_t kSceneWeight = 12;
inline constexpr uint64_t kTextWeight = 3;
inline constexpr uint64_t kNestedWeight = 4;

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
    std::vector<bool> streamed;  // by entry index
    // Referenced entries that had streamed when the reference was read (a
    // scene named as data by a scene): their header is read again at the end.
    std::vector<size_t> late;
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
  bool StreamPlanned(InputSource& source, const ZipEntry& entry, EntryPlan& plan, BundleWriter* writer, bool* data_ok);
  void FinishScene(const ZipEntry& entry, const CaptureSink& capture, bool is_main, BundleState& bundle);
  bool FinishNested(const ZipEntry& entry, const CaptureSink& capture, uint64_t depth);
  void FinishData(InputSource& source, const ZipEntry& entry, const Referenced& ref, const CaptureSink& prefix,
                  const BundleState& bundle);

  // plain_scene_run.cc
  void CheckPlainSceneData(const SceneSummary& summary);
  // Reads and judges one data file next to the scene (its header, or all of
  // it for JSON and text tables); false when it could not be read.
  bool JudgePlainFile(const StorageRef& ref, bool list_member, FileSource& source, DataFileResult* result);
  // Looks up the detached files `result` names, relative to the data file's
  // folder; returns the first one's size.
  std::optional<uint64_t> CheckPlainDetached(const SceneFolder& folder, const StorageRef& ref,
                                             const DataFileResult& result);
  // A bundle file a plain scene names, judged as a nested bundle of depth 1
  // (same limits and findings). False on an I/O error (recorded).
  bool CheckBundleBeside(InputSource& source, const std::string& name);

  // One detached raw payload (a .nhdr/.mhd naming one data file): the file
  // must hold at least the bytes the header declares.
  void CheckDetachedSize(const DataFileResult& result, std::string_view detached, uint64_t have);

  // The memory a data file makes Slicer allocate: a compressed payload must
  // be able to inflate to the image it declares within max_compression_ratio
  // (bundle.payload-ratio), and the images of the run, `loads` times each,
  // must stay within max_scene_load_bytes (bundle.load-memory).
  // `detached_size`: the size of the first detached data file, when known.
  void CheckLoad(const DataFileResult& result, uint64_t loads, std::optional<uint64_t> detached_size);

  // deep_mode.cc (Policy::deep): ITK reads the image header again, from the
  // file next to the scene or from a bundle entry written to a ScratchFolder.
  void DeepCheckPlainFile(const SceneFolder& folder, const std::string& relative, const DataFileResult& result);
  // Counts `bytes` of scene documents against max_total_scene_bytes; false
  // (with the finding) when they do not fit.
  bool ClaimSceneBytes(uint64_t bytes, std::string_view what);
  // Counts `cost` (InspectCost) of the `bytes` of bundle entry `entry` that
  // the check is about to inflate to judge it against the
  // max_inspected_bytes budget; false (with the finding, once per run) when
  // it does not fit: the entry is then not read.
  bool ClaimInspectedBytes(uint64_t bytes, uint64_t cost, std::string_view entry);
  // What reading `entry` as `plan` says costs the max_inspected_bytes budget:
  // the bytes inflated, plus, when they were inflated from fewer bytes of
  // the input, a parsed scene at kSceneWeight times, a JSON file or text
  // table at kTextWeight times and the bytes a nested bundle's compression
  // hid at kNestedWeight times.
  uint64_t InspectCost(const ZipEntry& entry, const EntryPlan& plan) const;
  // CheckDataFile with the room max_total_detached_files leaves this check
  // (DataFileView::detached_room), counted in the report's stats.
  DataFileResult CheckData(DataFileView view);
  // One look-up of a detached name claimed against max_total_detached_files;
  // false past it (reported once per run, here or by the data layer), when
  // the name must not be looked up.
  bool ClaimDetachedLookup();
  // A bundle given to the check (the input, or one beside a plain scene):
  // raises the max_inspected_bytes budget by its share.
  void AddInspectInput(uint64_t bytes);
  void DeepCheckEntry(InputSource& source, const ZipEntry& entry, const CaptureSink& prefix,
                      const DataFileResult& result, const BundleState& bundle);

  const Policy& policy_;
  const RunOptions& options_;
  Report* report_;
  FindingSink sink_;
  InflateBudget budget_;
  // Image bytes the scenes of this run load (max_scene_load_bytes), and
  // whether that limit was reported.
  uint64_t load_bytes_ = 0;
  bool load_reported_ = false;
  // Declared bytes of the scene documents this run parses
  // (max_total_scene_bytes).
  uint64_t scene_bytes_ = 0;
  uint64_t inspected_bytes_ = 0;
  uint64_t inspect_input_bytes_ = 0;  // bytes of the bundles given to the check (AddInspectInput)
  uint64_t inspect_budget_ = 0;       // max_inspected_bytes, raised by AddInspectInput
  uint64_t detached_lookups_ = 0;  // ClaimDetachedLookup
  bool detached_reported_ = false;
  // Nesting of bundles held in memory that were inflated from a compressed
  // entry: every byte of them is inflated, stored entries too (InspectCost).
  int inflated_bundles_ = 0;
  // Names of the bundles being audited, outermost first (for the sequence
  // self-reference rule of the scene layer).
  std::vector<std::string> ancestors_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_RUNNER_H_
