// SPDX-License-Identifier: BSD-3-Clause
// File: canonical_writer.h
//
// CanonicalZipWriter: writes the one ZIP form mrmlguard emits (for
// `mrmlguard sanitize`), chosen so that Slicer's reader (libarchive, through
// vtkArchive::UnZip), libzip and our own audit read the same archive, and so
// that the same entries always give the same bytes. docs/notes/zip.md
// ("The canonical form") gives the reason for each choice:
//
//   [local header, name, data]*  central headers  EOCD      nothing else
//
//   - every entry below one top folder `<Top>/`, in the order added;
//   - method 0 (stored) or 8 (raw deflate, zlib level 6), stored when deflate
//     does not shrink the entry or would exceed max_compression_ratio;
//   - no extra fields, no data descriptors, no comments, no encryption, no
//     ZIP64: an entry or archive that would need ZIP64 is refused;
//   - DOS time 1980-01-01 00:00, version needed 2.0, made by Unix, external
//     attributes 0100644 (files) or 040755 plus the MS-DOS folder bit
//     (folders), flag bit 11 only for a name with a non-ASCII byte.
//
// Everything is checked before a byte of the entry is written: the name by
// the audit's own name rules (CheckEntryName under the strict profile, the
// fold-key duplicate and file/folder collision rules, 255-byte components),
// and every size against the Limits and the 32-bit fields. A refused entry
// leaves the output unchanged and the writer usable. Finish() writes the
// central directory and then, when the output can be read back, runs
// AuditZip over it (libzip second opinion included): any finding at all fails
// Finish, so a finished archive is one the audit accepts without a word.
//
//   std::string zip;
//   StringZipOutput out(&zip);
//   CanonicalZipWriter w(out, Limits::Default(), "Scene");
//   if (!w.ok()) -> w.error()                       // top folder refused
//   w.AddFile("Scene.mrml", scene_bytes);           // becomes "Scene/Scene.mrml"
//   CopyAuditedEntry(w, "Data/vol.nrrd", src, entry, sink);   // from an audited bundle
//   if (!w.Finish()) -> w.error(); discard the output
//
// AddFile/AddDirectory return false with error() set; then ok() says whether
// only that entry was refused (true) or the output is broken (false: an I/O
// error, a producer that gave other bytes the second time, a self-audit
// finding) and must be discarded.

#ifndef MRMLGUARD_LIB_ZIP_CANONICAL_WRITER_H_
#define MRMLGUARD_LIB_ZIP_CANONICAL_WRITER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/policy.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// Where the archive's bytes go, in order.
class ZipOutput {
 public:
  virtual ~ZipOutput() = default;
  // Appends `bytes`; false (with *error set) when they could not be written.
  virtual bool Write(std::span<const uint8_t> bytes, std::string* error) = 0;
  // The bytes written so far, as a source for the writer's self-audit, or
  // null when they cannot be read back. Valid until the next Write.
  virtual InputSource* ReadBack() { return nullptr; }
};

// Appends to a caller-owned string.
class StringZipOutput final : public ZipOutput {
 public:
  explicit StringZipOutput(std::string* bytes) : bytes_(bytes) {}
  bool Write(std::span<const uint8_t> bytes, std::string* error) override;
  InputSource* ReadBack() override;

 private:
  std::string* bytes_;
  std::unique_ptr<MemorySource> source_;
};

// Writes to a caller-owned descriptor with write(2) (retrying short writes
// and EINTR). The archive starts where the descriptor stands. It can be read
// back (FileSource over pread) only when the descriptor is open for reading
// and writing (O_RDWR), and stood at offset 0 of an empty regular file when
// this was made (so that the file holds exactly what was written); otherwise Finish() cannot audit what it wrote (self_audited() false),
// and the caller should validate the file itself.
class FdZipOutput final : public ZipOutput {
 public:
  explicit FdZipOutput(int fd);
  bool Write(std::span<const uint8_t> bytes, std::string* error) override;
  InputSource* ReadBack() override;

 private:
  int fd_;
  bool readable_ = false;
  uint64_t written_ = 0;
  std::unique_ptr<FileSource> source_;
};

// An entry's bytes on demand, for entries too large to hold: the writer asks
// once to learn the size, CRC and deflated size (everything the local header
// says before the data), and, unless the entry is small enough to keep from
// the first pass, a second time to write it. Every call must give the same
// bytes; the writer checks that they do.
class EntryProducer {
 public:
  virtual ~EntryProducer() = default;
  // Hands the entry's bytes to `out`, in order. Returns false (with *error
  // set) when they could not be produced; the entry is then refused.
  virtual bool Produce(EntrySink& out, std::string* error) = 0;
};

struct CanonicalOptions {
  // Write the folder entry of every folder an entry lies in ("Top/" first)
  // before the first entry inside it. Off: only AddDirectory writes folder
  // entries (the audit and libarchive need none).
  bool implied_folders = true;
  // Finish() audits the finished archive when the output can be read back.
  bool self_audit = true;
  // A producer's entry of at most this many bytes is kept in memory from
  // its first pass instead of being produced a second time.
  uint64_t keep_in_memory_bytes = 8u << 20;
};

