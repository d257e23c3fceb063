// SPDX-License-Identifier: BSD-3-Clause
// parser_cost: measures what each of the two parsers (Expat through
// ExpatDriver, libxml2 through LibxmlDriver) costs per attribute, per nesting
// level, per name byte and per namespace declaration, on documents generated
// in memory, so the XML limits can be set where both stay linear. Not a test;
// run by hand (build/tests/xml/parser_cost); docs/bench/worst-case.md records
// its output.
//
//   parser_cost [--max N]     (largest N tried; default 65536)
//
// Each line: family, N, bytes, CPU seconds of Expat, of libxml2, and the CPU
// nanoseconds per unit (attribute, level, name byte, declaration). A parser is
// linear where its ns/unit stays flat as N grows.

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <string>

#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "xml/event_stream.h"
#include "xml/expat_driver.h"
#include "xml/libxml2_driver.h"
#include "xml/xml_decl.h"

namespace {

using mrmlguard::internal::DeclInfo;
using mrmlguard::internal::EventStream;
using mrmlguard::internal::ExpatDriver;
using mrmlguard::internal::FindingSink;
using mrmlguard::internal::LibxmlDriver;

// CPU seconds of the calling thread, to the nanosecond (getrusage counts in
// scheduler ticks, too coarse for the small documents).
double ThreadCpu() {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string Attributes(size_t n) {
  std::string doc = "<MRML><Volume";
  for (size_t i = 0; i < n; ++i) doc += " a" + std::to_string(i) + "=\"" + std::to_string(i) + "\"";
  return doc + "/></MRML>";
}

std::string Nesting(size_t n) {
  std::string doc = "<MRML>";
  for (size_t i = 0; i < n; ++i) doc += "<A>";
  for (size_t i = 0; i < n; ++i) doc += "</A>";
  return doc + "</MRML>";
}

std::string LongName(size_t n) { return "<MRML><V" + std::string(n, 'n') + " a=\"1\"/></MRML>"; }

std::string Namespaces(size_t n) {
  std::string doc = "<MRML><Volume";
  for (size_t i = 0; i < n; ++i) doc += " xmlns:p" + std::to_string(i) + "=\"urn:" + std::to_string(i) + "\"";
  return doc + "/></MRML>";
}

// Best of three runs: the machine is shared.
double Measure(const std::function<void()>& run) {
  double best = std::numeric_limits<double>::max();
  for (int i = 0; i < 3; ++i) {
    double t0 = ThreadCpu();
    run();
    best = std::min(best, ThreadCpu() - t0);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t max_n = 65536;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
      max_n = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--max N]\n", argv[0]);
      return 2;
    }
  }
  // Every limit out of the way: this measures the parsers, not our checks.
  mrmlguard::Policy policy = mrmlguard::Policy::Default();
  policy.limits.max_xml_depth = std::numeric_limits<uint32_t>::max();
  policy.limits.max_attributes_per_element = std::numeric_limits<uint32_t>::max();
  policy.limits.max_nodes = std::numeric_limits<uint64_t>::max();
  policy.overrides.push_back({.rule_id = "xml.namespace", .severity = mrmlguard::Severity::kOff});
  const DeclInfo decl{};
  struct Family {
    const char* name;
    const char* unit;
    std::string (*make)(size_t);
  };
  const Family families[] = {
      {"attributes", "attribute", Attributes},
      {"nesting", "level", Nesting},
      {"name-bytes", "byte", LongName},
      {"namespace-decls", "declaration", Namespaces},
  };
  std::printf("%-16s %8s %10s %10s %10s %14s %14s\n", "family", "N", "bytes", "expat_s", "libxml2_s", "expat_ns/unit",
              "libxml2_ns/unit");
  for (const Family& family : families) {
    for (size_t n = 128; n <= max_n; n *= 2) {
      const std::string doc = family.make(n);
      std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(doc.data()), doc.size());
      double expat_s = Measure([&] {
        FindingSink sink(policy);
        EventStream stream;
        ExpatDriver expat(nullptr, &sink, policy.limits, decl, &stream);
        expat.Feed(bytes, /*final=*/true);
      });
      double libxml2_s = Measure([&] {
        EventStream stream;
        LibxmlDriver lx(&stream, nullptr);
        lx.Feed(bytes, /*final=*/true);
      });
      std::printf("%-16s %8zu %10zu %10.5f %10.5f %14.1f %14.1f\n", family.name, n, doc.size(), expat_s, libxml2_s,
                  expat_s * 1e9 / static_cast<double>(n), libxml2_s * 1e9 / static_cast<double>(n));
      std::fflush(stdout);
    }
  }
  return 0;
}
