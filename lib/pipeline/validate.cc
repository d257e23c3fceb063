// SPDX-License-Identifier: BSD-3-Clause
// The pipeline's run over one input: sniff it, dispatch to the bundle or the
// plain-scene run, and fill the report. See runner.h for where each part
// lives, and docs/notes/architecture.md.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_set>

#include "bytes/checked_math.h"
#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "findings/quote.h"
#include "mrml/scene_checker.h"
#include "mrmlguard/validate.h"
#include "pipeline/pipeline.h"
#include "pipeline/runner.h"
#include "pipeline/sniff.h"
#include "text/slicer_path.h"
#include "xml/async_handler.h"
#include "xml/xml_parser.h"

namespace mrmlguard {
namespace internal {
namespace {

// A scene larger than this (one XML chunk) is judged on a thread of its own
// while it is parsed; a smaller one is not worth starting a thread for.
constexpr uint64_t kThreadedSceneBytes = uint64_t{1} << 20;

}  // namespace

// Host paths and entry names: '/' is the only separator (text/slicer_path.h).
std::string BaseName(std::string_view path) { return std::string(text::BaseName(path)); }

std::string FolderOf(std::string_view path) { return std::string(text::FolderOf(path)); }

std::vector<bool> ListMembersOnly(const SceneSummary& summary) {
  std::vector<bool> out(summary.storage.size(), false);
  auto is_member = [](const StorageRef& ref) { return ref.attribute.starts_with("fileListMember"); };
  // Only the nodes that have list members need their main files looked up
  // (a scene of a million storage nodes without lists builds no set).
  std::unordered_set<std::string_view> listing_nodes;
  for (const StorageRef& ref : summary.storage) {
    if (is_member(ref)) listing_nodes.insert(ref.node_id);
  }
  if (listing_nodes.empty()) return out;
  std::unordered_set<std::string> main_files;  // node id, NUL, path
  for (const StorageRef& ref : summary.storage) {
    if (ref.attribute == "fileName" && listing_nodes.contains(ref.node_id)) {
      main_files.insert(ref.node_id + '\0' + ref.path);
    }
  }
  for (size_t i = 0; i < summary.storage.size(); ++i) {
    const StorageRef& ref = summary.storage[i];
    out[i] = is_member(ref) && !main_files.contains(ref.node_id + '\0' + ref.path);
  }
  return out;
}

void Runner::Run(InputSource& source) {
  Sniffed kind = Sniff(source);
  CheckExtension(kind, options_.display_path, sink_);

  if (kind == Sniffed::kUnknown) {
    report_->kind = InputKind::kUnknown;
    sink_.Add(Rule::kInputUnknownFormat, {.offset = 0},
              "content is neither a ZIP bundle (no PK signature) nor an XML scene (does not start with '<')");
  } else if (kind == Sniffed::kZip) {
    report_->kind = InputKind::kBundle;
    ancestors_.push_back(BaseName(options_.display_path));
    AddInspectInput(source.size());
    CheckBundle(source, 0, options_.writer);
  } else {
    report_->kind = InputKind::kScene;
    if (options_.require_bundle) {
      report_->status = Status(StatusCode::kInvalidArgument, "not a bundle: the file holds an XML scene");
    } else {
      SceneOptions scene_options;
      scene_options.in_bundle = false;
      scene_options.scene_name = BaseName(options_.display_path);
      SceneSummary summary;
      // A scene over max_scene_bytes is the XML layer's finding; one under it
      // still counts towards the bundles it may reference.
      if (source.size() <= policy_.limits.max_scene_bytes) ClaimSceneBytes(source.size(), "the scene");
      CheckSceneBytes(source, scene_options, &summary);
      if (!options_.disk_folder.empty()) CheckPlainSceneData(summary);
    }
  }
  if (!source.io_error().empty()) SetIoError(source.io_error());

  report_->stats.bytes_read += source.bytes_read();
  report_->stats.bytes_inflated = budget_.total_inflated;
  report_->findings = sink_.TakeFindings();
  report_->verdict = (report_->status.ok() && sink_.error_count() == 0) ? Verdict::kAccepted : Verdict::kRejected;
}

bool Runner::ClaimSceneBytes(uint64_t bytes, std::string_view what) {
  const uint64_t limit = policy_.limits.max_total_scene_bytes;
  uint64_t total = 0;
  if (CheckedAdd(scene_bytes_, bytes, &total) && total <= limit) {
    scene_bytes_ = total;
    return true;
  }
  sink_.LimitReached(Rule::kXmlLimitExceeded, "max_total_scene_bytes", limit, {},
                     "by " + std::string(what) + ": " + std::to_string(bytes) + " bytes of scene documents after " +
                         std::to_string(scene_bytes_) + " already counted; refused before any of them is parsed");
  scene_bytes_ = limit;  // reported once per run: whatever follows is over too
  return false;
}

void Runner::AddInspectInput(uint64_t bytes) {
  if (!CheckedAdd(inspect_input_bytes_, bytes, &inspect_input_bytes_)) inspect_input_bytes_ = UINT64_MAX;
  uint64_t scaled = 0;
  if (!CheckedMul(inspect_input_bytes_, policy_.limits.max_inspected_bytes_per_input_byte, &scaled)) {
    scaled = UINT64_MAX;
  }
  inspect_budget_ = std::max(policy_.limits.max_inspected_bytes, scaled);
}

DataFileResult Runner::CheckData(DataFileView view) {
  const uint64_t limit = policy_.limits.max_total_detached_files;
  view.detached_room = limit > detached_lookups_ ? limit - detached_lookups_ : 0;
  view.detached_room_reported = detached_reported_;
  DataFileResult result = CheckDataFile(view, sink_);
  if (result.detached_room_reached) detached_reported_ = true;  // the data layer said it
  ++report_->stats.data_files;
  return result;
}

bool Runner::ClaimDetachedLookup() {
  const uint64_t limit = policy_.limits.max_total_detached_files;
  if (detached_lookups_ < limit) {
    ++detached_lookups_;
    return true;
  }
  if (!detached_reported_) {
    detached_reported_ = true;
    sink_.LimitReached(Rule::kDataLimitExceeded, "max_total_detached_files", limit, {},
                       "by the detached data files of this header: the headers this check read name more files "
                       "(counted once per folder they are looked up in)");
  }
  return false;
}

bool Runner::ClaimInspectedBytes(uint64_t bytes, uint64_t cost, std::string_view entry) {
  uint64_t total = 0;
  if (CheckedAdd(inspected_bytes_, cost, &total) && total <= inspect_budget_) {
    inspected_bytes_ = total;
    return true;
  }
  if (inspected_bytes_ <= inspect_budget_) {
    const Limits& limits = policy_.limits;
    FindingSink::EntryScope scope(&sink_, std::string(entry));
    const std::string weighted =
        cost == bytes
            ? std::string()
            : " (counted as " + std::to_string(cost) +
                  ": inflated bytes that are then parsed or read again count more: a scene " +
                  std::to_string(kSceneWeight) + " times, a JSON file or text table " + std::to_string(kTextWeight) +
                  " times, the bytes a nested bundle's compression hid " + std::to_string(kNestedWeight) + " times)";
    sink_.LimitReached(Rule::kInputLimitExceeded, "max_inspected_bytes", inspect_budget_, {},
                       "by entry " + Quote(entry) + ", which the check would inflate " + std::to_string(bytes) +
                           " bytes of" + weighted + " after " + std::to_string(inspected_bytes_) +
                           " (the budget is the larger of max_inspected_bytes, " +
                           std::to_string(limits.max_inspected_bytes) + ", and " +
                           std::to_string(limits.max_inspected_bytes_per_input_byte) +
                           " bytes per byte of the bundle); refused before it is inflated");
    inspected_bytes_ = UINT64_MAX;  // reported once per run: every entry after it is refused silently
  }
  return false;
}

void Runner::CheckSceneBytes(InputSource& source, SceneOptions options, SceneSummary* summary) {
  options.ancestor_names = ancestors_;
  // The scene rules report to a sink of their own, so that for a large scene
  // they can run on their own thread beside the parser (AsyncHandler); their
  // findings follow the XML layer's in the report, whatever the size.
  FindingSink scene_sink(policy_);
  std::unique_ptr<SceneChecker> checker = SceneChecker::Create(scene_sink, options);
  AsyncHandler handler(*checker, source.size() > kThreadedSceneBytes, sink_);
  XmlOptions xml_options;
  size_t errors_before = sink_.error_count();
  bool parsed = ParseXml(source, handler, sink_, xml_options) && !handler.lost_events();
  sink_.Absorb(scene_sink);
  if (!parsed && sink_.error_count() == errors_before) {
    // Fail closed: a document the parsers did not read to the end was not
    // checked, whatever a severity override did to the finding that said why.
    sink_.Add(Rule::kXmlMalformed, {},
              "the XML document was not read to its end (a stopping finding was turned off); the rest "
              "was not checked");
  }
  *summary = checker->TakeSummary();
  report_->stats.nodes += summary->nodes;
}

void Runner::CheckDetachedSize(const DataFileResult& result, std::string_view detached, uint64_t have) {
  if (result.detached.size() != 1 || result.detached_raw_bytes <= have) return;
  sink_.Add(Rule::kDataSizeMismatch, {},
            "header declares " + std::to_string(result.detached_raw_bytes) + " bytes of data but " + Quote(detached) +
                " holds " + std::to_string(have));
}

void Runner::CheckLoad(const DataFileResult& result, uint64_t loads, std::optional<uint64_t> detached_size) {
  const Limits& limits = policy_.limits;
  // Images: the bytes the header declares; meshes, tables, markups and
  // segmentation layers: DataFileResult::load_bytes.
  const uint64_t image_bytes = result.image ? result.image->total_bytes : 0;
  uint64_t declared = 0;
  if (!CheckedAdd(image_bytes, result.load_bytes, &declared)) declared = UINT64_MAX;
  if (declared == 0) return;
  // A gzip/bzip2 payload of a few bytes passes the data layer's "at least one
  // byte" test, yet its header asks the reader (ITK) to allocate the whole
  // image before inflating. Deflate cannot exceed about 1032:1, so a payload
  // this short cannot produce what it declares.
  std::optional<uint64_t> compressed = result.compressed_payload_bytes;
  if (!compressed && result.detached_compressed) compressed = detached_size;
  if (compressed && image_bytes > limits.ratio_floor_bytes) {
    uint64_t can_produce = 0;
    if (CheckedMul(*compressed, limits.max_compression_ratio, &can_produce) && image_bytes > can_produce) {
      sink_.Add(Rule::kBundlePayloadRatio, {},
                "image declares " + std::to_string(image_bytes) + " bytes from a compressed payload of " +
                    std::to_string(*compressed) + " bytes, a ratio over max_compression_ratio (" +
                    std::to_string(limits.max_compression_ratio) + ")");
    }
  }
  uint64_t bytes = 0;
  if (!CheckedMul(declared, loads, &bytes) || !CheckedAdd(load_bytes_, bytes, &load_bytes_)) load_bytes_ = UINT64_MAX;
  if (load_bytes_ > limits.max_scene_load_bytes && !load_reported_) {
    load_reported_ = true;
    sink_.LimitReached(Rule::kBundleLoadMemory, "max_scene_load_bytes", limits.max_scene_load_bytes, {},
                       "by the data loaded so far: " + std::to_string(load_bytes_) + " bytes (this file: " +
                           std::to_string(declared) + " bytes, loaded " + std::to_string(loads) + " times)");
  }
}

namespace {

Status CheckPolicy(const Policy& policy) {
  if (policy.deep && !DeepModeAvailable()) {
    return Status(StatusCode::kInvalidArgument,
                  "deep mode needs ITK, and this mrmlguard was built without ITK (configure with "
                  "-DMRMLGUARD_WITH_ITK=ON and GCC)");
  }
  for (const SeverityOverride& o : policy.overrides) {
    if (FindRule(o.rule_id) == nullptr) {
      return Status(StatusCode::kInvalidArgument, "unknown rule id in severity override: " + Quote(o.rule_id));
    }
  }
  return Status();
}

}  // namespace

void RunInput(InputSource& source, const Policy& policy, const RunOptions& options, Report* report) {
  try {
    Runner runner(policy, options, report);
    runner.Run(source);
  } catch (const std::bad_alloc&) {
    report->status = Status(StatusCode::kInternal, "out of memory");
    report->verdict = Verdict::kRejected;
  } catch (...) {
    report->status = Status(StatusCode::kInternal, "unexpected exception");
    report->verdict = Verdict::kRejected;
  }
}

// Opens `path` once, checks it is a regular, non-empty file within the size
// limit, and runs the pipeline over it. Shared by Validate and Extract.
Report ValidatePath(const std::string& path, const Policy& policy, BundleWriter* writer, bool require_bundle) {
  Report report;
  report.path = path;
  Status policy_status = CheckPolicy(policy);
  if (!policy_status.ok()) {
    report.status = policy_status;
    return report;
  }
  // O_NONBLOCK so that a FIFO cannot block the open; regular files ignore it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    report.status = Status(StatusCode::kIoError, std::string("cannot open: ") + std::strerror(errno));
    return report;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    report.status = Status(StatusCode::kIoError, std::string("cannot stat: ") + std::strerror(errno));
    ::close(fd);
    return report;
  }
  if (S_ISDIR(st.st_mode)) {
    report.status = Status(StatusCode::kIoError, "is a directory");
  } else if (!S_ISREG(st.st_mode)) {
    report.status = Status(StatusCode::kIoError, "not a regular file");
  } else if (st.st_size == 0) {
    report.status = Status(StatusCode::kEmptyInput, "file is empty");
  } else if (static_cast<uint64_t>(st.st_size) > policy.limits.max_input_bytes) {
    // Refused before reading a byte of content.
    FindingSink sink(policy);
    sink.LimitReached(Rule::kInputLimitExceeded, "max_input_bytes", policy.limits.max_input_bytes, {},
                      "by a file of " + std::to_string(st.st_size) + " bytes");
    report.findings = sink.TakeFindings();
    report.verdict = Verdict::kRejected;
  } else {
    FileSource source(fd, static_cast<uint64_t>(st.st_size));
    RunOptions options;
    options.display_path = path;
    options.disk_folder = FolderOf(path);
    if (options.disk_folder.empty() && !path.empty() && path.front() != '/') options.disk_folder = ".";
    options.writer = writer;
    options.require_bundle = require_bundle;
    RunInput(source, policy, options, &report);
  }
  ::close(fd);
  return report;
}

}  // namespace internal