class CanonicalZipWriter {
 public:
  // `top` is the top folder's name: one path component, accepted by the
  // audit's name rules (a bad one leaves ok() false and error() set).
  // `limits` bound every entry and the archive, as the audit bounds them.
  CanonicalZipWriter(ZipOutput& out, const Limits& limits, std::string_view top, CanonicalOptions options = {});
  CanonicalZipWriter(const CanonicalZipWriter&) = delete;
  CanonicalZipWriter& operator=(const CanonicalZipWriter&) = delete;

  // False once the output is unusable (see the file comment).
  bool ok() const { return ok_; }
  // Why the last call failed.
  const std::string& error() const { return error_; }
  const std::string& top() const { return top_; }

  // Adds the folder `path` (relative to the top folder, with or without a
  // trailing '/'; "" is the top folder itself). Adding a folder already
  // written is a no-op.
  bool AddDirectory(std::string_view path);
  // Adds the file `path` (relative to the top folder) with `data`.
  bool AddFile(std::string_view path, std::span<const uint8_t> data);
  bool AddFile(std::string_view path, std::string_view data) {
    return AddFile(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  }
  // Adds the file `path` with the bytes `producer` gives (see EntryProducer).
  bool AddFile(std::string_view path, EntryProducer& producer);
  // Writes the central directory and the EOCD, then (CanonicalOptions::
  // self_audit) audits the result. No entry can be added afterwards.
  bool Finish();

  // True after a Finish() that audited the archive it wrote (false when
  // self_audit is off or the output cannot be read back).
  bool self_audited() const { return self_audited_; }
  uint64_t bytes_written() const { return offset_; }
  size_t entry_count() const { return entries_; }

 private:
  struct Measured;                   // what the first pass of a producer learned
  bool Fail(std::string message);    // refuses the call, writer still usable
  bool Broken(std::string message);  // the output is unusable
  bool Usable();
  // The whole name of `path` below the top folder ("" for the top folder).
  bool FullName(std::string_view path, bool is_directory, std::string* full);
  // Checks `full` and (with implied_folders) its parent folders that are not
  // written yet against the name rules and every entry so far; fills
  // *to_write with the names to write, parents first. Writes nothing.
  bool PlanNames(const std::string& full, bool is_directory, std::vector<std::string>* to_write);
  // Checks that the entries `to_write` (the last one holding `size` bytes,
  // `compressed` of them written) fit every limit and the 32-bit fields.
  bool CheckRoom(const std::vector<std::string>& to_write, uint64_t size, uint64_t compressed);
  // Writes the folder entries of `to_write` but the last.
  bool WriteParents(const std::vector<std::string>& to_write);
  bool WriteHeaders(const std::string& full, bool is_directory, uint16_t method, uint32_t crc, uint64_t size,
                    uint64_t compressed);
  void Record(const std::string& full, bool is_directory);
  bool Emit(std::span<const uint8_t> bytes);

  ZipOutput& out_;
  Policy policy_;  // strict profile with the caller's limits: the name rules and the self-audit
  const Limits& limits_;
  CanonicalOptions options_;
  std::string top_;
  std::string error_;
  bool ok_ = true;
  bool finished_ = false;
  bool self_audited_ = false;
  uint64_t offset_ = 0;      // bytes written so far
  uint64_t total_size_ = 0;  // uncompressed bytes of every entry so far
  size_t entries_ = 0;
  std::string central_;  // the central directory, built as entries are written
  // Fold keys (FoldKey, without the trailing '/') of every written entry,
  // with the exact name and whether it is a folder.
  struct Written {
    std::string name;
    bool is_directory;
  };
  std::unordered_map<std::string, Written> by_key_;
  std::unordered_set<std::string> parent_keys_;  // fold keys of every folder an entry lies in
};

// The top folder every entry of `dir` lies in ("Scene" for "Scene/a.mrml"),
// or nullopt when an entry lies at the root or two entries disagree: the
// folder to give CanonicalZipWriter when re-packing, entries named below it.
std::optional<std::string> CommonTopFolder(const ZipDirectory& dir);

// Produces the bytes of `entry` of an audited archive through StreamEntry
// (the one inflate path, under the per-entry limits, size and CRC checked);
// the findings of a refusal go to `sink`. `budget`, when given, is charged on
// the first call only (the replay reads the same bytes again).
class AuditedEntryProducer final : public EntryProducer {
 public:
  AuditedEntryProducer(InputSource& source, const ZipEntry& entry, FindingSink& sink, InflateBudget* budget = nullptr)
      : source_(source), entry_(entry), sink_(sink), budget_(budget) {}
  bool Produce(EntrySink& out, std::string* error) override;

 private:
  InputSource& source_;
  const ZipEntry& entry_;
  FindingSink& sink_;
  InflateBudget* budget_;
  bool charged_ = false;
};

// Copies `entry` of an audited archive (AuditZip found its structure sound)
// into `writer` as the file `path`: its validated bytes, re-deflated or
// stored by the canonical rule, never its compressed bytes as they were.
// False with writer.error() set when the entry is refused (a stream finding
// goes to `sink` as well).
bool CopyAuditedEntry(CanonicalZipWriter& writer, std::string_view path, InputSource& source, const ZipEntry& entry,
                      FindingSink& sink, InflateBudget* budget = nullptr);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_CANONICAL_WRITER_H_
