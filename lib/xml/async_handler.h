// SPDX-License-Identifier: BSD-3-Clause
// File: async_handler.h
//
// AsyncHandler runs an XmlHandler (the MRML layer) on a thread of its own, so
// that judging a large scene overlaps with parsing it. The parser's thread
// copies each event (name, attributes, position) into a batch; full batches
// go to the handler's thread through a queue of at most kMaxBatches, and used
// batches come back for reuse. So the parser is never more than a few batches
// ahead, memory stays at a few batches (plus one element, which the XML
// limits bound), and the handler sees exactly the events, in exactly the
// order, it would see called directly: the result never depends on timing.
//
//   FindingSink scene_sink(policy);                 // the handler's own sink
//   auto checker = SceneChecker::Create(scene_sink, options);
//   AsyncHandler async(*checker, /*threaded=*/size > kOneChunk, sink);
//   ParseXml(source, async, sink, xml_options);
//   sink.Absorb(scene_sink);                        // after ParseXml returns
//
// The handler must report to a sink no other thread writes while ParseXml
// runs. EndDocument waits for the handler's thread, then calls the handler's
// EndDocument on the caller's thread. Without `threaded`, or when no thread
// can be started, every call goes straight through. If the handler's thread
// cannot keep up for lack of memory, the handler is told the document ended
// early and `sink` gets xml.limit-exceeded: never a silent gap in the events.

#ifndef MRMLGUARD_LIB_XML_ASYNC_HANDLER_H_
#define MRMLGUARD_LIB_XML_ASYNC_HANDLER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "findings/finding_sink.h"
#include "xml/bounded_queue.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal {

class AsyncHandler final : public XmlHandler {
 public:
  static constexpr size_t kMaxBatches = 3;           // queued or being replayed
  static constexpr size_t kBatchBytes = 256 * 1024;  // a batch is handed over at this size
  static constexpr size_t kBatchEvents = 4096;       // ... or with this many events

  // `inner` and `sink` must outlive this object. `sink` is the parser's sink
  // (this thread's), used only to report a failure of the handler's thread.
  // `batch_events` (at least 1) is how many events a batch holds at most;
  // tests and fuzzers make it small to exercise a full queue.
  AsyncHandler(XmlHandler& inner, bool threaded, FindingSink& sink, size_t batch_events = kBatchEvents);
  ~AsyncHandler() override;
  AsyncHandler(const AsyncHandler&) = delete;
  AsyncHandler& operator=(const AsyncHandler&) = delete;

  void StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                    const XmlPosition& position) override;
  void EndElement(std::string_view name, const XmlPosition& position) override;
  void EndDocument(bool well_formed) override;

  bool threaded() const { return worker_.joinable(); }
  // After EndDocument: true when the handler missed events (its thread ran
  // out of memory). The caller must then refuse the document even if the
  // finding added for it was turned off by the policy.
  bool lost_events() const { return lost_events_; }

 private:
  struct Span {  // into Batch::text
    uint32_t begin = 0;
    uint32_t size = 0;
  };
  struct Event {
    XmlPosition position;
    Span name;
    uint32_t attr_begin = 0;  // into Batch::attributes
    uint32_t attr_count = 0;
    bool start = false;
  };
  struct Attribute {
    Span name;
    Span value;
  };
  struct Batch {
    std::string text;
    std::vector<Attribute> attributes;
    std::vector<Event> events;
    void Clear() {
      text.clear();
      attributes.clear();
      events.clear();
    }
  };

  std::unique_ptr<Batch> NewBatch() const;
  // Copies one event into the current batch (an end tag has no attributes)
  // and hands the batch over when it is full. Parser's thread.
  void Record(bool start, std::string_view name, std::span<const XmlAttribute> attributes,
              const XmlPosition& position);
  void Send();              // hands the current batch over (parser's thread)
  void Run();               // the handler's thread
  void Replay(const Batch& batch);
  void Stop();              // drains and joins

  XmlHandler& inner_;
  FindingSink& sink_;
  const size_t batch_events_;
  std::unique_ptr<Batch> current_;  // being filled by the parser's thread

  std::mutex mutex_;
  std::condition_variable cv_;
  // Full batches, in order. Send waits until in_flight_ < kMaxBatches, and
  // the queue holds only batches in flight, so a push always finds room.
  BoundedQueue<std::unique_ptr<Batch>, kMaxBatches> queue_;
  std::vector<std::unique_ptr<Batch>> free_;  // replayed batches, for reuse
  size_t in_flight_ = 0;                      // queued + being replayed
  bool closing_ = false;                      // no more batches will come
  bool worker_failed_ = false;                // the handler's thread ran out of memory
  bool lost_events_ = false;                  // set by EndDocument
  std::vector<XmlAttribute> scratch_;         // the handler's thread's attribute views
  std::thread worker_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_ASYNC_HANDLER_H_
