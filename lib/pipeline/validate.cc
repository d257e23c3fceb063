// The pipeline: sniff the input, run the layers in order, resolve paths
// across layers, and fill the report. See docs/notes/architecture.md.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bytes/checked_math.h"
#include "bytes/input_source.h"
#include "data/data_file.h"
#include "findings/finding_sink.h"
#include "findings/quote.h"
#include "mrml/scene_checker.h"
#include "mrmlguard/validate.h"
#include "pipeline/pipeline.h"
#include "pipeline/scratch_folder.h"
#include "text/slicer_path.h"
#include "xml/async_handler.h"
#include "xml/xml_parser.h"
#include "zip/bundle_layout.h"
#include "zip/zip_archive.h"

#if defined(MRMLGUARD_WITH_ITK)
#include "data/itk_reference.h"
#endif

namespace mrmlguard {
namespace internal {
namespace {

// A scene larger than this (one XML chunk) is judged on a thread of its own
// while it is parsed; a smaller one is not worth starting a thread for.
constexpr uint64_t kThreadedSceneBytes = uint64_t{1} << 20;

enum class Sniffed { kZip, kXml, kUnknown };

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (suffix.size() > s.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = s[s.size() - suffix.size() + i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != suffix[i]) return false;
  }
  return true;
}

// The kind is decided by content; the extension is only cross-checked.
Sniffed Sniff(InputSource& source) {
  std::vector<uint8_t> scratch;
  std::span<const uint8_t> head = source.View(0, 64, &scratch);
  if (head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
      ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
    return Sniffed::kZip;
  }
  size_t i = 0;
  if (head.size() >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf) i = 3;
  // UTF-16/32 byte order marks: an XML document the XML layer will refuse
  // with a precise finding (xml.encoding).
  if (head.size() >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff))) {
    return Sniffed::kXml;
  }
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i < head.size() && head[i] == '<') return Sniffed::kXml;
  // Anything else holding an end-of-central-directory signature near its end
  // is a ZIP with data before it (a self-extractor or a polyglot): the ZIP
  // layer says exactly what is wrong (zip.prepended-data).
  uint64_t size = source.size();
  uint64_t tail_len = std::min<uint64_t>(size, 65535 + 22);
  std::span<const uint8_t> tail = source.View(size - tail_len, static_cast<size_t>(tail_len), &scratch);
  for (size_t k = 0; k + 4 <= tail.size(); ++k) {
    if (tail[k] == 'P' && tail[k + 1] == 'K' && tail[k + 2] == 5 && tail[k + 3] == 6) return Sniffed::kZip;
  }
  return Sniffed::kUnknown;
}

// Host paths and entry names: '/' is the only separator (text/slicer_path.h).
std::string BaseName(std::string_view path) { return std::string(text::BaseName(path)); }

std::string FolderOf(std::string_view path) { return std::string(text::FolderOf(path)); }

