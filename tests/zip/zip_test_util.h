// SPDX-License-Identifier: BSD-3-Clause
// Helpers for the zip layer's tests: run the audit or a stream on bytes and
// look at the rule ids it reported.

#ifndef MRMLGUARD_TESTS_ZIP_ZIP_TEST_UTIL_H_
#define MRMLGUARD_TESTS_ZIP_ZIP_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

struct AuditResult {
  ZipDirectory dir;
  std::vector<Finding> findings;
  size_t errors = 0;

  std::vector<std::string> Ids() const {
    std::vector<std::string> ids;
    for (const Finding& f : findings) ids.emplace_back(f.rule_id);
    return ids;
  }
  bool Has(std::string_view id) const { return Find(id) != nullptr; }
  const Finding* Find(std::string_view id) const {
    for (const Finding& f : findings) {
      if (f.rule_id == id) return &f;
    }
    return nullptr;
  }
  // Every finding's id, for failure messages.
  std::string Dump() const {
    std::string out;
    for (const Finding& f : findings) {
      out += std::string(f.rule_id) + " @" + (f.location.offset ? std::to_string(*f.location.offset) : "-") + ": " +
             f.message + "\n";
    }
    return out;
  }
};

inline AuditResult Audit(const std::vector<uint8_t>& zip, const Policy& policy = Policy::Default(),
                         AuditOptions options = {}) {
  FindingSink sink(policy);
  MemorySource src(zip);
  AuditResult r;
  r.dir = AuditZip(src, sink, options);
  r.errors = sink.error_count();
  r.findings = sink.TakeFindings();
  return r;
}

// Collects an entry's bytes.
class StringSink : public EntrySink {
 public:
  void Data(std::span<const uint8_t> chunk) override { bytes.append(chunk.begin(), chunk.end()); }
  std::string bytes;
};

// Audits, then streams every entry (when the audit allows it).
inline AuditResult AuditAndStream(const std::vector<uint8_t>& zip, const Policy& policy = Policy::Default(),
                                  std::vector<std::string>* contents = nullptr, AuditOptions options = {}) {
  FindingSink sink(policy);
  MemorySource src(zip);
  AuditResult r;
  r.dir = AuditZip(src, sink, options);
  if (r.dir.structure_ok) {
    InflateBudget budget;
    for (const ZipEntry& e : r.dir.entries) {
      StringSink out;
      StreamEntry(src, e, &budget, sink, &out);
      if (contents != nullptr) contents->push_back(out.bytes);
    }
  }
  r.errors = sink.error_count();
  r.findings = sink.TakeFindings();
  return r;
}

// Whole file (test inputs are small). std::istreambuf_iterator trips g++ 12's
// -Wnull-dereference, hence stdio.
inline std::vector<uint8_t> ReadFile(const std::string& path) {
  std::vector<uint8_t> out;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    uint8_t buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
    std::fclose(f);
  }
  return out;
}

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_TESTS_ZIP_ZIP_TEST_UTIL_H_
