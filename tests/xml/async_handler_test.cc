// SPDX-License-Identifier: BSD-3-Clause
// AsyncHandler: the handler on its own thread sees exactly the events, in
// exactly the order and with the same positions, as when called directly;
// the document's end (complete or stopped) is passed on once, last.

#include "xml/async_handler.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "xml/xml_parser.h"
#include "xml_test_util.h"

namespace mrmlguard::internal {
namespace {

using testing::RecordingHandler;

// A scene of `nodes` elements with attributes of varied sizes: several MiB,
// so that many batches go through the queue (and wait for room in it).
std::string BigDocument(int nodes) {
  std::string doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"Slicer4\">\n";
  for (int i = 0; i < nodes; ++i) {
    doc += " <Volume id=\"vtkMRMLScalarVolumeNode" + std::to_string(i) + "\" name=\"n&amp;" + std::to_string(i) +
           "\" note=\"" + std::string(static_cast<size_t>(i % 700), 'x') + "\"";
    if (i % 3 == 0) doc += "\n   spacing=\"1 1 1\"";
    doc += i % 5 == 0 ? "><Inner a=\"1\"/></Volume>\n" : "/>\n";
  }
  doc += "</MRML>\n";
  return doc;
}

struct AsyncRun {
  bool ok = false;
  bool threaded = false;
  bool lost = false;
  std::vector<std::string> events;
  int end_calls = 0;
  std::vector<std::string> rules;
};

AsyncRun Parse(const std::string& doc, bool async, bool threaded,
               size_t batch_events = AsyncHandler::kBatchEvents) {
  MemorySource source(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(doc.data()), doc.size()));
  Policy policy = Policy::Default();
  FindingSink sink(policy);
  RecordingHandler recorder;
  AsyncRun run;
  XmlOptions options;
  if (async) {
    AsyncHandler handler(recorder, threaded, sink, batch_events);
    run.threaded = handler.threaded();
    run.ok = ParseXml(source, handler, sink, options);
    run.lost = handler.lost_events();
  } else {
    run.ok = ParseXml(source, recorder, sink, options);
  }
  run.events = std::move(recorder.events);
  run.end_calls = recorder.end_calls;
  for (const Finding& f : sink.findings()) run.rules.emplace_back(f.rule_id);
  return run;
}

TEST(AsyncHandlerTest, ThreadedRunSeesTheSameEventsAsADirectCall) {
  const std::string doc = BigDocument(30000);
  ASSERT_GT(doc.size(), 8u << 20);  // well over kMaxBatches full batches
  AsyncRun direct = Parse(doc, false, false);
  AsyncRun threaded = Parse(doc, true, true);
  ASSERT_TRUE(direct.ok);
  EXPECT_TRUE(threaded.threaded);
  EXPECT_TRUE(threaded.ok);
  EXPECT_FALSE(threaded.lost);
  EXPECT_EQ(threaded.end_calls, 1);
  ASSERT_EQ(threaded.events.size(), direct.events.size());
  EXPECT_EQ(threaded.events, direct.events);
  EXPECT_EQ(threaded.events.back(), "END well-formed");
  EXPECT_EQ(threaded.rules, direct.rules);
}

TEST(AsyncHandlerTest, TinyBatchesKeepTheQueueFullAndChangeNothing) {
  const std::string doc = BigDocument(3000);
  AsyncRun direct = Parse(doc, false, false);
  for (size_t batch : {1, 2, 7}) {
    AsyncRun threaded = Parse(doc, true, true, batch);
    EXPECT_TRUE(threaded.threaded);
    EXPECT_EQ(threaded.events, direct.events) << "batch " << batch;
    EXPECT_EQ(threaded.end_calls, 1);
  }
}

TEST(AsyncHandlerTest, StoppedDocumentEndsTheSameWay) {
  // A control character far into the document: the byte scanner stops the
  // parse; every complete element before it is delivered, then the end.
  std::string doc = BigDocument(20000);
  doc.insert(doc.size() - 300, 1, '\x01');
  AsyncRun direct = Parse(doc, false, false);
  AsyncRun threaded = Parse(doc, true, true);
  EXPECT_FALSE(direct.ok);
  EXPECT_FALSE(threaded.ok);
  EXPECT_TRUE(threaded.threaded);
  EXPECT_EQ(threaded.end_calls, 1);
  EXPECT_EQ(threaded.events.back(), "END stopped");
  EXPECT_EQ(threaded.events, direct.events);
  EXPECT_EQ(threaded.rules, direct.rules);
  EXPECT_EQ(threaded.rules.front(), "xml.control-char");
}

TEST(AsyncHandlerTest, UnthreadedCallsGoStraightThrough) {
  const std::string doc = "<MRML><Volume id=\"a\"/></MRML>";
  AsyncRun direct = Parse(doc, false, false);
  AsyncRun plain = Parse(doc, true, false);
  EXPECT_FALSE(plain.threaded);
  EXPECT_TRUE(plain.ok);
  EXPECT_EQ(plain.events, direct.events);
  EXPECT_EQ(plain.end_calls, 1);
}

}  // namespace
}  // namespace mrmlguard::internal
