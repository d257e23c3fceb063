// SPDX-License-Identifier: BSD-3-Clause
// Differential oracle for bundles. When ValidateBytes accepts the input as a
// bundle, libarchive opened exactly as Slicer's vtkArchive opens it
// (archive_read_support_filter_all + format_all, then open_memory) must see a
// ZIP with the same entries in the same order: names, sizes, types, and the
// same bytes as our StreamEntry. Anything else means a bundle we vouched for
// would be read differently by Slicer.

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "findings/finding_sink.h"
#include "fuzz_common.h"
#include "mrmlguard/validate.h"
#include "zip/zip_archive.h"

namespace {

class Capture final : public mrmlguard::internal::EntrySink {
 public:
  void Data(std::span<const uint8_t> chunk) override { bytes_.insert(bytes_.end(), chunk.begin(), chunk.end()); }
  std::vector<uint8_t> bytes_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  uint32_t bits = fuzz::ConfigBits(data, size);
  Policy policy = fuzz::PolicyFromBits(static_cast<uint8_t>(bits & 1));  // fuzzing limits, either profile
  std::span<const uint8_t> bytes(data, size);
  Report report = ValidateBytes(bytes, "fuzz.mrb", policy);
  fuzz::CheckReport(report, size, policy);
  if (!report.accepted() || report.kind != InputKind::kBundle) return 0;

  internal::MemorySource source(bytes);
  internal::FindingSink sink(policy);
  internal::ZipDirectory dir = internal::AuditZip(source, sink);
  MRMLGUARD_FUZZ_CHECK(dir.structure_ok, "accepted bundle fails AuditZip on its own");

  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  MRMLGUARD_FUZZ_CHECK(archive_read_open_memory(a, data, size) == ARCHIVE_OK, archive_error_string(a));
  internal::InflateBudget budget;
  size_t index = 0;
  for (;;) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    MRMLGUARD_FUZZ_CHECK(rc == ARCHIVE_OK, archive_error_string(a) ? archive_error_string(a) : "next_header");
    MRMLGUARD_FUZZ_CHECK((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP,
                         archive_format_name(a));
    MRMLGUARD_FUZZ_CHECK(index < dir.entries.size(), "libarchive lists more entries");
    const internal::ZipEntry& ours = dir.entries[index++];
    const char* name = archive_entry_pathname(e);
    MRMLGUARD_FUZZ_CHECK(name != nullptr && ours.name == name, ours.name);
    MRMLGUARD_FUZZ_CHECK((archive_entry_filetype(e) == AE_IFDIR) == ours.is_directory, ours.name);
    MRMLGUARD_FUZZ_CHECK(ours.is_directory || archive_entry_filetype(e) == AE_IFREG, ours.name);
    Capture mine;
    const size_t findings_before = sink.findings().size();
    // Validation inflates an entry only as far as a check reads it, measures
    // the rest, and checks the CRC only of the entries it inflated whole
    // (docs/notes/zip.md): an accepted bundle may hold an entry whose CRC
    // only a full inflate refutes. Nothing else may fail here, and sizes and
    // bytes must still agree with libarchive, which reports the CRC at the
    // end of the entry.
    const bool bad_crc = !internal::StreamEntry(source, ours, &budget, sink, &mine);
    if (bad_crc) {
      for (size_t i = findings_before; i < sink.findings().size(); ++i) {
        MRMLGUARD_FUZZ_CHECK(sink.findings()[i].rule_id == std::string_view("zip.crc-mismatch"), ours.name);
      }
      MRMLGUARD_FUZZ_CHECK(mine.bytes_.size() == ours.declared_size, ours.name);
    }
    if (!ours.is_directory) {
      MRMLGUARD_FUZZ_CHECK(!archive_entry_size_is_set(e) ||
                               static_cast<uint64_t>(archive_entry_size(e)) == mine.bytes_.size(),
                           ours.name);
    }
    std::vector<uint8_t> theirs;
    uint8_t buf[16384];
    for (;;) {
      la_ssize_t n = archive_read_data(a, buf, sizeof buf);
      if (n < 0 && bad_crc) break;
      MRMLGUARD_FUZZ_CHECK(n >= 0, archive_error_string(a) ? archive_error_string(a) : ours.name);
      if (n == 0) break;
      theirs.insert(theirs.end(), buf, buf + n);
      MRMLGUARD_FUZZ_CHECK(theirs.size() <= mine.bytes_.size(), ours.name);
    }
    if (bad_crc) {
      // libarchive holds back the last chunk when the CRC fails: a prefix.
      MRMLGUARD_FUZZ_CHECK(std::equal(theirs.begin(), theirs.end(), mine.bytes_.begin()), ours.name);
    } else {
      MRMLGUARD_FUZZ_CHECK(theirs == mine.bytes_, ours.name);
    }
  }
  MRMLGUARD_FUZZ_CHECK(index == dir.entries.size(), "libarchive lists fewer entries");
  archive_read_free(a);
  return 0;
}
