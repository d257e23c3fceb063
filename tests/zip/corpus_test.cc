// SPDX-License-Identifier: BSD-3-Clause
// Every Slicer-style bundle in corpus/bundles passes the audit and the
// stream with zero findings, and (with MRMLGUARD_WITH_LIBARCHIVE_ORACLE)
// libarchive, opened the way Slicer opens it, reads the same entries and bytes.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "zip/bundle_layout.h"
#include "support/zip_builder.h"
#include "zip_test_util.h"

#if defined(MRMLGUARD_LIBARCHIVE_ORACLE)
#include <archive.h>
#include <archive_entry.h>
#endif

namespace mrmlguard::internal {
namespace {

std::vector<std::string> Bundles() {
  std::vector<std::string> out;
  std::vector<std::string> dirs = {std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles"};
  // More bundles (e.g. a checkout of the shared corpus) can be named here.
  if (const char* extra = std::getenv("MRMLGUARD_EXTRA_BUNDLES")) dirs.emplace_back(extra);
  for (const std::string& dir : dirs) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".mrb") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ZipCorpusTest, HasBothLayouts) {
  std::vector<std::string> b = Bundles();
  ASSERT_GE(b.size(), 4u);
  bool stored = false, deflated = false;
  for (const std::string& p : b) (p.find("_stored") != std::string::npos ? stored : deflated) = true;
  EXPECT_TRUE(stored);
  EXPECT_TRUE(deflated);
}

TEST(ZipCorpusTest, EveryBundlePassesFromMemory) {
  for (const std::string& path : Bundles()) {
    SCOPED_TRACE(path);
    std::vector<std::string> contents;
    AuditResult r = AuditAndStream(ReadFile(path), Policy::Default(), &contents);
    EXPECT_TRUE(r.dir.structure_ok);
    EXPECT_EQ(r.errors, 0u) << r.Dump();
    EXPECT_TRUE(r.findings.empty()) << r.Dump();
    FindingSink sink(Policy::Default());
    std::optional<size_t> scene = SelectMainScene(r.dir, sink);
    ASSERT_TRUE(scene.has_value());
    EXPECT_TRUE(sink.findings().empty());
    EXPECT_NE(contents[*scene].find("<MRML"), std::string::npos);
  }
}

TEST(ZipCorpusTest, EveryBundlePassesFromFile) {
  for (const std::string& path : Bundles()) {
    SCOPED_TRACE(path);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    struct stat st {};
    ASSERT_EQ(fstat(fd, &st), 0);
    FileSource src(fd, static_cast<uint64_t>(st.st_size));
    Policy policy = Policy::Default();
    FindingSink sink(policy);
    ZipDirectory dir = AuditZip(src, sink);  // libzip through the function source
    ASSERT_TRUE(dir.structure_ok);
    InflateBudget budget;
    for (const ZipEntry& e : dir.entries) EXPECT_TRUE(StreamEntry(src, e, &budget, sink, nullptr)) << e.name;
    EXPECT_EQ(sink.error_count(), 0u);
    EXPECT_EQ(budget.total_inflated, dir.total_declared_size);
    close(fd);
  }
}

#if defined(MRMLGUARD_LIBARCHIVE_ORACLE)
// vtkArchive::UnZip: read_support_filter_all + format_all, open by file name
// (seekable), block size 10240. We only read; nothing is extracted.
TEST(ZipCorpusTest, LibarchiveAsSlicerSeesTheSameEntries) {
  for (const std::string& path : Bundles()) {
    SCOPED_TRACE(path);
    std::vector<std::string> contents;
    AuditResult r = AuditAndStream(ReadFile(path), Policy::Default(), &contents);
    ASSERT_EQ(r.errors, 0u);
    archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    ASSERT_EQ(archive_read_open_filename(a, path.c_str(), 10240), ARCHIVE_OK);
    size_t i = 0;
    archive_entry* entry = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
      EXPECT_EQ(archive_format(a) & ARCHIVE_FORMAT_BASE_MASK, ARCHIVE_FORMAT_ZIP);
      ASSERT_LT(i, r.dir.entries.size());
      const ZipEntry& e = r.dir.entries[i];
      EXPECT_EQ(std::string(archive_entry_pathname(entry)), e.name);
      EXPECT_EQ(archive_entry_filetype(entry), e.is_directory ? AE_IFDIR : AE_IFREG);
      std::string data;
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int drc;
      while ((drc = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK) {
        data.append(static_cast<const char*>(block), size);
      }
      EXPECT_EQ(drc, ARCHIVE_EOF) << archive_error_string(a);
      EXPECT_EQ(data, contents[i]) << e.name;
      ++i;
    }
    EXPECT_EQ(rc, ARCHIVE_EOF);
    EXPECT_EQ(i, r.dir.entries.size());
    archive_read_free(a);
  }
}

// What libarchive, configured as Slicer configures it, makes of bytes held in
// memory: the format name of the first header and every path name.
struct LibarchiveView {
  int format = 0;
  std::vector<std::string> names;
};
LibarchiveView ReadWithLibarchive(const std::vector<uint8_t>& bytes) {
  LibarchiveView v;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) == ARCHIVE_OK) {
    archive_entry* entry = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      v.format = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
      v.names.emplace_back(archive_entry_pathname(entry) != nullptr ? archive_entry_pathname(entry) : "");
    }
  }
  archive_read_free(a);
  return v;
}

