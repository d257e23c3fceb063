// SPDX-License-Identifier: BSD-3-Clause
#include "xml/async_handler.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

namespace mrmlguard::internal {

AsyncHandler::AsyncHandler(XmlHandler& inner, bool threaded, FindingSink& sink, size_t batch_events)
    : inner_(inner), sink_(sink), batch_events_(std::clamp<size_t>(batch_events, 1, kBatchEvents)) {
  if (!threaded) return;
  try {
    // Room for every batch there can be, so giving one back never allocates.
    free_.reserve(kMaxBatches + 2);
    current_ = NewBatch();
    worker_ = std::thread([this] { Run(); });
  } catch (...) {
    current_.reset();  // no thread: every call goes straight through
  }
}

AsyncHandler::~AsyncHandler() { Stop(); }

std::unique_ptr<AsyncHandler::Batch> AsyncHandler::NewBatch() const {
  // Sized once for a full batch: filling it never reallocates (reused batches
  // keep their capacity), except for one element larger than the rest.
  auto batch = std::make_unique<Batch>();
  const bool full_size = batch_events_ == kBatchEvents;
  batch->text.reserve(full_size ? kBatchBytes + kBatchBytes / 4 : 4096);
  batch->attributes.reserve(batch_events_ * 4);
  batch->events.reserve(batch_events_);
  return batch;
}

void AsyncHandler::StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                                const XmlPosition& position) {
  if (current_) {
    Record(true, name, attributes, position);
  } else {
    inner_.StartElement(name, attributes, position);
  }
}

void AsyncHandler::EndElement(std::string_view name, const XmlPosition& position) {
  if (current_) {
    Record(false, name, {}, position);
  } else {
    inner_.EndElement(name, position);
  }
}

void AsyncHandler::Record(bool start, std::string_view name, std::span<const XmlAttribute> attributes,
                          const XmlPosition& position) {
  // An exception here (allocation) leaves at most unreferenced bytes in the
  // batch; the parser's callback guard turns it into a finding and stops.
  Batch& batch = *current_;
  uint64_t bytes = name.size();
  for (const XmlAttribute& a : attributes) bytes += a.name.size() + a.value.size();
  // The XML limits keep one element far below 4 GiB; refuse rather than wrap.
  const uint64_t limit = std::numeric_limits<uint32_t>::max();
  if (bytes > limit - batch.text.size() || attributes.size() > limit - batch.attributes.size()) {
    throw std::bad_alloc();
  }
  // One size change and one copy per piece; offsets fit in 32 bits (above).
  uint32_t at = static_cast<uint32_t>(batch.text.size());
  batch.text.resize(at + static_cast<size_t>(bytes));
  char* base = batch.text.data();
  auto put = [&](std::string_view s) {
    Span span{at, static_cast<uint32_t>(s.size())};
    if (!s.empty()) std::memcpy(base + at, s.data(), s.size());
    at += span.size;
    return span;
  };
  Event event{.position = position,
              .name = put(name),
              .attr_begin = static_cast<uint32_t>(batch.attributes.size()),
              .attr_count = static_cast<uint32_t>(attributes.size()),
              .start = start};
  for (const XmlAttribute& a : attributes) {
    Span an = put(a.name);
    Span av = put(a.value);
    batch.attributes.push_back({an, av});
  }
  batch.events.push_back(event);
  if (batch.text.size() >= kBatchBytes || batch.events.size() >= batch_events_) Send();
}

void AsyncHandler::Send() {
  std::unique_ptr<Batch> next;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return in_flight_ < kMaxBatches; });
    if (!free_.empty()) {
      next = std::move(free_.back());
      free_.pop_back();
    }
  }
  if (!next) next = NewBatch();  // may throw: current_ is kept, nothing lost
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Never full (see queue_); were it full, current_ is kept and the
    // failure takes the same path as an allocation failure above.
    if (!queue_.Push(std::move(current_))) throw std::bad_alloc();
    ++in_flight_;
  }
  cv_.notify_all();
  current_ = std::move(next);
}

void AsyncHandler::Replay(const Batch& batch) {
  auto view = [&batch](Span s) { return std::string_view(batch.text.data() + s.begin, s.size); };
  for (const Event& e : batch.events) {
    std::string_view name = view(e.name);
    if (!e.start) {
      inner_.EndElement(name, e.position);
      continue;
    }
    scratch_.clear();
    for (uint32_t i = 0; i < e.attr_count; ++i) {
      const Attribute& a = batch.attributes[e.attr_begin + i];
      scratch_.push_back(XmlAttribute{.name = view(a.name), .value = view(a.value)});
    }
    inner_.StartElement(name, scratch_, e.position);
  }
}

void AsyncHandler::Run() {
  for (;;) {
    std::unique_ptr<Batch> batch;
    bool failed = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (!queue_.Pop(&batch)) return;  // closing, and everything was replayed
      failed = worker_failed_;
    }
    // After a failure the rest is only drained, so the parser never waits.
    if (!failed) {
      try {
        Replay(*batch);
      } catch (...) {
        failed = true;
      }
    }
    batch->Clear();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      worker_failed_ = worker_failed_ || failed;
      --in_flight_;
      if (free_.size() < free_.capacity()) free_.push_back(std::move(batch));  // never allocates
    }
    cv_.notify_all();
  }
}

void AsyncHandler::Stop() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void AsyncHandler::EndDocument(bool well_formed) {
  if (worker_.joinable()) {
    bool sent = true;
    if (current_ && !current_->events.empty()) {
      try {
        Send();
      } catch (...) {
        sent = false;
      }
    }
    Stop();
    current_.reset();
    if (worker_failed_ || !sent) {
      // The handler missed events: it must not judge the scene as complete.
      lost_events_ = true;
      well_formed = false;
      try {
        sink_.Add(Rule::kXmlLimitExceeded, Location{},
                  "out of memory while handing the document's elements to the scene checker");
      } catch (...) {
        // The false below still ends the document as incomplete.
      }
    }
  }
  inner_.EndDocument(well_formed);
}

}  // namespace mrmlguard::internal
