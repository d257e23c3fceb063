// SPDX-License-Identifier: BSD-3-Clause
// The canonical ZIP writer: what it writes reads back identically through
// our own audit and stream (no finding at all under the strict profile),
// libzip and (with MRMLGUARD_WITH_LIBARCHIVE_ORACLE) libarchive as Slicer
// opens it; the same entries give the same bytes; what the audit would
// refuse is refused before it is written.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <gtest/gtest.h>

#include <clocale>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "mrmlguard/validate.h"
#include "support/zip_builder.h"
#include "zip/canonical_writer.h"
#include "zip/zip_records.h"
#include "zip_test_util.h"

#if defined(MRMLGUARD_LIBARCHIVE_ORACLE)
#include <archive.h>
#include <archive_entry.h>
#endif

namespace mrmlguard::internal {
namespace {

std::vector<uint8_t> ToBytes(const std::string& s) { return {s.begin(), s.end()}; }

// Bytes that deflate well, and bytes that do not (a fixed LCG).
std::string Text(size_t n) {
  std::string s;
  while (s.size() < n) s += "<MRML version=\"Slicer4.4.0\"><Volume id=\"vtkMRMLScalarVolumeNode1\"/></MRML>\n";
  s.resize(n);
  return s;
}
std::string Noise(size_t n, uint32_t seed = 12345) {
  std::string s(n, '\0');
  for (char& c : s) {
    seed = seed * 1664525u + 1013904223u;
    c = static_cast<char>(seed >> 24);
  }
  return s;
}

struct Item {
  std::string path;  // below the top folder; ends in '/' for a folder
  std::string data;
};

// Writes `items` below `top`; fails the test on any refusal.
std::string Write(const std::string& top, const std::vector<Item>& items, CanonicalOptions options = {},
                  const Limits& limits = Limits::Strict()) {
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, limits, top, options);
  EXPECT_TRUE(w.ok()) << w.error();
  for (const Item& it : items) {
    bool ok = !it.path.empty() && it.path.back() == '/' ? w.AddDirectory(it.path) : w.AddFile(it.path, it.data);
    EXPECT_TRUE(ok) << it.path << ": " << w.error();
  }
  EXPECT_TRUE(w.Finish()) << w.error();
  EXPECT_TRUE(w.self_audited());
  EXPECT_EQ(w.bytes_written(), zip.size());
  return zip;
}

// Our own reading: entry name -> bytes, with no finding at all (strict).
std::map<std::string, std::string> ReadOurs(const std::string& zip, std::vector<ZipEntry>* entries = nullptr) {
  std::vector<std::string> contents;
  AuditResult r = AuditAndStream(ToBytes(zip), Policy::Strict(), &contents);
  EXPECT_TRUE(r.dir.structure_ok);
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < r.dir.entries.size() && i < contents.size(); ++i) {
    out[r.dir.entries[i].name] = contents[i];
  }
  if (entries != nullptr) *entries = r.dir.entries;
  return out;
}

// libzip's reading, with its consistency checks on.
std::map<std::string, std::string> ReadLibzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(zip.data(), zip.size(), 0, &err);
  EXPECT_NE(src, nullptr);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  EXPECT_NE(za, nullptr) << zip_error_strerror(&err);
  if (za == nullptr) {
    zip_source_free(src);
    return out;
  }
  zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    EXPECT_EQ(zip_stat_index(za, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st), 0);
    std::string data(static_cast<size_t>(st.size), '\0');
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    EXPECT_NE(f, nullptr);
    if (f != nullptr) {
      EXPECT_EQ(zip_fread(f, data.data(), data.size()), static_cast<zip_int64_t>(data.size()));
      zip_fclose(f);
    }
    out[st.name] = data;
  }
  zip_discard(za);
  zip_error_fini(&err);
  return out;
}

