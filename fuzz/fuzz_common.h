// SPDX-License-Identifier: BSD-3-Clause
// File: fuzz_common.h
//
// Shared by the fuzz harnesses: a reader that takes configuration bits and
// strings from the front of the input, the policy variants the harnesses
// choose from, and the invariants every report must keep. A broken invariant
// aborts with a one-line reason on stderr, so libFuzzer records the input.
//
// Deterministic: no clock, no randomness, no state kept between inputs.

#ifndef MRMLGUARD_FUZZ_FUZZ_COMMON_H_
#define MRMLGUARD_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "mrmlguard/finding.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"

namespace mrmlguard::fuzz {

// Aborts with a reason: the harnesses' only way to report a broken invariant.
[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "mrmlguard fuzz invariant broken: %s %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

#define MRMLGUARD_FUZZ_CHECK(cond, detail) \
  do {                                     \
    if (!(cond)) ::mrmlguard::fuzz::Fail(#cond, (detail)); \
  } while (0)

// Takes typed values from the front of the input; when the input runs out it
// gives zeros and empty strings instead of failing.
class FuzzReader {
 public:
  FuzzReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t U16() { return static_cast<uint16_t>(Byte() | (Byte() << 8)); }
  uint32_t U32() { return static_cast<uint32_t>(U16()) | (static_cast<uint32_t>(U16()) << 16); }
  // A string of up to `max` bytes: a length byte, then the bytes.
  std::string String(size_t max) {
    size_t n = Byte() % (max + 1);
    n = n < size_ - pos_ ? n : size_ - pos_;
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  bool empty() const { return pos_ >= size_; }
  // Whatever is left.
  std::span<const uint8_t> Rest() const { return {data_ + pos_, size_ - pos_}; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Configuration bits for harnesses whose inputs are whole files (so that the
// seeds stay real .mrb/.mrml files): FNV-1a over the input, so every mutation
// may also change the configuration, deterministically.
inline uint32_t ConfigBits(const uint8_t* data, size_t size) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  return h ^ (h >> 16);
}

// The policy chosen by the low bits of `bits`: default or strict profile, the
// fuzzing limits (always: no run can exhaust memory), and variants with some
// limits tightened so that the limit paths are reached with small inputs.
inline Policy PolicyFromBits(uint8_t bits) {
  Policy policy = (bits & 1) ? Policy::Strict() : Policy::Default();
  policy.limits = Limits::ForFuzzing();
  switch ((bits >> 1) & 3) {
    case 0:
      break;
    case 1:  // small structural limits
      policy.limits.max_zip_entries = 8;
      policy.limits.max_nodes = 16;
      policy.limits.max_xml_depth = 6;
      policy.limits.max_attributes_per_element = 8;
      policy.limits.max_xml_name_bytes = 8;
      policy.limits.max_document_attributes = 32;
      policy.limits.max_document_references = 8;
      policy.limits.max_findings = 8;
      break;
    case 2:  // small byte budgets
      policy.limits.max_entry_uncompressed_bytes = 4096;
      policy.limits.max_total_uncompressed_bytes = 16384;
      policy.limits.max_scene_bytes = 4096;
      policy.limits.max_attribute_value_bytes = 64;
      policy.limits.max_tag_bytes = 256;
      policy.limits.max_markup_bytes = 64;
      policy.limits.max_header_bytes = 512;
      policy.limits.max_image_bytes = 1 << 20;
      policy.limits.max_compression_ratio = 10;
      policy.limits.ratio_floor_bytes = 256;
      break;
    case 3:  // no nesting, few findings
      policy.limits.max_bundle_depth = 0;
      policy.limits.max_findings = 2;
      policy.limits.max_list_values = 16;
      policy.limits.max_json_depth = 4;
      break;
  }
  return policy;
}

// The largest offset a finding may carry. Without an entry, offsets are in
// the input itself (at most one past its last byte). With an entry, they are
// in that entry's uncompressed bytes (or in a nested bundle's bytes), which
// the limits bound, not the input size.
inline uint64_t OffsetBound(const Finding& f, uint64_t input_size, const Limits& limits) {
  if (f.location.entry.empty()) return input_size;
  uint64_t bound = input_size;
  for (uint64_t v : {limits.max_entry_uncompressed_bytes, limits.max_nested_bundle_bytes, limits.max_scene_bytes}) {
    bound = v > bound ? v : bound;
  }
  return bound + 1;  // "inflates to more than its declared N bytes" may point one past a limit
}

// Invariants of every finding list, whatever produced it, over an input of
// `input_size` bytes.
inline void CheckFindings(std::span<const Finding> findings, uint64_t input_size, const Policy& policy) {
  // At most max_findings, the last a note that the list was cut, and then
  // the first error past the cap (FindingSink::Record).
  const uint64_t cap = policy.limits.max_findings;
  MRMLGUARD_FUZZ_CHECK(findings.size() <= cap + (cap > 0 ? 1 : 0), "more findings than max_findings + 1");
  if (cap > 0 && findings.size() == cap + 1) {
    MRMLGUARD_FUZZ_CHECK(findings[cap - 1].rule_id == std::string_view("input.findings-truncated") &&
                             findings[cap].severity == Severity::kError,
                         "a finding past max_findings that is not the first error after the note");
  }
  for (const Finding& f : findings) {
    MRMLGUARD_FUZZ_CHECK(FindRule(f.rule_id) != nullptr, f.rule_id);
    MRMLGUARD_FUZZ_CHECK(f.severity != Severity::kOff, f.rule_id);
    MRMLGUARD_FUZZ_CHECK(!f.message.empty(), f.rule_id);
    if (f.location.offset) {
      MRMLGUARD_FUZZ_CHECK(*f.location.offset <= OffsetBound(f, input_size, policy.limits), f.message);
    }
  }
}

// Invariants of a report from ValidateBytes over `size` input bytes.
inline void CheckReport(const Report& report, size_t size, const Policy& policy) {
  MRMLGUARD_FUZZ_CHECK(report.status.code() != StatusCode::kInternal, report.status.message());
  // ValidateBytes reads nothing from disk: an I/O error is a bug too.
  MRMLGUARD_FUZZ_CHECK(report.status.code() != StatusCode::kIoError, report.status.message());
  CheckFindings(report.findings, size, policy);
  bool has_error = false;
  for (const Finding& f : report.findings) {
    has_error = has_error || f.severity == Severity::kError;
  }
  if (report.accepted()) {
    MRMLGUARD_FUZZ_CHECK(!has_error, "accepted with an error finding");
    MRMLGUARD_FUZZ_CHECK(report.stats.bytes_inflated <= policy.limits.max_total_uncompressed_bytes,
                         "accepted past max_total_uncompressed_bytes");
  } else if (report.status.ok()) {
    // A rejection names its reason, even past max_findings (the first error
    // is kept after the note).
    MRMLGUARD_FUZZ_CHECK(has_error || policy.limits.max_findings == 0, "rejected without an error finding");
  }
}

// Two runs over the same input must give the same answer.
inline void CheckSameReport(const Report& a, const Report& b) {
  MRMLGUARD_FUZZ_CHECK(a.verdict == b.verdict, "verdict differs between two runs");
  MRMLGUARD_FUZZ_CHECK(a.status.code() == b.status.code(), "status differs between two runs");
  MRMLGUARD_FUZZ_CHECK(a.findings.size() == b.findings.size(), "finding count differs between two runs");
  for (size_t i = 0; i < a.findings.size(); ++i) {
    MRMLGUARD_FUZZ_CHECK(a.findings[i].rule_id == b.findings[i].rule_id, a.findings[i].rule_id);
    MRMLGUARD_FUZZ_CHECK(a.findings[i].message == b.findings[i].message, a.findings[i].message);
  }
}

}  // namespace mrmlguard::fuzz

#endif  // MRMLGUARD_FUZZ_FUZZ_COMMON_H_
