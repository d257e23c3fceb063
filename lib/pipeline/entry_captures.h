// SPDX-License-Identifier: BSD-3-Clause
// File: entry_captures.h
//
// What the bundle run keeps of one entry while it streams once: the scene's
// bytes, a nested bundle's bytes, a data file's header prefix, and the
// extractor's copy. An EntryPlan says which of these an entry needs; its
// Tee() hands them to StreamEntry as one EntrySink.
//
//   EntryPlan plan = PlanEntry(entry, referrer, depth, limits, sink);
//   StreamEntry(source, entry, &budget, sink, &plan.Tee(writer_sink));
//   if (plan.scene) ... plan.scene->bytes() ...

#ifndef MRMLGUARD_LIB_PIPELINE_ENTRY_CAPTURES_H_
#define MRMLGUARD_LIB_PIPELINE_ENTRY_CAPTURES_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "findings/finding_sink.h"
#include "mrmlguard/limits.h"
#include "pipeline/pipeline.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// Collects an entry's bytes into memory up to `cap`; past it, keeps counting
// but drops the bytes (the caller reports the limit). Wants one byte more
// than `cap`, so that an entry larger than the cap shows as incomplete;
// total() counts the bytes StreamEntry measured without inflating them.
class CaptureSink final : public EntrySink {
 public:
  // `expected` (the entry's declared size) sizes the buffer once, at the
  // first byte, so that a large scene is not copied and faulted in again at
  // every doubling; it is only a hint, never more than `cap`, and the
  // buffer still grows if the entry holds more.
  explicit CaptureSink(uint64_t cap, uint64_t expected = 0) : cap_(cap), expected_(std::min(cap, expected)) {}
  uint64_t Wanted() const override { return cap_ == UINT64_MAX ? cap_ : cap_ + 1; }
  void Skipped(uint64_t n) override { total_ += n; }
  void Data(std::span<const uint8_t> chunk) override {
    if (bytes_.capacity() == 0 && expected_ > chunk.size()) bytes_.reserve(static_cast<size_t>(expected_));
    uint64_t room = bytes_.size() < cap_ ? cap_ - bytes_.size() : 0;
    size_t take = static_cast<size_t>(std::min<uint64_t>(room, chunk.size()));
    bytes_.insert(bytes_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
    total_ += chunk.size();
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  uint64_t total() const { return total_; }
  bool complete() const { return total_ == bytes_.size(); }

 private:
  uint64_t cap_;
  uint64_t expected_;
  std::vector<uint8_t> bytes_;
  uint64_t total_ = 0;
};

// Fans one entry's bytes out to several consumers; wants what the most
// demanding one wants (nothing without consumers).
class TeeSink final : public EntrySink {
 public:
  void Add(EntrySink* sink) {
    if (sink != nullptr) sinks_.push_back(sink);
  }
  void Data(std::span<const uint8_t> chunk) override {
    for (EntrySink* s : sinks_) s->Data(chunk);
  }
  uint64_t Wanted() const override {
    uint64_t most = 0;
    for (const EntrySink* s : sinks_) most = std::max(most, s->Wanted());
    return most;
  }
  void Skipped(uint64_t n) override {
    for (EntrySink* s : sinks_) s->Skipped(n);
  }

 private:
  std::vector<EntrySink*> sinks_;
};

// Adapts the extraction writer to EntrySink; remembers the first failure.
// Wants every byte (the default).
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

// One referenced entry of a bundle: the storage node that reads it first, and
// how many times the main scene loads it (nodes reading each storage node
// that names it, summed; 0 when only other scenes name it).
struct Referenced {
  std::string storage_tag;
  std::string node_id;
  uint64_t loads = 1;
  bool list_member = false;  // named only as a fileListMember (ListMembersOnly)
};

// The captures one entry needs while it streams.
struct EntryPlan {
  std::optional<CaptureSink> scene;   // a .mrml entry, up to max_scene_bytes
  std::optional<CaptureSink> nested;  // a .mrb entry within max_bundle_depth, up to max_nested_bundle_bytes
  std::optional<CaptureSink> prefix;  // a referenced data file: its header, or all of it (WantsWholeFile)
  // Bytes of the entry the captures read (counted against max_inspected_bytes).
  uint64_t inspected = 0;
  // Of those, the bytes a parser then reads whole (weighted in
  // max_inspected_bytes: InspectCost): a scene's, and a referenced JSON
  // file's or text table's.
  uint64_t scene_bytes = 0;
  uint64_t text_bytes = 0;

  // One sink over the captures and `extra` (the writer's, may be null).
  // Valid while the plan lives and is not moved.
  TeeSink& Tee(EntrySink* extra);

 private:
  TeeSink tee_;
};

// Plans the captures of `entry`: a scene, a nested bundle (or the finding
// bundle.nesting-too-deep past max_bundle_depth), a referenced data file.
EntryPlan PlanEntry(const ZipEntry& entry, const Referenced* referrer, uint64_t depth, const Limits& limits,
                    FindingSink& sink);

// Reports `limit` reached when `capture` dropped bytes (a scene or nested
// bundle larger than its limit); returns true when it holds the whole entry.
bool CaptureComplete(const CaptureSink& capture, const ZipEntry& entry, Rule rule, std::string_view limit,
                     uint64_t limit_value, std::string_view what, FindingSink& sink);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_ENTRY_CAPTURES_H_