#if defined(MRMLGUARD_LIBARCHIVE_ORACLE)
// libarchive as vtkArchive::UnZip configures it (every filter and format):
// entry name -> bytes, with the format, type and mode of every entry checked.
std::map<std::string, std::string> ReadLibarchive(const std::string& zip) {
  // libarchive converts a bit-11 name from UTF-8 to the locale's charset;
  // Slicer runs in a UTF-8 locale.
  std::setlocale(LC_CTYPE, "C.UTF-8");
  std::map<std::string, std::string> out;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_memory(a, zip.data(), zip.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
    EXPECT_EQ(archive_format(a) & ARCHIVE_FORMAT_BASE_MASK, ARCHIVE_FORMAT_ZIP);
    std::string name = archive_entry_pathname(entry);
    const bool dir = !name.empty() && name.back() == '/';
    EXPECT_EQ(archive_entry_filetype(entry), dir ? AE_IFDIR : AE_IFREG) << name;
    EXPECT_EQ(archive_entry_perm(entry), dir ? 0755 : 0644) << name;
    std::string data;
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int drc;
    while ((drc = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK) {
      data.append(static_cast<const char*>(block), size);
    }
    EXPECT_EQ(drc, ARCHIVE_EOF) << archive_error_string(a);
    out[name] = data;
  }
  EXPECT_EQ(rc, ARCHIVE_EOF) << archive_error_string(a);
  archive_read_free(a);
  return out;
}
#endif

// All three readers see exactly `want`.
void ExpectReadsBack(const std::string& zip, const std::map<std::string, std::string>& want) {
  EXPECT_EQ(ReadOurs(zip), want);
  EXPECT_EQ(ReadLibzip(zip), want);
#if defined(MRMLGUARD_LIBARCHIVE_ORACLE)
  EXPECT_EQ(ReadLibarchive(zip), want);
#endif
}

const std::vector<Item>& SampleItems() {
  static const std::vector<Item> items = {
      {"Scene.mrml", Text(5000)},         {"Data/", ""}, {"Data/noise.raw", Noise(3000)}, {"Data/empty.txt", ""},
      {"Data/sub/deep.txt", Text(70000)},
  };
  return items;
}

TEST(CanonicalWriterTest, RoundTripThroughEveryReader) {
  std::string zip = Write("Scene", SampleItems());
  ExpectReadsBack(zip, {{"Scene/", ""},
                        {"Scene/Scene.mrml", Text(5000)},
                        {"Scene/Data/", ""},
                        {"Scene/Data/noise.raw", Noise(3000)},
                        {"Scene/Data/empty.txt", ""},
                        {"Scene/Data/sub/", ""},
                        {"Scene/Data/sub/deep.txt", Text(70000)}});
}

TEST(CanonicalWriterTest, EntryOrderAndFieldsAreCanonical) {
  std::vector<ZipEntry> entries;
  ReadOurs(Write("Scene", SampleItems()), &entries);
  std::vector<std::string> names;
  for (const ZipEntry& e : entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Scene/", "Scene/Scene.mrml", "Scene/Data/", "Scene/Data/noise.raw",
                                             "Scene/Data/empty.txt", "Scene/Data/sub/", "Scene/Data/sub/deep.txt"}));
  for (const ZipEntry& e : entries) {
    SCOPED_TRACE(e.name);
    EXPECT_EQ(e.host_system, 3);
    EXPECT_EQ(e.external_attributes, e.is_directory ? ((040755u << 16) | 0x10u) : (0100644u << 16));
    // No extra field: the data follows the name.
    EXPECT_EQ(e.data_offset, e.local_header_offset + LocalHeader::kSize + e.name.size());
    EXPECT_EQ(e.end_offset, e.data_offset + e.compressed_size);  // no data descriptor
  }
}

TEST(CanonicalWriterTest, HeadersHoldFixedValues) {
  std::string zip = Write("S", {{"a.txt", Text(100)}});
  const std::vector<uint8_t> bytes = ToBytes(zip);
  // The first local header is the folder "S/" at offset 0.
  ByteReader r(bytes, 0);
  std::optional<LocalHeader> h = LocalHeader::Read(r);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->signature, LocalHeader::kSignature);
  EXPECT_EQ(h->version_needed, 20);
  EXPECT_EQ(h->flags, 0);
  EXPECT_EQ(h->mtime, 0);
  EXPECT_EQ(h->mdate, 0x21);  // 1980-01-01
  EXPECT_EQ(h->extra_length, 0);
  // The EOCD is the last 22 bytes, without a comment.
  ByteReader e(std::span<const uint8_t>(bytes).subspan(bytes.size() - Eocd::kSize), 0);
  std::optional<Eocd> eocd = Eocd::Read(e);
  ASSERT_TRUE(eocd.has_value());
  EXPECT_EQ(eocd->signature, Eocd::kSignature);
  EXPECT_EQ(eocd->total_count, 2);
  EXPECT_EQ(eocd->comment_length, 0);
}

