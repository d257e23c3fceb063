// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the ZIP layer alone: AuditZip over the input, then StreamEntry of
// every entry when the structure is sound. An accepted directory must keep
// its limits and its entries must lie inside the input; a streamed entry that
// StreamEntry calls good must have exactly its declared size and CRC-32, and
// an entry the audit refused from its declared size or ratio must not be
// inflated at all. A config bit makes the sink want only a prefix (the rest
// is measured, not inflated): its bytes plus the measured rest must still be
// the declared size.

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "findings/finding_sink.h"
#include "fuzz_common.h"
#include "zip/zip_archive.h"

namespace {

class CountingSink final : public mrmlguard::internal::EntrySink {
 public:
  void Data(std::span<const uint8_t> chunk) override {
    crc_ = crc32_z(crc_, chunk.data(), chunk.size());
    bytes_ += chunk.size();
  }
  uint64_t Wanted() const override { return wanted_; }
  void Skipped(uint64_t n) override { skipped_ += n; }
  uint64_t wanted_ = UINT64_MAX;
  uint64_t skipped_ = 0;
  uint64_t bytes_ = 0;
  uLong crc_ = crc32_z(0, nullptr, 0);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  uint32_t bits = fuzz::ConfigBits(data, size);
  Policy policy = fuzz::PolicyFromBits(static_cast<uint8_t>(bits));
  internal::MemorySource source(std::span<const uint8_t>(data, size));
  internal::FindingSink sink(policy);
  internal::InflateBudget budget;
  internal::ZipDirectory dir = internal::AuditZip(source, sink, {}, &budget);
  fuzz::CheckFindings(sink.findings(), size, policy);
  MRMLGUARD_FUZZ_CHECK(source.io_error().empty(), source.io_error());
  if (!dir.structure_ok) return 0;
  MRMLGUARD_FUZZ_CHECK(dir.entries.size() <= policy.limits.max_zip_entries, "sound directory past max_zip_entries");
  MRMLGUARD_FUZZ_CHECK(dir.total_over_limit == (budget.total_declared > policy.limits.max_total_uncompressed_bytes),
                       "declared total and total_over_limit disagree");
  for (const internal::ZipEntry& e : dir.entries) {
    MRMLGUARD_FUZZ_CHECK(e.local_header_offset < e.data_offset && e.data_offset <= size, e.name);
    MRMLGUARD_FUZZ_CHECK(e.compressed_size <= size - e.data_offset, e.name);
    MRMLGUARD_FUZZ_CHECK(e.name.size() <= policy.limits.max_entry_name_bytes, e.name);
    CountingSink out;
    if (bits & 0x200) out.wanted_ = (bits >> 16) & 0xFFF;
    uint64_t before = budget.total_inflated;
    bool good = internal::StreamEntry(source, e, &budget, sink, (bits & 0x100) ? nullptr : &out);
    MRMLGUARD_FUZZ_CHECK(budget.total_inflated >= before, e.name);
    if (e.declared_over_limit) {
      MRMLGUARD_FUZZ_CHECK(!good && budget.total_inflated == before && out.bytes_ == 0, "inflated past a declared limit");
    }
    if (good) {
      MRMLGUARD_FUZZ_CHECK(e.declared_size <= policy.limits.max_entry_uncompressed_bytes, e.name);
      MRMLGUARD_FUZZ_CHECK(!internal::RatioAboveLimit(e.declared_size, e.compressed_size, policy.limits), e.name);
      if (!(bits & 0x100)) {
        MRMLGUARD_FUZZ_CHECK(out.bytes_ + out.skipped_ == e.declared_size, e.name);
        MRMLGUARD_FUZZ_CHECK(out.skipped_ == 0 || (bits & 0x200), "measured a rest nobody skipped");
        MRMLGUARD_FUZZ_CHECK(out.bytes_ >= out.wanted_ || out.skipped_ == 0, "measured a wanted byte");
        if (out.skipped_ == 0) MRMLGUARD_FUZZ_CHECK(out.crc_ == e.declared_crc32, e.name);
      }
    }
    // An entry called good fits the bundle's total budget.
    if (good) {
      MRMLGUARD_FUZZ_CHECK(budget.total_inflated <= policy.limits.max_total_uncompressed_bytes, e.name);
    }
  }
  fuzz::CheckFindings(sink.findings(), size, policy);
  return 0;
}
