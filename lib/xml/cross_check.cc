// SPDX-License-Identifier: BSD-3-Clause
#include "xml/cross_check.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "findings/quote.h"
#include "xml/expat_driver.h"
#include "xml/libxml2_driver.h"

namespace mrmlguard::internal {

CrossCheck::CrossCheck(InputSource& source, const Policy& policy, const DeclInfo& decl, uint64_t size,
                       size_t chunk_bytes)
    : source_(source),
      policy_(policy),
      decl_(decl),
      size_(size),
      chunk_bytes_(chunk_bytes),
      threaded_(size > chunk_bytes),
      memory_(source.Memory()) {
  // A document that fits in one chunk is checked after Expat on this thread:
  // a thread would cost more than the parse. Both paths feed libxml2 the
  // same chunks, so they give the same answer.
  if (threaded_) {
    try {
      worker_ = std::thread([this] { WorkerLoop(); });
    } catch (...) {
      threaded_ = false;  // no thread to be had: check inline instead
    }
  }
}

CrossCheck::~CrossCheck() {
  if (worker_.joinable()) {
    stop_ = true;
    Enqueue(Work{.bytes = {}, .slot = kSlots, .final = true});
    worker_.join();
  }
}

void CrossCheck::Enqueue(Work work) {
  {
    // Room is always there (see queue_); waiting for it keeps even a broken
    // count from losing the final marker, since the worker always pops.
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return !queue_.full(); });
    (void)queue_.Push(std::move(work));
  }
  cv_.notify_all();
}

void CrossCheck::WorkerLoop() {
  // Nothing may escape a thread's function; everything in here catches.
  std::optional<EventStream> stream;
  std::optional<LibxmlDriver> lx;
  bool broken = false;
  try {
    stream.emplace();
    lx.emplace(&*stream, &stop_);
  } catch (...) {
    broken = true;
  }
  for (;;) {
    Work work{};
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return !queue_.empty(); });
      if (!queue_.Pop(&work)) continue;  // not reached: the wait saw a value
    }
    if (!broken && !stop_.load(std::memory_order_relaxed)) {
      try {
        lx->Feed(work.bytes, work.final);
      } catch (...) {
        broken = true;
      }
    }
    {
      // Always give the buffer back, even when stopped, so the reading
      // thread never waits forever.
      std::lock_guard<std::mutex> lock(mutex_);
      if (work.slot < kSlots) slot_free_[work.slot] = true;
      try {
        if (!broken) {
          shared_ += stream->bytes();
          stream->Consume(stream->bytes().size());
        }
      } catch (...) {
        broken = true;
      }
      if (!broken && !work.final && !lx_halted_ && lx->stopped() && lx->problems() > 0) {
        // A fatal error: libxml2 will write nothing more. Saying so now lets
        // the reading thread stop keeping Expat's events (memory).
        lx_halted_ = true;
        lx_problems_ = lx->problems();
        lx_line_ = lx->first_problem_line();
        lx_column_ = lx->first_problem_column();
        try {
          lx_first_problem_ = lx->first_problem();
        } catch (...) {
        }
      }
      if (work.final) {
        worker_done_ = true;
        if (lx) {
          lx_problems_ = lx->problems() + (broken ? 1 : 0);
          lx_line_ = lx->first_problem_line();
          lx_column_ = lx->first_problem_column();
          try {
            lx_first_problem_ = broken && lx->problems() == 0 ? "out of memory in the libxml2 check" : lx->first_problem();
          } catch (...) {
          }
        } else {
          lx_problems_ = 1;
        }
      }
    }
    cv_.notify_all();
    if (work.final) return;
  }
}

std::span<const uint8_t> CrossCheck::NextChunk(uint64_t offset, size_t n) {
  if (!threaded_) {
    return memory_.empty() ? source_.View(offset, n, &scratch_) : memory_.subspan(static_cast<size_t>(offset), n);
  }
  size_t slot = kSlots;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return std::find(slot_free_, slot_free_ + kSlots, true) != slot_free_ + kSlots; });
    slot = static_cast<size_t>(std::find(slot_free_, slot_free_ + kSlots, true) - slot_free_);
    slot_free_[slot] = false;
  }
  std::span<const uint8_t> bytes =
      memory_.empty() ? source_.View(offset, n, &slot_buffers_[slot]) : memory_.subspan(static_cast<size_t>(offset), n);
  current_ = Work{.bytes = bytes, .slot = slot, .final = false};
  return bytes;
}

void CrossCheck::Publish(bool whole) {
  if (!threaded_ || !current_) return;
  Work work = *current_;
  current_.reset();
  if (whole && !stop_.load(std::memory_order_relaxed)) {
    Enqueue(work);
    return;
  }
  stop_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot_free_[work.slot] = true;
  }
  cv_.notify_all();
}

void CrossCheck::CompareAvailable(EventStream* expat) {
  std::string& e = expat->bytes();
  size_t n = std::min(e.size(), lx_pending_.size());
  if (n == 0) return;
  if (std::memcmp(e.data(), lx_pending_.data(), n) != 0) {
    size_t i = 0;
    while (i < n && e[i] == lx_pending_[i]) ++i;
    mismatch_ = compared_ + i;
    return;
  }
  expat->Consume(n);
  lx_pending_.erase(0, n);
  compared_ += n;
}