TEST(CanonicalWriterTest, SameEntriesGiveSameBytes) {
  EXPECT_EQ(Write("Scene", SampleItems()), Write("Scene", SampleItems()));
  // Through the streaming path too.
  std::string a = Write("Scene", SampleItems());
  std::string b;
  StringZipOutput out(&b);
  CanonicalZipWriter w(out, Limits::Strict(), "Scene");
  for (const Item& it : SampleItems()) {
    if (it.path.back() == '/') {
      ASSERT_TRUE(w.AddDirectory(it.path));
      continue;
    }
    std::vector<uint8_t> zip = ToBytes(Write("X", {{"f", it.data}}, {.implied_folders = false}));
    MemorySource src(zip);
    const Policy strict = Policy::Strict();  // FindingSink keeps a reference
    FindingSink sink(strict);
    ZipDirectory dir = AuditZip(src, sink);
    ASSERT_EQ(dir.entries.size(), 1u);
    ASSERT_TRUE(CopyAuditedEntry(w, it.path, src, dir.entries[0], sink)) << w.error();
  }
  ASSERT_TRUE(w.Finish()) << w.error();
  EXPECT_EQ(a, b);
}

TEST(CanonicalWriterTest, StoresWhatDeflateDoesNotShrink) {
  std::vector<ZipEntry> entries;
  ReadOurs(Write("S", {{"text", Text(4096)}, {"noise", Noise(4096)}, {"empty", ""}, {"one", "x"}}), &entries);
  std::map<std::string, uint16_t> method;
  for (const ZipEntry& e : entries) method[e.name] = e.method;
  EXPECT_EQ(method["S/text"], 8);
  EXPECT_EQ(method["S/noise"], 0);
  EXPECT_EQ(method["S/empty"], 0);
  EXPECT_EQ(method["S/one"], 0);
}

TEST(CanonicalWriterTest, StoresWhatWouldPassTheRatioLimit) {
  // 4 MiB of zeros deflate about 1000:1, past max_compression_ratio for an
  // entry above ratio_floor_bytes: the audit would refuse it deflated.
  std::string zeros(4u << 20, '\0');
  std::vector<ZipEntry> entries;
  std::string zip = Write("S", {{"zeros", zeros}, {"text", Text(2u << 20)}});
  ReadOurs(zip, &entries);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].method, 0);
  EXPECT_EQ(entries[1].compressed_size, zeros.size());
  EXPECT_EQ(entries[2].method, 8);  // text stays within the ratio
}

TEST(CanonicalWriterTest, NonAsciiNameSetsBit11) {
  std::string zip = Write("Szene", {{"Daten/Müller.nrrd", "x"}, {"plain.txt", "y"}});
  ExpectReadsBack(zip,
                  {{"Szene/", ""}, {"Szene/Daten/", ""}, {"Szene/Daten/Müller.nrrd", "x"}, {"Szene/plain.txt", "y"}});
  std::vector<uint8_t> bytes = ToBytes(zip);
  MemorySource src(bytes);
  const Policy strict = Policy::Strict();  // FindingSink keeps a reference
  FindingSink sink(strict);
  ZipDirectory dir = AuditZip(src, sink);
  ASSERT_EQ(dir.entries.size(), 4u);
  for (const ZipEntry& e : dir.entries) {
    ByteReader r(std::span<const uint8_t>(bytes).subspan(e.local_header_offset), 0);
    std::optional<LocalHeader> h = LocalHeader::Read(r);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->flags, e.name.find("ü") != std::string::npos ? 0x800 : 0) << e.name;
  }
}

