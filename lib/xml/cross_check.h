// SPDX-License-Identifier: BSD-3-Clause
// File: cross_check.h
//
// CrossCheck runs libxml2 over the same chunks Expat gets and compares the two
// canonical event streams (X12). For a document larger than one chunk it runs
// libxml2 on a second thread: the reading thread borrows one of kSlots chunk
// buffers, hands the chunk to the worker through a queue, and feeds Expat;
// the worker parses, gives the buffer back and publishes its events. So the
// reading thread is never more than kSlots chunks ahead, memory stays at a
// few chunks, and nothing ever waits on the other side's output (no deadlock).
//
// The comparison is exact (bytes, not hashes: no collision to craft). The
// verdict is deterministic: the first differing stream offset is the same
// whatever the timing and chunking, and once one is found a second,
// single-threaded pass re-parses the document with both parsers, keeping only
// the event that covers that offset, to describe it.
//
// libxml2's opinion only counts for a document that Expat's side accepts:
// when Expat's side already refused it, CrossCheck stops the worker and
// reports nothing.

#ifndef MRMLGUARD_LIB_XML_CROSS_CHECK_H_
#define MRMLGUARD_LIB_XML_CROSS_CHECK_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "xml/bounded_queue.h"
#include "xml/event_stream.h"
#include "xml/xml_decl.h"

namespace mrmlguard::internal {

class CrossCheck {
 public:
  CrossCheck(InputSource& source, const Policy& policy, const DeclInfo& decl, uint64_t size, size_t chunk_bytes);
  ~CrossCheck();
  CrossCheck(const CrossCheck&) = delete;
  CrossCheck& operator=(const CrossCheck&) = delete;

  // Reads bytes [offset, offset + n) for both parsers; valid until the next
  // call. Fewer than n bytes means the source could not be read.
  std::span<const uint8_t> NextChunk(uint64_t offset, size_t n);
  // Passes the chunk from NextChunk to libxml2. `whole` is false when the
  // scanner refused a byte in it: the document is refused, libxml2 stops.
  void Publish(bool whole);
  // Compares what both parsers have written so far. Returns false once they
  // differ; the caller then stops writing Expat's stream.
  bool CompareSoFar(EventStream* expat);
  // Ends the run. When `expat_clean` (Expat's side parsed the whole document
  // and refused nothing), judges libxml2's run and adds at most one
  // xml.parser-differential finding. Returns false when it did.
  bool Finish(bool expat_clean, EventStream* expat, FindingSink& sink);

 private:
  static constexpr size_t kSlots = 4;
  struct Work {
    std::span<const uint8_t> bytes;
    size_t slot;
    bool final;
  };

  void WorkerLoop();
  void RunInline();
  void Enqueue(Work work);
  // Compares expat's pending bytes with lx_pending_; sets mismatch_.
  void CompareAvailable(EventStream* expat);
  void Report(FindingSink& sink, std::string message, uint32_t line);
  std::string Locate(uint64_t target, uint32_t* expat_line);

  InputSource& source_;
  const Policy& policy_;
  const DeclInfo& decl_;
  const uint64_t size_;
  const size_t chunk_bytes_;
  bool threaded_;
  const std::span<const uint8_t> memory_;
  std::vector<uint8_t> scratch_;  // inline mode

  // Shared with the worker, under mutex_.
  std::mutex mutex_;
  std::condition_variable cv_;
  // Chunks for the worker, and the final marker. A chunk holds its slot
  // until the worker has taken it, and one final marker is sent (by Finish,
  // or else by the destructor): kSlots + 1 entries at the most.
  BoundedQueue<Work, kSlots + 1> queue_;
  bool slot_free_[kSlots] = {true, true, true, true};
  std::string shared_;  // libxml2 events not yet taken by the reading thread
  bool worker_done_ = false;
  bool lx_halted_ = false;  // libxml2 stopped on an error; its output in shared_ is complete
  uint64_t lx_problems_ = 0;
  std::string lx_first_problem_;
  uint32_t lx_line_ = 0;
  uint32_t lx_column_ = 0;

  std::atomic<bool> stop_{false};
  std::vector<uint8_t> slot_buffers_[kSlots];
  std::optional<Work> current_;
  std::thread worker_;

  // Reading thread only.
  std::string lx_pending_;
  uint64_t compared_ = 0;
  std::optional<uint64_t> mismatch_;  // first differing stream offset
  // libxml2 halted and everything it wrote matched Expat's stream: its error
  // is the verdict, and Expat's stream need not be kept any longer.
  bool lx_failed_early_ = false;
  bool finished_ = false;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_CROSS_CHECK_H_