// The differentials our rules close are real for Slicer's reader.
TEST(ZipLibarchiveDifferentialTest, LocalNameIsWhatLibarchiveExtracts) {
  std::vector<uint8_t> z =
      test_support::ZipBuilder().Entry("S/cdh.txt", "x", {.local_name = "S/lfh.txt"}).Build();
  EXPECT_EQ(ReadWithLibarchive(z).names, std::vector<std::string>{"S/lfh.txt"});
  EXPECT_EQ(Audit(z).Ids(), std::vector<std::string>{"zip.header-mismatch"});
}

TEST(ZipLibarchiveDifferentialTest, TarPolyglotIsReadAsTar) {
  // libarchive's tar bidder also wants octal numeric fields: mode, uid, gid,
  // size, mtime at 100..147 (in the name) and rdev at 329..344 (in the data).
  std::string name = "S/" + std::string(200, 'n');
  std::string data(600, 'd');
  name.replace(100 - 30, 48, std::string(48, '0'));
  data.replace(329 - 264, 16, std::string(16, '0'));  // data starts at 30 + 202 + 32
  std::vector<uint8_t> z = test_support::ZipBuilder().Entry(name, data).Build();
  uint64_t sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? 0x20 : z[i];
  char field[9];
  std::snprintf(field, sizeof field, "%07llo ", static_cast<unsigned long long>(sum));
  for (size_t i = 0; i < 8; ++i) name[148 - 30 + i] = field[i];
  z = test_support::ZipBuilder().Entry(name, data).Build();
  EXPECT_EQ(ReadWithLibarchive(z).format, ARCHIVE_FORMAT_TAR);
  EXPECT_EQ(Audit(z).Ids(), std::vector<std::string>{"zip.polyglot"});
}
#endif

}  // namespace
}  // namespace mrmlguard::internal

namespace mrmlguard::internal {
namespace {

// Deterministic mutations of the corpus (fixed-seed LCG): the audit and the
// stream never crash, every finding offset lies inside the file, and an
// archive with no error streams every entry to its declared size.
TEST(ZipCorpusTest, MutationsKeepInvariants) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  };
  size_t accepted = 0, runs = 0;
  for (const std::string& path : Bundles()) {
    const std::vector<uint8_t> original = ReadFile(path);
    for (int i = 0; i < 300; ++i) {
      std::vector<uint8_t> z = original;
      uint32_t kind = next() % 4;
      size_t at = next() % z.size();
      if (kind == 0) {
        z[at] = static_cast<uint8_t>(next());
      } else if (kind == 1) {
        z[at] ^= static_cast<uint8_t>(1u << (next() % 8));
      } else if (kind == 2) {
        z.erase(z.begin() + static_cast<std::ptrdiff_t>(at));
      } else {
        z.insert(z.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(next()));
      }
      ++runs;
      std::vector<std::string> contents;
      AuditResult r = AuditAndStream(z, Policy::Default(), &contents);
      for (const Finding& f : r.findings) {
        if (f.location.entry.empty() && f.location.offset) {
          EXPECT_LE(*f.location.offset, z.size()) << f.rule_id << " " << f.message;
        }
      }
      if (r.errors == 0) {
        ++accepted;
        ASSERT_TRUE(r.dir.structure_ok);
        for (size_t e = 0; e < r.dir.entries.size(); ++e) {
          EXPECT_EQ(contents[e].size(), r.dir.entries[e].declared_size);
        }
      }
    }
  }
  EXPECT_GT(runs, 0u);
  // Most single-byte changes land in data and are caught by the CRC; a few
  // land in timestamps or attributes and are harmless.
  EXPECT_LT(accepted, runs);
}

}  // namespace
}  // namespace mrmlguard::internal