TEST(CanonicalWriterTest, WithoutImpliedFoldersOnlyFiles) {
  std::string zip = Write("S", {{"a/b.txt", "b"}, {"c.txt", "c"}}, {.implied_folders = false});
  ExpectReadsBack(zip, {{"S/a/b.txt", "b"}, {"S/c.txt", "c"}});
  // An explicit folder is still written.
  zip = Write("S", {{"empty/", ""}}, {.implied_folders = false});
  ExpectReadsBack(zip, {{"S/empty/", ""}});
}

TEST(CanonicalWriterTest, EmptyArchiveHasItsTopFolder) {
  ExpectReadsBack(Write("S", {}), {{"S/", ""}});
  EXPECT_EQ(Write("S", {}, {.implied_folders = false}).size(), Eocd::kSize);
}

// A refused entry leaves the output as it was and the writer usable.
void ExpectRefused(std::string_view top, std::string_view path, std::string_view want_in_error,
                   const std::vector<Item>& before = {}, const Limits& limits = Limits::Strict(),
                   CanonicalOptions options = {}, const std::vector<Item>& also = {}) {
  SCOPED_TRACE(std::string(path));
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, limits, top, options);
  for (const Item& it : before)
    ASSERT_TRUE(it.path.back() == '/' ? w.AddDirectory(it.path) : w.AddFile(it.path, it.data));
  for (const Item& it : also) ASSERT_TRUE(w.AddFile(it.path, it.data));
  const size_t size_before = zip.size();
  bool ok = !path.empty() && path.back() == '/' ? w.AddDirectory(path) : w.AddFile(path, "data");
  EXPECT_FALSE(ok);
  EXPECT_NE(w.error().find(want_in_error), std::string::npos) << w.error();
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(zip.size(), size_before);
  ASSERT_TRUE(w.AddFile("after.txt", "still usable")) << w.error();
  ASSERT_TRUE(w.Finish()) << w.error();
  ReadOurs(zip);
}

TEST(CanonicalWriterTest, RefusesNamesTheAuditRefuses) {
  ExpectRefused("S", "../x", "zip.entry.path-traversal");
  ExpectRefused("S", "a/./b", "zip.entry.non-canonical");
  ExpectRefused("S", "a//b", "zip.entry.non-canonical");
  ExpectRefused("S", "a\\b", "zip.entry.backslash");
  ExpectRefused("S", "con.txt", "zip.entry.reserved-name");
  ExpectRefused("S", "a:b", "zip.entry.reserved-name");
  ExpectRefused("S", "name.", "zip.entry.reserved-name");
  ExpectRefused("S", std::string("a\x01", 2), "zip.entry.control-char");
  ExpectRefused("S", "a\u200Bb", "zip.entry.control-char");
  ExpectRefused("S", "\xC3\x28", "zip.entry.invalid-utf8");
  ExpectRefused("S", "._meta", "bundle.mac-metadata");
  ExpectRefused("S", std::string(256, 'n'), "path component of 256 bytes");
  ExpectRefused("S", std::string(1100, 'n'), "max_entry_name_bytes");
  ExpectRefused("S", "", "empty");
}

TEST(CanonicalWriterTest, AddingAFolderTwiceIsANoOp) {
  std::string a = Write("S", {{"d/", ""}, {"d/", ""}, {"d/f", "1"}});
  EXPECT_EQ(a, Write("S", {{"d/", ""}, {"d/f", "1"}}));
}

TEST(CanonicalWriterTest, RefusesDuplicatesAndCollisions) {
  ExpectRefused("S", "a.txt", "already in the archive", {{"a.txt", "1"}});
  ExpectRefused("S", "A.TXT", "differ only by case", {{"a.txt", "1"}});
  ExpectRefused("S", "e\u0301.txt", "differ only by case", {{"\u00e9.txt", "1"}});
  ExpectRefused("S", "d", "also the folder of another entry", {{"d/f", "1"}});
  ExpectRefused("S", "D", "also the folder of another entry", {{"d/f", "1"}});
  ExpectRefused("S", "d", "also the folder of another entry", {{"x", "1"}}, Limits::Strict(),
                {.implied_folders = false}, {{"d/f", "1"}});
  ExpectRefused("S", "f/g", "which is a file", {{"f", "1"}});
  ExpectRefused("S", "F/", "which is a file", {{"f", "1"}});
}