namespace {
uint64_t MicrosecondsSince(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}
}  // namespace

Report Validate(const std::string& path, const Policy& policy) {
  auto start = std::chrono::steady_clock::now();
  Report report = internal::ValidatePath(path, policy, nullptr, false);
  report.stats.elapsed_microseconds = MicrosecondsSince(start);
  return report;
}

Report ValidateBytes(const uint8_t* data, size_t size, std::string_view name_hint, const Policy& policy) {
  if (data == nullptr && size != 0) {
    Report report;
    report.path = std::string(name_hint);
    report.status = Status(StatusCode::kInvalidArgument, "no bytes given for a non-zero size");
    return report;
  }
  return ValidateBytes(std::span<const uint8_t>(data, size), name_hint, policy);
}

Report ValidateBytes(std::span<const uint8_t> bytes, std::string_view name_hint, const Policy& policy) {
  auto start = std::chrono::steady_clock::now();
  Report report;
  report.path = std::string(name_hint);
  Status policy_status = internal::CheckPolicy(policy);
  if (!policy_status.ok()) {
    report.status = policy_status;
  } else if (bytes.empty()) {
    report.status = Status(StatusCode::kEmptyInput, "input is empty");
  } else if (bytes.size() > policy.limits.max_input_bytes) {
    internal::FindingSink sink(policy);
    sink.LimitReached(internal::Rule::kInputLimitExceeded, "max_input_bytes", policy.limits.max_input_bytes, {},
                      "by an input of " + std::to_string(bytes.size()) + " bytes");
    report.findings = sink.TakeFindings();
  } else {
    internal::MemorySource source(bytes);
    internal::RunOptions options;
    options.display_path = std::string(name_hint);
    internal::RunInput(source, policy, options, &report);
  }
  report.stats.elapsed_microseconds = MicrosecondsSince(start);
  return report;
}

}  // namespace mrmlguard
