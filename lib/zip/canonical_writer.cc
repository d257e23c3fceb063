// SPDX-License-Identifier: BSD-3-Clause
// The canonical ZIP writer (canonical_writer.h). Records as in APPNOTE.TXT
// 6.3.x section 4.3 (zip_records.h has the field offsets); why each field
// holds what it holds: docs/notes/zip.md, "The canonical form".

#define ZLIB_CONST
#include <zlib.h>

#include "zip/canonical_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "bytes/checked_math.h"
#include "findings/quote.h"
#include "zip/zip_crc.h"
#include "zip/zip_names.h"
#include "zip/zip_records.h"
#include "zip/zip_text.h"

namespace mrmlguard::internal {
namespace {

// The largest value a 32-bit (16-bit) field holds without meaning "see the
// ZIP64 record" (APPNOTE 4.4.1.4): the saturated value itself is refused.
constexpr uint64_t kMax32 = kSat32 - 1u;
constexpr uint64_t kMax16 = kSat16 - 1u;

// APPNOTE 4.4.4 general purpose bit 11: the name is UTF-8.
constexpr uint16_t kFlagUtf8 = 1u << 11;
// APPNOTE 4.4.3: 2.0 is what deflate and folders need.
constexpr uint16_t kVersionNeeded = 20;
// APPNOTE 4.4.2: high byte 3 = Unix (the external attributes carry st_mode),
// low byte the specification version the writer follows (2.0).
constexpr uint16_t kMadeBy = (3u << 8) | 20u;
// MS-DOS date 1980-01-01 (APPNOTE 4.4.6: day 1, month 1, year 1980 + 0) at
// 00:00:00, the earliest DOS time: no clock, the same bytes every run.
constexpr uint16_t kDosTime = 0;
constexpr uint16_t kDosDate = (0u << 9) | (1u << 5) | 1u;
// APPNOTE 4.4.15: st_mode in the high 16 bits for a Unix host; 0x10 is the
// MS-DOS folder bit, which readers that ignore the host also understand.
constexpr uint32_t kFileAttributes = 0100644u << 16;
constexpr uint32_t kFolderAttributes = (040755u << 16) | 0x10u;
// zlib level 6 (Z_DEFAULT_COMPRESSION), raw deflate (no zlib header, APPNOTE
// 5.5), the default window and memory level.
constexpr int kDeflateLevel = 6;
// The longest path component file systems store (bundle_layout.cc, where
// the audit's ModelLanding applies the same bound).
constexpr size_t kMaxComponentBytes = 255;
constexpr size_t kChunk = 64 * 1024;

void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}
void Put32(std::string* out, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::span<const uint8_t> Bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

bool HasNonAscii(std::string_view name) {
  return std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string WithoutSlash(std::string_view name) {
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  return std::string(name);
}

// Raw deflate at level 6, output handed to `emit` in pieces. One instance
// per pass; the same input always gives the same output with one zlib.
class Deflater {
 public:
  template <typename Emit>
  bool Feed(std::span<const uint8_t> in, int flush, Emit&& emit) {
    if (!started_) {
      if (deflateInit2(&zs_, kDeflateLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
      started_ = true;
    }
    uint8_t buffer[kChunk];
    size_t done = 0;
    for (;;) {
      // avail_in is 32-bit: feed at most kChunk at a time.
      size_t n = std::min(in.size() - done, kChunk);
      zs_.next_in = in.data() + done;
      zs_.avail_in = static_cast<uInt>(n);
      const int mode = done + n == in.size() ? flush : Z_NO_FLUSH;
      do {
        zs_.next_out = buffer;
        zs_.avail_out = sizeof buffer;
        int rc = deflate(&zs_, mode);
        if (rc == Z_STREAM_ERROR) return false;
        size_t got = sizeof buffer - zs_.avail_out;
        if (got != 0) emit(std::span<const uint8_t>(buffer, got));
        if (mode == Z_FINISH && rc == Z_STREAM_END) return true;
        // With room for output, Z_FINISH always makes progress; never spin.
        if (mode == Z_FINISH && got == 0 && rc == Z_BUF_ERROR) return false;
      } while (zs_.avail_out == 0 || (mode == Z_FINISH));
      done += n;
      if (done == in.size()) return true;
    }
  }
  ~Deflater() {
    if (started_) deflateEnd(&zs_);
  }

 private:
  z_stream zs_{};
  bool started_ = false;
};

// Deflates `data` whole; nullopt when zlib failed.
std::optional<std::vector<uint8_t>> DeflateAll(std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  Deflater d;
  if (!d.Feed(data, Z_FINISH,
              [&](std::span<const uint8_t> piece) { out.insert(out.end(), piece.begin(), piece.end()); })) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- outputs

bool StringZipOutput::Write(std::span<const uint8_t> bytes, std::string* /*error*/) {
  source_.reset();
  bytes_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return true;
}

InputSource* StringZipOutput::ReadBack() {
  source_ = std::make_unique<MemorySource>(Bytes(*bytes_));
  return source_.get();
}

FdZipOutput::FdZipOutput(int fd) : fd_(fd) {
  struct stat st {};
  const int flags = fcntl(fd, F_GETFL);
  readable_ = flags >= 0 && (flags & O_ACCMODE) == O_RDWR && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              st.st_size == 0 && lseek(fd, 0, SEEK_CUR) == 0;
}

bool FdZipOutput::Write(std::span<const uint8_t> bytes, std::string* error) {
  source_.reset();
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::string("cannot write the archive: ") + std::strerror(errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  written_ += bytes.size();
  return true;
}

InputSource* FdZipOutput::ReadBack() {
  if (!readable_) return nullptr;
  source_ = std::make_unique<FileSource>(fd_, written_);
  return source_.get();
}

// ---------------------------------------------------------------- writer

// Size, CRC and deflated size of a producer's bytes; the bytes themselves
// when they fit in CanonicalOptions::keep_in_memory_bytes.
struct CanonicalZipWriter::Measured {
  uint64_t size = 0;
  uint32_t crc = 0;
  uint64_t deflated = 0;
  bool kept = true;
  std::vector<uint8_t> bytes;
};

CanonicalZipWriter::CanonicalZipWriter(ZipOutput& out, const Limits& limits, std::string_view top,
                                       CanonicalOptions options)
    : out_(out), policy_(Policy::Strict()), limits_(policy_.limits), options_(options), top_(top) {
  policy_.limits = limits;
  if (top_.empty() || top_.find('/') != std::string::npos) {
    ok_ = false;
    error_ = "top folder " + Quote(top_) + " is not one path component";
    return;
  }
  // Checked as the folder entry "Top/" is checked, whether written or not.
  std::vector<std::string> plan;
  if (!PlanNames(top_ + "/", true, &plan)) ok_ = false;
}

bool CanonicalZipWriter::Fail(std::string message) {
  error_ = std::move(message);
  return false;
}

bool CanonicalZipWriter::Broken(std::string message) {
  ok_ = false;
  return Fail(std::move(message));
}

bool CanonicalZipWriter::Usable() {
  if (!ok_) return false;  // error_ still says why
  if (finished_) return Fail("the archive is finished");
  return true;
}

bool CanonicalZipWriter::FullName(std::string_view path, bool is_directory, std::string* full) {
  if (is_directory && !path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!is_directory && (path.empty() || path.back() == '/')) {
    return Fail("file name " + Quote(path) + " is empty or ends in '/'");
  }
  *full = top_ + "/";
  full->append(path);
  if (is_directory && !path.empty()) full->push_back('/');
  return true;
}

bool CanonicalZipWriter::PlanNames(const std::string& full, bool is_directory, std::vector<std::string>* to_write) {
  to_write->clear();
  // Every folder the entry lies in, outermost first, then the entry.
  std::vector<std::pair<std::string, bool>> names;
  for (size_t slash = full.find('/'); slash != std::string::npos && slash + 1 < full.size();
       slash = full.find('/', slash + 1)) {
    names.emplace_back(full.substr(0, slash + 1), true);
  }
  names.emplace_back(full, is_directory);
  // A folder of the new entry must not be a file already written.
  for (size_t slash = full.find('/'); slash != std::string::npos && slash + 1 < full.size();
       slash = full.find('/', slash + 1)) {
    auto it = by_key_.find(WithoutSlash(FoldKey(full.substr(0, slash))));
    if (it != by_key_.end() && !it->second.is_directory) {
      return Fail("entry " + Quote(full) + " lies in " + Quote(it->second.name) +
                  ", which is a file");
    }
  }
  std::unordered_set<std::string> planned;  // fold keys planned in this call
  for (size_t i = 0; i < names.size(); ++i) {
    const auto& [name, dir] = names[i];
    const bool last = i + 1 == names.size();
    const std::string quoted = Quote(name);
    if (name.size() > limits_.max_entry_name_bytes || name.size() > kMax16) {
      return Fail("entry name " + quoted + " has " + Num(name.size()) + " bytes; limit max_entry_name_bytes is " +
                  Num(limits_.max_entry_name_bytes));
    }
    // The audit's own name rules, under the strict profile: any finding,
    // whatever its severity, refuses the name. Bit 11 is set for non-ASCII.
    FindingSink names_sink(policy_);
    CheckEntryName(name, true, 0, names_sink);
    if (!names_sink.findings().empty()) {
      const Finding& f = names_sink.findings().front();
      return Fail("entry name refused (" + std::string(f.rule_id) + "): " + f.message);
    }
    std::string_view bare(name);
    if (dir) bare.remove_suffix(1);
    for (size_t start = 0; start <= bare.size();) {
      size_t end = std::min(bare.find('/', start), bare.size());
      if (end - start > kMaxComponentBytes) {
        return Fail("entry name " + quoted + " has a path component of " + Num(end - start) +
                    " bytes; file systems store at most " + Num(kMaxComponentBytes));
      }
      start = end + 1;
    }
    std::string key = WithoutSlash(FoldKey(name));
    auto it = by_key_.find(key);
    if (it != by_key_.end()) {
      if (it->second.name == name && dir && it->second.is_directory) continue;  // folder already written
      if (it->second.name == name) return Fail("entry " + quoted + " is already in the archive");
      if (it->second.is_directory && !dir) {
        return Fail("entry " + quoted + " is a file and also the folder of another entry");
      }
      if (!it->second.is_directory && dir) {
        return Fail("entry " + quoted + " lies in " + Quote(it->second.name) + ", which is a file");
      }
      return Fail("entry " + quoted + " and entry " + Quote(it->second.name) +
                  " differ only by case or Unicode normalisation");
    }
    if (!dir && parent_keys_.count(key) != 0) {
      return Fail("entry " + quoted + " is a file and also the folder of another entry");
    }
    if (!last && !options_.implied_folders) {
      // Not written, but a file of that name must not exist.
      continue;
    }
    if (planned.insert(key).second) to_write->push_back(name);
  }
  return true;
}

bool CanonicalZipWriter::CheckRoom(const std::vector<std::string>& to_write, uint64_t size, uint64_t compressed) {
  const std::string& name = to_write.back();
  const std::string quoted = Quote(name);
  if (size > limits_.max_entry_uncompressed_bytes) {
    return Fail("entry " + quoted + " has " + Num(size) + " bytes; limit max_entry_uncompressed_bytes is " +
                Num(limits_.max_entry_uncompressed_bytes));
  }
  if (size > kMax32 || compressed > kMax32) {
    return Fail("entry " + quoted + " has " + Num(size) + " bytes, which needs ZIP64 (the canonical form has none)");
  }
  uint64_t total = 0;
  if (!CheckedAdd(total_size_, size, &total) || total > limits_.max_total_uncompressed_bytes) {
    return Fail("entry " + quoted + " brings the archive past limit max_total_uncompressed_bytes (" +
                Num(limits_.max_total_uncompressed_bytes) + ")");
  }
  const uint64_t count = entries_ + to_write.size();
  if (count > limits_.max_zip_entries || count > kMax16) {
    return Fail("entry " + quoted + " brings the archive past limit max_zip_entries (" +
                Num(std::min<uint64_t>(limits_.max_zip_entries, kMax16)) + ")");
  }
  // Where the central directory will start and how long it will be with
  // these entries; the archive's end must stay within max_input_bytes, and
  // every offset within 32 bits.
  uint64_t end = offset_;
  uint64_t cd = central_.size();
  bool fits = true;
  for (size_t i = 0; i < to_write.size(); ++i) {
    const uint64_t data = i + 1 == to_write.size() ? compressed : 0;
    fits = fits && end <= kMax32;  // this entry's local header offset
    fits = fits && CheckedAdd<uint64_t>(end, LocalHeader::kSize + to_write[i].size(), &end) &&
           CheckedAdd(end, data, &end) && CheckedAdd<uint64_t>(cd, CentralHeader::kSize + to_write[i].size(), &cd);
  }
  uint64_t file_end = 0;
  fits = fits && end <= kMax32 && cd <= kMax32 && CheckedAdd(end, cd, &file_end) &&
         CheckedAdd<uint64_t>(file_end, Eocd::kSize, &file_end);
  if (!fits) {
    return Fail("entry " + quoted +
                " would put an offset past 32 bits, which needs ZIP64 (the canonical form has none)");
  }
  if (file_end > limits_.max_input_bytes) {
    return Fail("entry " + quoted + " makes the archive larger than limit max_input_bytes (" +
                Num(limits_.max_input_bytes) + ")");
  }
  return true;
}

bool CanonicalZipWriter::Emit(std::span<const uint8_t> bytes) {
  std::string message;
  if (!out_.Write(bytes, &message)) return Broken(message);
  if (!CheckedAdd<uint64_t>(offset_, bytes.size(), &offset_)) return Broken("archive offset overflows");
  return true;
}

// APPNOTE 4.3.7 local file header and 4.3.12 central directory header, the
// same values in both; no extra field, no comment.
bool CanonicalZipWriter::WriteHeaders(const std::string& full, bool is_directory, uint16_t method, uint32_t crc,
                                      uint64_t size, uint64_t compressed) {
  // CheckRoom proved that every value below fits its field.
  const uint16_t flags = HasNonAscii(full) ? kFlagUtf8 : 0;
  const uint16_t name_length = static_cast<uint16_t>(full.size());
  const uint32_t local_offset = static_cast<uint32_t>(offset_);
  std::string h;
  h.reserve(LocalHeader::kSize + full.size());
  Put32(&h, LocalHeader::kSignature);
  Put16(&h, kVersionNeeded);
  Put16(&h, flags);
  Put16(&h, method);
  Put16(&h, kDosTime);
  Put16(&h, kDosDate);
  Put32(&h, crc);
  Put32(&h, static_cast<uint32_t>(compressed));
  Put32(&h, static_cast<uint32_t>(size));
  Put16(&h, name_length);
  Put16(&h, 0);  // extra field length
  h += full;
  if (!Emit(Bytes(h))) return false;

  std::string& c = central_;
  Put32(&c, CentralHeader::kSignature);
  Put16(&c, kMadeBy);
  Put16(&c, kVersionNeeded);
  Put16(&c, flags);
  Put16(&c, method);
  Put16(&c, kDosTime);
  Put16(&c, kDosDate);
  Put32(&c, crc);
  Put32(&c, static_cast<uint32_t>(compressed));
  Put32(&c, static_cast<uint32_t>(size));
  Put16(&c, name_length);
  Put16(&c, 0);  // extra field length
  Put16(&c, 0);  // comment length
  Put16(&c, 0);  // disk number start
  Put16(&c, 0);  // internal attributes
  Put32(&c, is_directory ? kFolderAttributes : kFileAttributes);
  Put32(&c, local_offset);
  c += full;
  return true;
}

void CanonicalZipWriter::Record(const std::string& full, bool is_directory) {
  std::string key = WithoutSlash(FoldKey(full));
  for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
    parent_keys_.insert(key.substr(0, slash));
  }
  by_key_.emplace(std::move(key), Written{full, is_directory});
  ++entries_;
}

bool CanonicalZipWriter::WriteParents(const std::vector<std::string>& to_write) {
  for (size_t i = 0; i + 1 < to_write.size(); ++i) {
    if (!WriteHeaders(to_write[i], true, 0, 0, 0, 0)) return false;
    Record(to_write[i], true);
  }
  return true;
}

bool CanonicalZipWriter::AddDirectory(std::string_view path) {
  std::string full;
  std::vector<std::string> plan;
  if (!Usable() || !FullName(path, true, &full) || !PlanNames(full, true, &plan)) return false;
  if (plan.empty()) return true;  // already written
  if (!CheckRoom(plan, 0, 0)) return false;
  for (const std::string& name : plan) {
    if (!WriteHeaders(name, true, 0, 0, 0, 0)) return false;
    Record(name, true);
  }
  return true;
}

bool CanonicalZipWriter::AddFile(std::string_view path, std::span<const uint8_t> data) {
  std::string full;
  std::vector<std::string> plan;
  if (!Usable() || !FullName(path, false, &full) || !PlanNames(full, false, &plan)) return false;
  // Refuse from the size before any deflating (the data may still shrink).
  if (!CheckRoom(plan, data.size(), 0)) return false;
  const uint32_t crc = Crc32Update(0, data);
  std::optional<std::vector<uint8_t>> deflated;
  if (!data.empty()) {
    deflated = DeflateAll(data);
    if (!deflated) return Fail("zlib could not deflate entry " + Quote(full));
  }
  // Stored unless deflate shrinks it within the ratio limit the audit applies.
  const bool deflate =
      deflated && deflated->size() < data.size() && !RatioAboveLimit(data.size(), deflated->size(), limits_);
  std::span<const uint8_t> body = deflate ? std::span<const uint8_t>(*deflated) : data;
  if (!CheckRoom(plan, data.size(), body.size())) return false;
  if (!WriteParents(plan) || !WriteHeaders(full, false, deflate ? 8 : 0, crc, data.size(), body.size()) ||
      !Emit(body)) {
    return false;
  }
  Record(full, false);
  total_size_ += data.size();  // CheckRoom proved that the sum fits
  return true;
}

namespace {

// First pass over a producer's bytes: size, CRC, deflated size, the bytes
// while they fit; stops counting past `max_size`.
class MeasureSink final : public EntrySink {
 public:
  MeasureSink(uint64_t max_size, uint64_t keep) : max_size_(max_size), keep_(keep) {}
  void Data(std::span<const uint8_t> chunk) override {
    if (over_ || failed_) return;
    if (chunk.size() > max_size_ - size_) {
      over_ = true;
      Drop();
      return;
    }
    size_ += chunk.size();
    crc_ = Crc32Update(crc_, chunk);
    if (kept_ && size_ <= keep_) {
      // Kept: the caller deflates it once, from memory.
      bytes_.insert(bytes_.end(), chunk.begin(), chunk.end());
      return;
    }
    if (kept_) {
      // Too large to keep: deflate what was kept, then go on streaming.
      Deflate(bytes_);
      Drop();
    }
    Deflate(chunk);
  }
  // Ends the deflate stream; false when zlib failed.
  bool Finish() {
    if (failed_ || over_ || kept_ || size_ == 0) return !failed_;
    return deflater_.Feed({}, Z_FINISH, [&](std::span<const uint8_t> piece) { deflated_ += piece.size(); });
  }
  bool over() const { return over_; }
  uint64_t size() const { return size_; }
  uint32_t crc() const { return crc_; }
  uint64_t deflated() const { return deflated_; }
  bool kept() const { return kept_; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void Deflate(std::span<const uint8_t> chunk) {
    if (!deflater_.Feed(chunk, Z_NO_FLUSH, [&](std::span<const uint8_t> piece) { deflated_ += piece.size(); })) {
      failed_ = true;
    }
  }
  void Drop() {
    kept_ = false;
    bytes_.clear();
    bytes_.shrink_to_fit();
  }

  uint64_t max_size_, keep_;
  uint64_t size_ = 0, deflated_ = 0;
  uint32_t crc_ = 0;
  bool over_ = false, failed_ = false, kept_ = true;
  std::vector<uint8_t> bytes_;
  Deflater deflater_;
};

// Second pass: writes the bytes (stored) or their deflate stream, and checks
// that they are the bytes the first pass measured.
class WriteSink final : public EntrySink {
 public:
  WriteSink(bool deflate, std::function<bool(std::span<const uint8_t>)> emit)
      : deflate_(deflate), emit_(std::move(emit)) {}
  void Data(std::span<const uint8_t> chunk) override {
    if (failed_ || chunk.empty()) return;
    size_ += chunk.size();
    crc_ = Crc32Update(crc_, chunk);
    if (!deflate_) {
      written_ += chunk.size();
      failed_ = !emit_(chunk);
      return;
    }
    if (!deflater_.Feed(chunk, Z_NO_FLUSH, [&](std::span<const uint8_t> piece) {
          written_ += piece.size();
          if (!failed_) failed_ = !emit_(piece);
        })) {
      failed_ = true;
    }
  }
  bool Finish() {
    if (failed_ || !deflate_ || size_ == 0) return !failed_;
    if (!deflater_.Feed({}, Z_FINISH, [&](std::span<const uint8_t> piece) {
          written_ += piece.size();
          if (!failed_) failed_ = !emit_(piece);
        })) {
      failed_ = true;
    }
    return !failed_;
  }
  uint64_t size() const { return size_; }
  uint32_t crc() const { return crc_; }
  uint64_t written() const { return written_; }

 private:
  bool deflate_;
  std::function<bool(std::span<const uint8_t>)> emit_;
  uint64_t size_ = 0, written_ = 0;
  uint32_t crc_ = 0;
  bool failed_ = false;
  Deflater deflater_;
};

}  // namespace

bool CanonicalZipWriter::AddFile(std::string_view path, EntryProducer& producer) {
  std::string full;
  std::vector<std::string> plan;
  if (!Usable() || !FullName(path, false, &full) || !PlanNames(full, false, &plan)) return false;
  const std::string quoted = Quote(full);
  // Pass 1: measure. Past the largest size any limit allows, stop counting.
  const uint64_t max_size = std::min<uint64_t>(limits_.max_entry_uncompressed_bytes, kMax32);
  MeasureSink measure(max_size, options_.keep_in_memory_bytes);
  std::string message;
  if (!producer.Produce(measure, &message)) return Fail("entry " + quoted + " could not be read: " + message);
  if (measure.over()) {
    return Fail("entry " + quoted + " has more than " + Num(max_size) + " bytes (limit max_entry_uncompressed_bytes " +
                Num(limits_.max_entry_uncompressed_bytes) + ", and 32-bit sizes without ZIP64)");
  }
  if (!measure.Finish()) return Fail("zlib could not deflate entry " + quoted);
  if (measure.kept()) {
    // Small: write from memory, no second pass.
    return AddFile(path, std::span<const uint8_t>(measure.bytes()));
  }
  const uint64_t size = measure.size();
  const bool deflate = measure.deflated() < size && !RatioAboveLimit(size, measure.deflated(), limits_);
  const uint64_t compressed = deflate ? measure.deflated() : size;
  if (!CheckRoom(plan, size, compressed)) return false;
  if (!WriteParents(plan) || !WriteHeaders(full, false, deflate ? 8 : 0, measure.crc(), size, compressed)) {
    return false;
  }
  // Pass 2: write. From here a failure leaves a partial entry: broken.
  WriteSink write(deflate, [&](std::span<const uint8_t> piece) { return Emit(piece); });
  if (!producer.Produce(write, &message)) {
    if (!ok_) return false;  // the output failed; error_ says how
    return Broken("entry " + quoted + " could not be read a second time: " + message);
  }
  if (!write.Finish()) {
    if (!ok_) return false;
    return Broken("zlib could not deflate entry " + quoted);
  }
  if (write.size() != size || write.crc() != measure.crc() || write.written() != compressed) {
    return Broken("entry " + quoted + " gave other bytes the second time it was read");
  }
  Record(full, false);
  total_size_ += size;  // CheckRoom proved that the sum fits
  return true;
}

bool CanonicalZipWriter::Finish() {
  if (!Usable()) return false;
  finished_ = true;
  if (options_.implied_folders && entries_ == 0) {
    // An empty archive still has its top folder.
    std::vector<std::string> plan{top_ + "/"};
    if (!CheckRoom(plan, 0, 0) || !WriteHeaders(plan[0], true, 0, 0, 0, 0)) return Broken(error_);
    Record(plan[0], true);
  }
  // APPNOTE 4.3.16 end of central directory record: one disk, no comment.
  // CheckRoom proved that the count, size and offset fit below saturation.
  const uint64_t cd_offset = offset_;
  std::string eocd;
  Put32(&eocd, Eocd::kSignature);
  Put16(&eocd, 0);  // number of this disk
  Put16(&eocd, 0);  // disk where the central directory starts
  Put16(&eocd, static_cast<uint16_t>(entries_));
  Put16(&eocd, static_cast<uint16_t>(entries_));
  Put32(&eocd, static_cast<uint32_t>(central_.size()));
  Put32(&eocd, static_cast<uint32_t>(cd_offset));
  Put16(&eocd, 0);  // comment length
  if (!Emit(Bytes(central_)) || !Emit(Bytes(eocd))) return false;
  if (!options_.self_audit) return true;
  InputSource* written = out_.ReadBack();
  if (written == nullptr) return true;
  self_audited_ = true;
  // The audit, the libzip second opinion included, under the strict profile
  // and the writer's limits: any finding means the writer is wrong.
  FindingSink sink(policy_);
  ZipDirectory dir = AuditZip(*written, sink);
  if (!written->io_error().empty()) return Broken("cannot read the archive back: " + written->io_error());
  if (!sink.findings().empty() || !dir.structure_ok || dir.entries.size() != entries_) {
    std::string why = sink.findings().empty()
                          ? std::string("the directory does not read back")
                          : std::string(sink.findings().front().rule_id) + ": " + sink.findings().front().message;
    return Broken("the written archive fails its own audit (" + why + ")");
  }
  return true;
}

// ---------------------------------------------------------------- copying

std::optional<std::string> CommonTopFolder(const ZipDirectory& dir) {
  std::optional<std::string> top;
  for (const ZipEntry& e : dir.entries) {
    size_t slash = e.name.find('/');
    if (slash == std::string::npos || slash == 0) return std::nullopt;
    std::string_view first(e.name.data(), slash);
    if (!top) {
      top = std::string(first);
    } else if (*top != first) {
      return std::nullopt;
    }
  }
  return top;
}

bool AuditedEntryProducer::Produce(EntrySink& out, std::string* error) {
  InflateBudget* budget = charged_ ? nullptr : budget_;
  charged_ = true;
  if (entry_.is_directory) {
    *error = "it is a folder";
    return false;
  }
  if (!StreamEntry(source_, entry_, budget, sink_, &out)) {
    *error = source_.io_error().empty() ? "its data fails the stream checks (see the findings)" : source_.io_error();
    return false;
  }
  return true;
}

bool CopyAuditedEntry(CanonicalZipWriter& writer, std::string_view path, InputSource& source, const ZipEntry& entry,
                      FindingSink& sink, InflateBudget* budget) {
  AuditedEntryProducer producer(source, entry, sink, budget);
  return writer.AddFile(path, producer);
}

}  // namespace mrmlguard::internal