TEST(CanonicalWriterTest, RefusesABadTopFolder) {
  for (const std::string& top :
       std::vector<std::string>{"", "a/b", "..", "con", "._x", "a\\b", std::string(256, 't')}) {
    SCOPED_TRACE(top);
    std::string zip;
    StringZipOutput out(&zip);
    CanonicalZipWriter w(out, Limits::Strict(), top);
    EXPECT_FALSE(w.ok());
    EXPECT_FALSE(w.error().empty());
    EXPECT_FALSE(w.AddFile("a", "b"));
    EXPECT_FALSE(w.Finish());
    EXPECT_TRUE(zip.empty());
  }
}

TEST(CanonicalWriterTest, RefusesSizesOverTheLimits) {
  Limits limits = Limits::Strict();
  limits.max_entry_uncompressed_bytes = 1000;
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, limits, "S");
  EXPECT_FALSE(w.AddFile("big", Noise(1001)));
  EXPECT_NE(w.error().find("max_entry_uncompressed_bytes"), std::string::npos) << w.error();
  EXPECT_TRUE(w.AddFile("fits", Noise(1000))) << w.error();
  limits = Limits::Strict();
  limits.max_total_uncompressed_bytes = 1500;
  std::string z1;
  StringZipOutput out1(&z1);
  CanonicalZipWriter t(out1, limits, "T");
  EXPECT_TRUE(t.AddFile("a", Noise(1000)));
  EXPECT_FALSE(t.AddFile("b", Noise(501)));
  EXPECT_NE(t.error().find("max_total_uncompressed_bytes"), std::string::npos) << t.error();
  limits = Limits::Strict();
  limits.max_zip_entries = 3;  // "U/", "U/a", "U/b"
  std::string z2;
  StringZipOutput out2(&z2);
  CanonicalZipWriter c(out2, limits, "U");
  EXPECT_TRUE(c.AddFile("a", "1"));
  EXPECT_TRUE(c.AddFile("b", "1"));
  EXPECT_FALSE(c.AddFile("c", "1"));
  EXPECT_NE(c.error().find("max_zip_entries"), std::string::npos) << c.error();
  EXPECT_TRUE(c.Finish()) << c.error();
}

TEST(CanonicalWriterTest, RefusesWhatWouldNeedZip64) {
  // With limits that allow more than 32 bits, the 32-bit fields still bound
  // every entry: refused from the first bytes past 0xFFFFFFFE, never written.
  Limits limits = Limits::Default();
  limits.max_entry_uncompressed_bytes = 8ull << 30;
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, limits, "S");
  // A span whose size alone needs ZIP64: refused from the size, never read.
  std::span<const uint8_t> fake(reinterpret_cast<const uint8_t*>(zip.data()), size_t{1} << 32);
  EXPECT_FALSE(w.AddFile("huge", fake));
  EXPECT_NE(w.error().find("ZIP64"), std::string::npos) << w.error();
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE(zip.empty());
  // An archive whose offsets would pass 32 bits is refused the same way
  // (max_entry_name_bytes and max_zip_entries keep the directory far below).
}

TEST(CanonicalWriterTest, ProducerThatChangesItsBytesBreaksTheWriter) {
  class Fickle final : public EntryProducer {
   public:
    bool Produce(EntrySink& out, std::string*) override {
      std::string s = Noise(100000, ++seed_);
      out.Data({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
      return true;
    }
    uint32_t seed_ = 0;
  } fickle;
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, Limits::Strict(), "S", {.keep_in_memory_bytes = 65536});
  EXPECT_FALSE(w.AddFile("f", fickle));
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.error().find("other bytes"), std::string::npos) << w.error();
  EXPECT_FALSE(w.Finish());
}