bool CrossCheck::CompareSoFar(EventStream* expat) {
  if (mismatch_) return false;
  if (!threaded_) return true;  // everything is compared in Finish
  if (lx_failed_early_) return false;
  bool halted = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    halted = lx_halted_;
    if (lx_pending_.empty()) {
      lx_pending_.swap(shared_);
    } else {
      lx_pending_ += shared_;
      shared_.clear();
    }
  }
  CompareAvailable(expat);
  if (mismatch_) stop_ = true;  // libxml2 has nothing more to tell
  if (!mismatch_ && halted && lx_pending_.empty()) {
    // libxml2 stopped on an error and all it wrote matched: the verdict is
    // its error, whatever Expat still writes.
    lx_failed_early_ = true;
    return false;
  }
  return !mismatch_;
}

void CrossCheck::RunInline() {
  EventStream stream;
  LibxmlDriver lx(&stream, nullptr);
  for (uint64_t offset = 0; offset < size_;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size_ - offset, chunk_bytes_));
    std::span<const uint8_t> bytes =
        memory_.empty() ? source_.View(offset, want, &scratch_) : memory_.subspan(static_cast<size_t>(offset), want);
    if (bytes.size() != want) break;  // read fine a moment ago; Finish sees the streams differ
    lx.Feed(bytes, false);
    offset += want;
  }
  lx.Feed({}, true);
  shared_ = std::move(stream.bytes());
  worker_done_ = true;
  lx_problems_ = lx.problems();
  lx_first_problem_ = lx.first_problem();
  lx_line_ = lx.first_problem_line();
  lx_column_ = lx.first_problem_column();
}

std::string CrossCheck::Locate(uint64_t target, uint32_t* expat_line) {
  // The rejection path only: parse again, both parsers on this thread, each
  // keeping just the event that covers `target`.
  FindingSink scratch_sink(policy_);
  EventStream expat_stream(target);
  EventStream lx_stream(target);
  ExpatDriver expat(nullptr, &scratch_sink, policy_.limits, decl_, &expat_stream);
  LibxmlDriver lx(&lx_stream, nullptr);
  std::vector<uint8_t> buffer;
  bool cut = false;
  for (uint64_t offset = 0; offset < size_;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size_ - offset, chunk_bytes_));
    std::span<const uint8_t> bytes = source_.View(offset, want, &buffer);
    if (bytes.size() != want) break;
    expat.Feed(bytes, false);
    lx.Feed(bytes, false);
    offset += want;
    if (expat_stream.located() && lx_stream.located()) {
      cut = true;
      break;
    }
  }
  if (!cut) {
    expat.Feed({}, true);
    lx.Feed({}, true);
  }
  const auto& e = expat_stream.located();
  const auto& l = lx_stream.located();
  *expat_line = e ? e->line : (l ? l->line : 0);
  uint64_t index = e ? e->index : (l ? l->index : 0);
  std::string message = "Expat and libxml2 read the document differently; first difference in event " +
                        std::to_string(index + 1) + ": Expat saw " +
                        (e ? EventStream::Describe(e->event) + " at line " + std::to_string(e->line)
                           : std::string("the end of the document")) +
                        ", libxml2 saw " +
                        (l ? EventStream::Describe(l->event) + " at line " + std::to_string(l->line)
                           : std::string("the end of the document"));
  return message;
}

void CrossCheck::Report(FindingSink& sink, std::string message, uint32_t line) {
  Location where;
  where.line = line;
  sink.Add(Rule::kXmlParserDifferential, where, std::move(message));
}

bool CrossCheck::Finish(bool expat_clean, EventStream* expat, FindingSink& sink) {
  if (finished_) return true;
  finished_ = true;
  if (threaded_) {
    if (!expat_clean || mismatch_) stop_ = true;
    if (current_) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slot_free_[current_->slot] = true;
      }
      current_.reset();
    }
    if (worker_.joinable()) {
      Enqueue(Work{.bytes = {}, .slot = kSlots, .final = true});
      worker_.join();
    }
  } else if (expat_clean) {
    RunInline();
  }
  if (!expat_clean) return true;  // already refused; libxml2's view adds nothing

  if (!mismatch_ && !lx_failed_early_) {
    lx_pending_ += shared_;
    shared_.clear();
    CompareAvailable(expat);
  }
  const bool byte_mismatch = mismatch_.has_value();
  if (!mismatch_ && !lx_failed_early_ && (!expat->bytes().empty() || !lx_pending_.empty())) {
    mismatch_ = compared_;  // one parser's stream ended before the other's
  }
  if (lx_problems_ > 0 && !byte_mismatch) {
    // X6: any libxml2 error or warning on a document Expat accepted.
    // No count: how many follow the first can depend on chunking.
    std::string message = "libxml2 reported a problem where Expat reported none: " + Quote(lx_first_problem_, 120) +
                          " at line " + std::to_string(lx_line_);
    if (lx_column_ > 0) message += " column " + std::to_string(lx_column_);
    Report(sink, std::move(message), lx_line_);
    return false;
  }
  if (mismatch_) {
    uint32_t line = 0;
    std::string message = Locate(*mismatch_, &line);
    Report(sink, std::move(message), line);
    return false;
  }
  return true;
}

}  // namespace mrmlguard::internal