// Collects an entry's bytes into memory up to `cap`; past it, keeps counting
// but drops the bytes (the caller reports the limit).
class CaptureSink final : public EntrySink {
 public:
  explicit CaptureSink(uint64_t cap) : cap_(cap) {}
  void Data(std::span<const uint8_t> chunk) override {
    uint64_t room = bytes_.size() < cap_ ? cap_ - bytes_.size() : 0;
    size_t take = static_cast<size_t>(std::min<uint64_t>(room, chunk.size()));
    bytes_.insert(bytes_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
    total_ += chunk.size();
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t>& bytes() { return bytes_; }
  uint64_t total() const { return total_; }
  bool complete() const { return total_ == bytes_.size(); }

 private:
  uint64_t cap_;
  std::vector<uint8_t> bytes_;
  uint64_t total_ = 0;
};

// Fans one entry's bytes out to several consumers.
class TeeSink final : public EntrySink {
 public:
  void Add(EntrySink* sink) {
    if (sink != nullptr) sinks_.push_back(sink);
  }
  void Data(std::span<const uint8_t> chunk) override {
    for (EntrySink* s : sinks_) s->Data(chunk);
  }

 private:
  std::vector<EntrySink*> sinks_;
};

// Adapts the extraction writer to EntrySink; remembers the first failure.
class WriterSink final : public EntrySink {
 public:
  explicit WriterSink(BundleWriter* writer) : writer_(writer) {}
  void Data(std::span<const uint8_t> chunk) override {
    if (ok_ && !writer_->Data(chunk)) ok_ = false;
  }
  bool ok() const { return ok_; }

 private:
  BundleWriter* writer_;
  bool ok_ = true;
};

// One referenced entry of a bundle and who references it.
struct Referenced {
  std::string storage_tag;
  std::string node_id;
};

class Runner {
 public:
  Runner(const Policy& policy, const RunOptions& options, Report* report)
      : policy_(policy), options_(options), report_(report), sink_(policy) {}

  void Run(InputSource& source);

 private:
  // Returns false when the run must stop because of an I/O error.
  bool CheckBundle(InputSource& source, uint64_t depth, BundleWriter* writer);
  void CheckSceneBytes(InputSource& source, SceneOptions options, SceneSummary* summary);
  void CheckPlainSceneData(const SceneSummary& summary);
  // One detached raw payload (a .nhdr/.mhd naming one data file): the file
  // must hold at least the bytes the header declares.
  void CheckDetachedSize(const DataFileResult& result, std::string_view detached, uint64_t have);
  void CheckBundleData(InputSource& source, const ZipEntry& entry, const Referenced& ref,
                       const CaptureSink& prefix, const ZipDirectory& dir, const EntryIndex& by_name);
  // Deep mode (Policy::deep): ITK reads the image header again, from the
  // file next to the scene or from a bundle entry written to a ScratchFolder.
  void DeepCheckPlainFile(const std::string& path, const DataFileResult& result);
  void DeepCheckEntry(InputSource& source, const ZipEntry& entry, const CaptureSink& prefix,
                      const DataFileResult& result, const ZipDirectory& dir, const EntryIndex& by_name);
  void SetIoError(std::string message) {
    if (report_->status.ok()) report_->status = Status(StatusCode::kIoError, std::move(message));
  }

  const Policy& policy_;
  const RunOptions& options_;
  Report* report_;
  FindingSink sink_;
  InflateBudget budget_;
  // Names of the bundles being audited, outermost first (for the sequence
  // self-reference rule of the scene layer).
  std::vector<std::string> ancestors_;
};

void Runner::Run(InputSource& source) {
  Sniffed kind = Sniff(source);
  std::string_view name = options_.display_path;
  bool named_bundle = EndsWithNoCase(name, ".mrb") || EndsWithNoCase(name, ".zip") || EndsWithNoCase(name, ".xar");
  bool named_scene = EndsWithNoCase(name, ".mrml") || EndsWithNoCase(name, ".xml");
  if (kind == Sniffed::kZip && named_scene) {
    sink_.Add(Rule::kInputExtensionMismatch, {}, "file is named like a scene (.mrml) but holds a ZIP bundle");
  } else if (kind == Sniffed::kXml && named_bundle) {
    sink_.Add(Rule::kInputExtensionMismatch, {},
              "file is named like a bundle (.mrb/.zip/.xar) but holds XML; Slicer would hand it to its "
              "archive reader");
  }

  if (kind == Sniffed::kUnknown) {
    report_->kind = InputKind::kUnknown;
    sink_.Add(Rule::kInputUnknownFormat, {.offset = 0},
              "content is neither a ZIP bundle (no PK signature) nor an XML scene (does not start with '<')");
  } else if (kind == Sniffed::kZip) {
    report_->kind = InputKind::kBundle;
    ancestors_.push_back(BaseName(options_.display_path));
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

// A plain scene's data files are looked up next to it, headers only. Absolute
// paths are not opened: they are already reported, and reading files outside
// the scene's folder is not the validator's business.
void Runner::CheckPlainSceneData(const SceneSummary& summary) {
  std::string folder = options_.disk_folder;
  // Paths are opened relative to the folder, opened once: a scene with many
  // storage nodes costs one path walk per file, not one per folder level.
  int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (const StorageRef& ref : summary.storage) {
    if (ref.path.empty() || ref.absolute) continue;
    std::string full = folder + "/" + ref.path;
    int fd = dir_fd >= 0 ? ::openat(dir_fd, ref.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
                         : ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && !sink_.WouldRecord(Rule::kMrmlStorageMissing)) continue;
    Location where{.line = ref.line, .column = ref.column, .node_id = ref.node_id, .attribute = ref.attribute};
    if (fd < 0) {
      sink_.Add(Rule::kMrmlStorageMissing, where,
                "storage file " + Quote(ref.path) + " does not exist next to the scene (" +
                    std::strerror(errno) + ")");
      continue;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      sink_.Add(Rule::kMrmlStorageMissing, where, "storage path " + Quote(ref.path) + " is not a regular file");
      continue;
    }
    FileSource file(fd, static_cast<uint64_t>(st.st_size));
    std::vector<uint8_t> scratch;
    uint64_t want = WantsWholeFile(ref.path, ref.tag, file.size(), policy_.limits)
                        ? file.size()
                        : std::min<uint64_t>(policy_.limits.max_header_bytes, file.size());
    std::span<const uint8_t> prefix = file.View(0, static_cast<size_t>(want), &scratch);
    if (file.io_error().empty()) {
      DataFileView view{.name = ref.path, .storage_tag = ref.tag, .prefix = prefix, .total_size = file.size()};
      FindingSink::EntryScope scope(&sink_, ref.path);
      size_t errors_before = sink_.error_count();
      DataFileResult result = CheckDataFile(view, sink_);
      ++report_->stats.data_files;
      std::string data_folder = FolderOf(full);
      for (const std::string& detached : result.detached) {
        std::string detached_full = data_folder.empty() ? detached : data_folder + "/" + detached;
        struct stat dst {};
        if (::stat(detached_full.c_str(), &dst) != 0) {
          sink_.Add(Rule::kMrmlStorageMissing, {},
                    "detached data file " + Quote(detached) + " named in the header does not exist");
        } else if (S_ISREG(dst.st_mode)) {
          CheckDetachedSize(result, detached, static_cast<uint64_t>(dst.st_size));
        }
      }
      if (policy_.deep && result.image && sink_.error_count() == errors_before) DeepCheckPlainFile(full, result);
    }
    ::close(fd);
  }
  if (dir_fd >= 0) ::close(dir_fd);
}

void Runner::CheckDetachedSize(const DataFileResult& result, std::string_view detached, uint64_t have) {
  if (result.detached.size() != 1 || result.detached_raw_bytes <= have) return;
  sink_.Add(Rule::kDataSizeMismatch, {},
            "header declares " + std::to_string(result.detached_raw_bytes) + " bytes of data but " +
                Quote(detached) + " holds " + std::to_string(have));
}

void Runner::CheckBundleData(InputSource& source, const ZipEntry& entry, const Referenced& ref,
                             const CaptureSink& prefix, const ZipDirectory& dir, const EntryIndex& by_name) {
  FindingSink::EntryScope scope(&sink_, entry.name);
  size_t errors_before = sink_.error_count();
  DataFileView view{.name = entry.name,
                    .storage_tag = ref.storage_tag,
                    .prefix = prefix.bytes(),
                    .total_size = prefix.total()};
  DataFileResult result = CheckDataFile(view, sink_);
  ++report_->stats.data_files;
  for (const std::string& detached : result.detached) {
    std::optional<std::string> resolved = ResolveInBundle(entry.name, detached);
    if (!resolved) {
      sink_.Add(Rule::kDataDetachedOutside, {},
                "detached data file " + Quote(detached) + " resolves outside the bundle");
      continue;
    }
    std::optional<size_t> target = by_name.Find(*resolved);
    if (!target) {
      sink_.Add(Rule::kBundleStorageMissing, {},
                "detached data file " + Quote(detached) + " names no entry of the bundle");
      continue;
    }
    // The entry's declared size is verified when the entry streams.
    CheckDetachedSize(result, detached, dir.entries[*target].declared_size);
  }
  if (policy_.deep && result.image && sink_.error_count() == errors_before) {
    DeepCheckEntry(source, entry, prefix, result, dir, by_name);
  }
}

#if defined(MRMLGUARD_WITH_ITK)

void Runner::DeepCheckPlainFile(const std::string& path, const DataFileResult& result) {
  // Teem opens the first data file of a detached NRRD header even to read
  // the header alone; one that is missing is already reported
  // (mrml.storage-missing), and ITK's refusal would only say it again.
  if (result.format == DataFormat::kNrrd && !result.detached.empty()) {
    std::string folder = FolderOf(path);
    std::string first = folder.empty() ? result.detached.front() : folder + "/" + result.detached.front();
    struct stat st {};
    if (::stat(first.c_str(), &st) != 0) return;
  }
  DeepCheckWithItk(path, result, sink_);
}

void Runner::DeepCheckEntry(InputSource& source, const ZipEntry& entry, const CaptureSink& prefix,
                            const DataFileResult& result, const ZipDirectory& dir, const EntryIndex& by_name) {
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
    std::optional<size_t> index = resolved ? by_name.Find(*resolved) : std::nullopt;
    if (index && dir.entries[*index].name != entry.name) data = &dir.entries[*index];
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
void Runner::DeepCheckPlainFile(const std::string&, const DataFileResult&) {
  report_->status = Status(StatusCode::kInternal, "deep mode reached in a build without ITK");
}

void Runner::DeepCheckEntry(InputSource&, const ZipEntry&, const CaptureSink&, const DataFileResult&,
                            const ZipDirectory&, const EntryIndex&) {
  report_->status = Status(StatusCode::kInternal, "deep mode reached in a build without ITK");
}

#endif  // MRMLGUARD_WITH_ITK

bool Runner::CheckBundle(InputSource& source, uint64_t depth, BundleWriter* writer) {
  size_t errors_before = sink_.error_count();
  ZipDirectory dir = AuditZip(source, sink_);
  report_->stats.entries += dir.entries.size();
  if (!source.io_error().empty()) {
    SetIoError(source.io_error());
    return false;
  }
  if (!dir.structure_ok) return true;  // findings say why; no data is trusted
  // A bundle the header pass already refuses (an unsafe name, say) is still
  // streamed for a complete report, but nothing of it is written.
  if (sink_.error_count() > errors_before) writer = nullptr;

  std::optional<size_t> main = SelectMainScene(dir, sink_);
  if (depth == 0 && main) report_->main_scene = dir.entries[*main].name;

  // Stream each entry once. The main scene goes first: its storage paths
  // decide which other entries' headers are captured.
  std::vector<size_t> order;
  order.reserve(dir.entries.size());
  if (main) order.push_back(*main);
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    if (!main || i != *main) order.push_back(i);
  }

  std::unordered_map<size_t, Referenced> referenced;
  const EntryIndex by_name(dir);  // storage and detached paths, looked up by name
  const Limits& limits = policy_.limits;
  bool io_ok = true;

  for (size_t index : order) {
    const ZipEntry& entry = dir.entries[index];
    bool is_main = main && index == *main;
    bool is_scene = !entry.is_directory && EndsWithNoCase(entry.name, ".mrml");
    bool is_nested = !entry.is_directory && (EndsWithNoCase(entry.name, ".mrb"));
    // Copied, not an iterator: the map grows while the main scene is checked.
    std::optional<Referenced> referrer;
    if (auto it = referenced.find(index); it != referenced.end()) referrer = it->second;

    TeeSink tee;
    std::unique_ptr<CaptureSink> scene_capture;
    std::unique_ptr<CaptureSink> nested_capture;
    std::unique_ptr<CaptureSink> prefix_capture;
    if (is_scene) {
      scene_capture = std::make_unique<CaptureSink>(limits.max_scene_bytes);
      tee.Add(scene_capture.get());
    }
    if (is_nested) {
      if (depth + 1 > limits.max_bundle_depth) {
        FindingSink::EntryScope scope(&sink_, entry.name);
        sink_.LimitReached(Rule::kBundleNestingTooDeep, "max_bundle_depth", limits.max_bundle_depth, {},
                           "by nested bundle " + Quote(entry.name));
      } else {
        nested_capture = std::make_unique<CaptureSink>(limits.max_nested_bundle_bytes);
        tee.Add(nested_capture.get());
      }
    }
    if (referrer) {
      // JSON and text tables are judged whole (label formats, shader code);
      // binary formats only need their header.
      uint64_t cap = WantsWholeFile(entry.name, referrer->storage_tag, entry.declared_size, limits)
                         ? entry.declared_size
                         : limits.max_header_bytes;
      prefix_capture = std::make_unique<CaptureSink>(cap);
      tee.Add(prefix_capture.get());
    }
    std::unique_ptr<WriterSink> writer_sink;
    if (writer != nullptr) {
      if (!writer->BeginEntry(entry)) {
        SetIoError(writer->error());
        return false;
      }
      writer_sink = std::make_unique<WriterSink>(writer);
      tee.Add(writer_sink.get());
    }

    bool data_ok = StreamEntry(source, entry, &budget_, sink_, &tee);
    if (!source.io_error().empty()) {
      SetIoError(source.io_error());
      return false;
    }
    if (writer != nullptr) {
      if (!writer_sink->ok() || !writer->EndEntry()) {
        SetIoError(writer->error());
        return false;
      }
    }
    if (!data_ok) continue;  // the entry's bytes are not what the headers say; findings are recorded

    if (scene_capture) {
      FindingSink::EntryScope scope(&sink_, entry.name);
      if (!scene_capture->complete()) {
        sink_.LimitReached(Rule::kXmlLimitExceeded, "max_scene_bytes", limits.max_scene_bytes, {},
                           "by scene entry of " + std::to_string(scene_capture->total()) + " bytes");
      } else {
        SceneOptions scene_options;
        scene_options.in_bundle = true;
        scene_options.scene_name = entry.name;
        SceneSummary summary;
        MemorySource scene_source(scene_capture->bytes());
        CheckSceneBytes(scene_source, scene_options, &summary);
        // Storage paths resolve against the scene's own folder, as Slicer sets
        // RootDirectory to it (for the main scene and for nested .seq.mrml).
        for (const StorageRef& ref : summary.storage) {
          if (ref.path.empty()) continue;
          Location where{.line = ref.line, .column = ref.column, .node_id = ref.node_id,
                         .attribute = ref.attribute};
          std::optional<std::string> resolved = ResolveInBundle(entry.name, ref.path);
          if (!resolved) {
            sink_.Add(Rule::kBundleStorageOutside, where,
                      "storage path " + Quote(ref.path) + " resolves outside the bundle");
            continue;
          }
          std::optional<size_t> target = by_name.Find(*resolved);
          if (!target) {
            sink_.Add(Rule::kBundleStorageMissing, where,
                      "storage path " + Quote(ref.path) + " names no entry of the bundle (looked for " +
                          Quote(*resolved) + ")");
            continue;
          }
          // Only the main scene is read before the other entries stream, so
          // only its references get their headers captured and checked.
          if (is_main) referenced.emplace(*target, Referenced{ref.tag, ref.node_id});
        }
      }
    }
    if (nested_capture) {
      FindingSink::EntryScope scope(&sink_, entry.name);
      if (!nested_capture->complete()) {
        sink_.LimitReached(Rule::kZipLimitExceeded, "max_nested_bundle_bytes", limits.max_nested_bundle_bytes, {},
                           "by nested bundle of " + std::to_string(nested_capture->total()) + " bytes");
      } else {
        MemorySource nested(nested_capture->bytes());
        ancestors_.push_back(entry.name);
        io_ok = CheckBundle(nested, depth + 1, nullptr) && io_ok;
        ancestors_.pop_back();
      }
    }
    if (prefix_capture && referrer) {
      CheckBundleData(source, entry, *referrer, *prefix_capture, dir, by_name);
    }
  }
  return io_ok;
}

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

bool DeepModeAvailable() {
#if defined(MRMLGUARD_WITH_ITK)
  return true;
#else
  return false;
#endif
}

Report Validate(const std::string& path, const Policy& policy) {
  auto start = std::chrono::steady_clock::now();
  Report report = internal::ValidatePath(path, policy, nullptr, false);
  report.stats.elapsed_microseconds = MicrosecondsSince(start);
  return report;
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