TEST(CanonicalWriterTest, LargeStreamedEntryTakesTwoPasses) {
  // Above keep_in_memory_bytes the producer runs twice; the result is the
  // same archive as from memory.
  const std::string big = Text(300000 + 12345);
  const std::string noise = Noise(300000 + 7);
  const std::string small = Text(1000);
  class FromString final : public EntryProducer {
   public:
    explicit FromString(const std::string& s) : s_(s) {}
    bool Produce(EntrySink& out, std::string*) override {
      for (size_t at = 0; at < s_.size(); at += 100000) {
        size_t n = std::min<size_t>(100000, s_.size() - at);
        out.Data({reinterpret_cast<const uint8_t*>(s_.data() + at), n});
      }
      ++calls;
      return true;
    }
    const std::string& s_;
    int calls = 0;
  } a(big), b(noise), c(small);
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, Limits::Strict(), "S", {.keep_in_memory_bytes = 250000});
  ASSERT_TRUE(w.AddFile("big.txt", a)) << w.error();
  ASSERT_TRUE(w.AddFile("noise.raw", b)) << w.error();
  ASSERT_TRUE(w.AddFile("small.txt", c)) << w.error();
  ASSERT_TRUE(w.Finish()) << w.error();
  EXPECT_EQ(a.calls, 2);
  EXPECT_EQ(b.calls, 2);
  EXPECT_EQ(c.calls, 1);
  EXPECT_EQ(zip, Write("S", {{"big.txt", big}, {"noise.raw", noise}, {"small.txt", small}}));
  ExpectReadsBack(zip, {{"S/", ""}, {"S/big.txt", big}, {"S/noise.raw", noise}, {"S/small.txt", small}});
}

// Stored bytes aimed at offsets that only exist in the output: the
// self-audit refuses what the audit would refuse.
std::string FinishWithData(const std::string& data, std::string* error) {
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, Limits::Strict(), "S");
  EXPECT_TRUE(w.AddFile("f", data)) << w.error();  // "S/" at 0 (32 bytes), "S/f" at 32, data at 65
  EXPECT_TRUE(w.ok());
  EXPECT_FALSE(w.Finish());
  EXPECT_FALSE(w.ok());
  *error = w.error();
  return zip;
}

TEST(CanonicalWriterTest, SelfAuditRefusesAnIsoPolyglot) {
  std::string data = Noise(40000);
  data.replace(32769 - 65, 5, "CD001");  // ISO 9660 volume descriptor at 32768 + 1
  std::string error;
  FinishWithData(data, &error);
  EXPECT_NE(error.find("zip.polyglot"), std::string::npos) << error;
}

TEST(CanonicalWriterTest, SelfAuditRefusesASecondEocd) {
  // "PK\1\2" at data offset 100 and, at 200, an EOCD pointing at it.
  std::string data = Noise(1000);
  data.replace(100, 4, "PK\x01\x02");
  std::string eocd = "PK\x05\x06";
  eocd += std::string(4, '\0');                // disks
  eocd += std::string("\x01\x00\x01\x00", 4);  // counts
  eocd += std::string("\x2e\x00\x00\x00", 4);  // directory size 46
  eocd += std::string("\xa5\x00\x00\x00", 4);  // directory offset 65 + 100 = 165
  eocd += std::string(2, '\0');                // no comment
  data.replace(200, eocd.size(), eocd);
  std::string error;
  FinishWithData(data, &error);
  EXPECT_NE(error.find("zip.eocd.multiple"), std::string::npos) << error;
}

TEST(CanonicalWriterTest, CommonTopFolder) {
  auto top = [](std::vector<std::string> names) {
    ZipDirectory dir;
    for (std::string& n : names) dir.entries.push_back(ZipEntry{.name = std::move(n)});
    return CommonTopFolder(dir);
  };
  EXPECT_EQ(top({"S/", "S/a.mrml", "S/Data/b.nrrd"}), "S");
  EXPECT_EQ(top({"S/a.mrml"}), "S");
  EXPECT_EQ(top({"S/a.mrml", "T/b"}), std::nullopt);
  EXPECT_EQ(top({"S/a.mrml", "b"}), std::nullopt);
  EXPECT_EQ(top({"/a"}), std::nullopt);
  EXPECT_EQ(top({}), std::nullopt);
}

