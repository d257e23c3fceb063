// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the scene layers: ParseXml + SceneChecker over the input as a plain
// scene, once whole and once in small chunks with the checker on its own
// thread (AsyncHandler, as the pipeline runs large scenes, with small batches
// so the queue fills). The verdict and the set of rule ids must not depend on
// the chunk size or the thread; an accepted scene keeps max_nodes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string_view>

#include "findings/finding_sink.h"
#include "fuzz_common.h"
#include "mrml/scene_checker.h"
#include "xml/async_handler.h"
#include "xml/xml_parser.h"

namespace {

struct Outcome {
  bool parsed = false;
  bool accepted = false;
  std::set<std::string_view> rules;
};

// async_batch 0: the checker is called directly with the parser's sink;
// otherwise through a threaded AsyncHandler with batches of that many events
// and a sink of its own, absorbed after the parse (what the pipeline does).
Outcome Check(std::span<const uint8_t> bytes, const mrmlguard::Policy& policy, size_t chunk_size,
              bool cross_check, bool in_bundle, size_t async_batch) {
  using namespace mrmlguard::internal;
  MemorySource source(bytes);
  FindingSink sink(policy);
  FindingSink scene_sink(policy);
  std::unique_ptr<SceneChecker> checker =
      SceneChecker::Create(async_batch ? scene_sink : sink, SceneOptions{.in_bundle = in_bundle});
  Outcome out;
  const XmlOptions options{.chunk_size = chunk_size, .cross_check = cross_check};
  if (async_batch) {
    AsyncHandler async(*checker, true, sink, async_batch);
    out.parsed = ParseXml(source, async, sink, options) && !async.lost_events();
    sink.Absorb(scene_sink);
  } else {
    out.parsed = ParseXml(source, *checker, sink, options);
  }
  out.accepted = out.parsed && !sink.has_errors();
  // A document ParseXml refuses must say why with an error: callers (the
  // pipeline) judge by the findings.
  MRMLGUARD_FUZZ_CHECK(out.parsed || sink.has_errors(), chunk_size == 0 ? "ParseXml failed silently (whole)"
                                                                        : "ParseXml failed silently (chunked)");
  mrmlguard::fuzz::CheckFindings(sink.findings(), bytes.size(), policy);
  for (const mrmlguard::Finding& f : sink.findings()) out.rules.insert(f.rule_id);
  if (out.accepted) {
    MRMLGUARD_FUZZ_CHECK(checker->summary().nodes <= policy.limits.max_nodes, "accepted past max_nodes");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr size_t kChunks[] = {1, 2, 3, 7, 64, 1000, 4096, 65536};
  uint32_t bits = mrmlguard::fuzz::ConfigBits(data, size);
  mrmlguard::Policy policy = mrmlguard::fuzz::PolicyFromBits(static_cast<uint8_t>(bits));
  bool cross_check = (bits & 0x100) == 0;
  bool in_bundle = (bits & 0x200) != 0;
  size_t chunk = kChunks[(bits >> 12) % 8];
  if (chunk < 4 && size > 16384) chunk = 64;  // byte-by-byte only on small inputs (speed)
  std::span<const uint8_t> bytes(data, size);
  static constexpr size_t kBatches[] = {1, 2, 3, 5, 8, 16, 64, 4096};
  size_t batch = kBatches[(bits >> 16) % 8];
  Outcome whole = Check(bytes, policy, 0, cross_check, in_bundle, 0);
  Outcome chunked = Check(bytes, policy, chunk, cross_check, in_bundle, batch);
  MRMLGUARD_FUZZ_CHECK(whole.parsed == chunked.parsed, "well-formedness depends on the chunk size");
  MRMLGUARD_FUZZ_CHECK(whole.accepted == chunked.accepted, "verdict depends on the chunk size or the thread");
  // With the finding list cut, which findings made it in may depend on order.
  if (!whole.rules.contains("input.findings-truncated") && !chunked.rules.contains("input.findings-truncated")) {
    MRMLGUARD_FUZZ_CHECK(whole.rules == chunked.rules, "rule ids depend on the chunk size or the thread");
  }
  return 0;
}