TEST(CanonicalWriterTest, CopyRefusesAnEntryWhoseCrcIsWrong) {
  std::vector<uint8_t> bad =
      test_support::ZipBuilder().Entry("X/a.txt", Text(3000), {.method = 8, .local_crc = 1, .central_crc = 1}).Build();
  MemorySource src(bad);
  const Policy strict = Policy::Strict();  // FindingSink keeps a reference
  FindingSink sink(strict);
  ZipDirectory dir = AuditZip(src, sink, {.libzip_second_opinion = false});
  ASSERT_TRUE(dir.structure_ok);
  std::string zip;
  StringZipOutput out(&zip);
  CanonicalZipWriter w(out, Limits::Strict(), "S");
  EXPECT_FALSE(CopyAuditedEntry(w, "a.txt", src, dir.entries[0], sink));
  EXPECT_TRUE(w.ok());  // nothing was written
  EXPECT_TRUE(zip.empty());
  bool crc = false;
  for (const Finding& f : sink.findings()) crc = crc || std::string(f.rule_id) == "zip.crc-mismatch";
  EXPECT_TRUE(crc);
}

// Writes SampleItems() through a descriptor opened with `flags` on a file
// holding `before`; returns the file's bytes and whether Finish audited them.
std::string WriteThroughDescriptor(int flags, const std::string& before, bool* audited) {
  std::string path = (std::filesystem::temp_directory_path() / "canonical_writer_test_XXXXXX").string();
  int made = mkstemp(path.data());
  EXPECT_GE(made, 0);
  EXPECT_EQ(write(made, before.data(), before.size()), static_cast<ssize_t>(before.size()));
  close(made);
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  EXPECT_GE(fd, 0);
  {
    FdZipOutput out(fd);
    CanonicalZipWriter w(out, Limits::Strict(), "Scene");
    for (const Item& it : SampleItems()) {
      EXPECT_TRUE(it.path.back() == '/' ? w.AddDirectory(it.path) : w.AddFile(it.path, it.data)) << w.error();
    }
    EXPECT_TRUE(w.Finish()) << w.error();
    *audited = w.self_audited();
  }
  close(fd);
  std::vector<uint8_t> bytes = ReadFile(path);
  unlink(path.c_str());
  return std::string(bytes.begin(), bytes.end());
}

TEST(CanonicalWriterTest, WritesToADescriptorAndAuditsIt) {
  bool audited = false;
  EXPECT_EQ(WriteThroughDescriptor(O_RDWR, "", &audited), Write("Scene", SampleItems()));
  EXPECT_TRUE(audited);
  // Write-only, or a file that already holds bytes after the archive: the
  // same archive is written, but it cannot be audited from the descriptor.
  EXPECT_EQ(WriteThroughDescriptor(O_WRONLY, "", &audited), Write("Scene", SampleItems()));
  EXPECT_FALSE(audited);
  std::string written = WriteThroughDescriptor(O_RDWR, std::string(1u << 20, 'x'), &audited);
  EXPECT_FALSE(audited);
  EXPECT_EQ(written.substr(0, Write("Scene", SampleItems()).size()), Write("Scene", SampleItems()));
}

// Random names from an alphabet of troublemakers (separators, dots, case
// pairs, reserved characters, non-ASCII, combining marks, controls) and
// random data: every entry is either refused with the writer still usable,
// or written, and every archive then passes its own audit with no finding
// at all. The writer's checks before writing are the audit's, complete.
TEST(CanonicalWriterTest, RandomNamesAreRefusedOrAuditClean) {
  static const std::vector<std::string> kPieces = {
      "a", "A", "b", "/", "/", ".", "..", " ", ":", "\\", "\xC3\xA9", "e\xCC\x81", "\xC3\x89", "\xE2\x80\x8B",
      "\x01", "con", "._", "__MACOSX", "\xFF", "\xC3", "~", "nrrd", "\xE1\xBA\x9E", "ss", "\xC3\x9F"};
  uint64_t state = 0x243F6A8885A308D3ull;
  auto next = [&](uint32_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state >> 33) % n);
  };
  size_t written = 0, refused = 0;
  for (int archive = 0; archive < 150; ++archive) {
    std::string zip;
    StringZipOutput out(&zip);
    CanonicalZipWriter w(out, Limits::Strict(), "S", {.implied_folders = next(2) == 0});
    ASSERT_TRUE(w.ok());
    for (int entry = 0; entry < 12; ++entry) {
      std::string name;
      for (uint32_t k = 0, parts = 1 + next(5); k < parts; ++k) name += kPieces[next(static_cast<uint32_t>(kPieces.size()))];
      const bool folder = next(4) == 0;
      const bool ok = folder ? w.AddDirectory(name) : w.AddFile(name, next(2) == 0 ? Text(next(3000)) : Noise(next(300)));
      ASSERT_TRUE(w.ok()) << w.error();
      (ok ? written : refused) += 1;
    }
    ASSERT_TRUE(w.Finish()) << w.error();
    ReadOurs(zip);
  }
  // Both outcomes are exercised.
  EXPECT_GT(written, 200u);
  EXPECT_GT(refused, 200u);
}

// The bundles of corpus/bundles, re-packed entry by entry from their
// validated bytes below their own top folder, validate clean under the
// strict profile, and every reader sees the same bytes as in the original.
TEST(CanonicalWriterTest, RepackedCorpusBundlesValidateClean) {
  size_t repacked = 0, clean = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles")) {
    if (file.path().extension() != ".mrb") continue;
    SCOPED_TRACE(file.path().string());
    Report original = Validate(file.path().string(), Policy::Strict());
    ASSERT_TRUE(original.status.ok());
    std::vector<uint8_t> bytes = ReadFile(file.path().string());
    MemorySource src(bytes);
    const Policy strict = Policy::Strict();  // FindingSink keeps a reference
    FindingSink sink(strict);
    ZipDirectory dir = AuditZip(src, sink);
    ASSERT_TRUE(dir.structure_ok);
    ASSERT_FALSE(dir.entries.empty());
    std::optional<std::string> common = CommonTopFolder(dir);
    ASSERT_TRUE(common.has_value());
    const std::string top = *common;
    std::string zip;
    StringZipOutput out(&zip);
    CanonicalZipWriter w(out, Limits::Strict(), top);
    ASSERT_TRUE(w.ok()) << w.error();
    InflateBudget budget;
    std::map<std::string, std::string> want;
    for (const ZipEntry& e : dir.entries) {
      ASSERT_EQ(e.name.compare(0, top.size() + 1, top + "/"), 0) << e.name;
      std::string rel = e.name.substr(top.size() + 1);
      if (e.is_directory) {
        ASSERT_TRUE(w.AddDirectory(rel)) << w.error();
        continue;
      }
      ASSERT_TRUE(CopyAuditedEntry(w, rel, src, e, sink, &budget))
          << w.error() << "\n"
          << (sink.findings().empty() ? "" : sink.findings().back().message);
      StringSink content;
      ASSERT_TRUE(StreamEntry(src, e, nullptr, sink, &content));
      want[e.name] = content.bytes;
    }
    ASSERT_TRUE(w.Finish()) << w.error();
    std::map<std::string, std::string> got = ReadOurs(zip);
    for (const auto& [name, data] : want) EXPECT_EQ(got[name], data) << name;
    std::string path = (std::filesystem::temp_directory_path() / "canonical_repack_XXXXXX.mrb").string();
    int fd = mkstemps(path.data(), 4);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, zip.data(), zip.size()), static_cast<ssize_t>(zip.size()));
    close(fd);
    Report repacked_report = Validate(path, Policy::Strict());
    unlink(path.c_str());
    EXPECT_TRUE(repacked_report.status.ok()) << repacked_report.status.message();
    EXPECT_EQ(repacked_report.accepted(), original.accepted());
    std::vector<std::string> before, after;
    for (const Finding& f : original.findings) before.emplace_back(f.rule_id);
    for (const Finding& f : repacked_report.findings) after.emplace_back(f.rule_id);
    EXPECT_EQ(after, before);
    if (original.findings.empty()) {
      EXPECT_TRUE(repacked_report.findings.empty());
      ++clean;
    }
    std::printf("[ measured ] %s: %zu -> %zu bytes\n", file.path().filename().c_str(), bytes.size(), zip.size());
    ++repacked;
  }
  EXPECT_GE(repacked, 6u);
  EXPECT_GE(clean, 4u);  // two keep their legacy-node scene findings under strict
}

}  // namespace
}  // namespace mrmlguard::internal
