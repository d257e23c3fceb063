// SPDX-License-Identifier: BSD-3-Clause
// Replays the libarchive calls of Slicer's vtkArchive::UnZip
// (Libs/MRML/Core/vtkArchive.cxx) as they are upstream and as
// slicer/patches/0001-vtkArchive-UnZip-reads-ZIP-only-and-extracts-safely.patch
// makes them, on crafted archives, against the system libarchive. Like
// UnZip, the replay changes into the destination and extracts the entry
// names as given. The "original" calls let entries out of the destination;
// the patched calls refuse each crafted archive with nothing written outside
// it, and still extract a well-formed bundle. A last test checks that every
// libarchive call and flag the patch adds appears in the patched replay, so
// that the two cannot drift apart.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/zip_builder.h"

namespace {

namespace fs = std::filesystem;
using mrmlguard::test_support::EntryOptions;
using mrmlguard::test_support::ZipBuilder;

// replay:original-begin
bool OriginalUnZip(const std::string& zip) {
  struct archive* in = archive_read_new();
  archive_read_support_filter_all(in);
  archive_read_support_format_all(in);
  if (archive_read_open_filename(in, zip.c_str(), 10240) != ARCHIVE_OK) {
    archive_read_free(in);
    return false;
  }
  struct archive* out = archive_write_disk_new();
  archive_write_disk_set_standard_lookup(out);
  struct archive_entry* entry = nullptr;
  int result = ARCHIVE_OK;
  for (;;) {
    result = archive_read_next_header(in, &entry);
    if (result == ARCHIVE_EOF) break;
    if (result != ARCHIVE_OK && result < ARCHIVE_WARN) break;
    result = archive_write_header(out, entry);
    if (result != ARCHIVE_OK) {
      if (result < ARCHIVE_WARN) break;
    } else {
      const void* buff = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      for (;;) {
        result = archive_read_data_block(in, &buff, &size, &offset);
        if (result == ARCHIVE_EOF) break;
        if (result != ARCHIVE_OK) break;
        result = static_cast<int>(archive_write_data_block(out, buff, size, offset));
        if (result != ARCHIVE_OK) break;
      }
    }
  }
  archive_read_close(in);
  archive_read_free(in);
  archive_write_close(out);
  result = archive_write_free(out);
  return result == ARCHIVE_OK;  // upstream returns the status of the last call
}
// replay:original-end

// replay:patched-begin
bool PatchedUnZip(const std::string& zip) {
  struct archive* in = archive_read_new();
  archive_read_support_filter_none(in);
  archive_read_support_format_zip(in);
  if (archive_read_open_filename(in, zip.c_str(), 10240) != ARCHIVE_OK) {
    archive_read_free(in);
    return false;
  }
  struct archive* out = archive_write_disk_new();
  archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
                                          ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_NO_OVERWRITE);
  archive_write_disk_set_standard_lookup(out);
  struct archive_entry* entry = nullptr;
  int result = ARCHIVE_OK;
  bool failed = false;
  for (;;) {
    result = archive_read_next_header(in, &entry);
    if (result == ARCHIVE_EOF) break;
    if (result != ARCHIVE_OK) {
      failed = true;
      break;
    }
    const mode_t type = archive_entry_filetype(entry);
    if ((type != AE_IFREG && type != AE_IFDIR) || archive_entry_hardlink(entry) != nullptr) {
      std::fprintf(stderr, "refused entry %s\n", archive_entry_pathname(entry));
      failed = true;
      break;
    }
    result = archive_write_header(out, entry);
    if (result != ARCHIVE_OK) {
      std::fprintf(stderr, "%s\n", archive_error_string(out));
      failed = true;
      break;
    }
    const void* buff = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
      result = archive_read_data_block(in, &buff, &size, &offset);
      if (result == ARCHIVE_EOF) break;
      if (result != ARCHIVE_OK || archive_write_data_block(out, buff, size, offset) != ARCHIVE_OK) {
        failed = true;
        break;
      }
    }
    if (failed || archive_write_finish_entry(out) != ARCHIVE_OK) {
      failed = true;
      break;
    }
  }
  archive_read_close(in);
  archive_read_free(in);
  archive_write_close(out);
  result = archive_write_free(out);
  return !failed && result == ARCHIVE_OK;
}
// replay:patched-end

// A ustar archive in memory: (name, type flag, link target, data).
struct TarEntry {
  std::string name;
  char type;
  std::string link;
  std::string data;
};
std::string Tar(const std::vector<TarEntry>& entries) {
  std::string out;
  for (const TarEntry& e : entries) {
    std::string header(512, '\0');
    auto put = [&](size_t at, const std::string& text) { header.replace(at, text.size(), text); };
    char number[16];
    put(0, e.name);
    put(100, "0000644");
    put(108, "0000000");
    put(116, "0000000");
    std::snprintf(number, sizeof number, "%011o", static_cast<unsigned>(e.data.size()));
    put(124, number);
    put(136, "00000000000");
    header[156] = e.type;
    put(157, e.link);
    put(257, std::string("ustar\0", 6) + "00");
    put(148, "        ");
    unsigned sum = 0;
    for (char c : header) sum += static_cast<unsigned char>(c);
    std::snprintf(number, sizeof number, "%06o", sum);
    put(148, std::string(number) + std::string("\0 ", 2));
    out += header + e.data + std::string((512 - e.data.size() % 512) % 512, '\0');
  }
  return out + std::string(1024, '\0');
}

const char kScene[] = "<MRML version=\"Slicer4.4.0\"></MRML>\n";

std::string ReadAll(const std::string& path) {
  std::string bytes;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[4096];
    for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) bytes.append(buffer, got);
    std::fclose(file);
  }
  return bytes;
}

class UnzipReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("mrmlguard-unzip-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    dest_ = root_ / "a" / "b" / "dest";
    fs::create_directories(dest_);
    fs::create_directories(root_ / "outside");
    cwd_ = fs::current_path();
  }
  void TearDown() override {
    fs::current_path(cwd_);
    fs::remove_all(root_);
  }
  std::string Archive(const std::string& name, const std::string& bytes) {
    const fs::path path = root_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  std::string Archive(const std::string& name, const std::vector<uint8_t>& bytes) {
    return Archive(name, std::string(bytes.begin(), bytes.end()));
  }
  // Runs one replay as UnZip does: inside the destination, then back.
  bool Run(bool patched, const std::string& archive) {
    fs::current_path(dest_);
    const bool ok = patched ? PatchedUnZip(archive) : OriginalUnZip(archive);
    fs::current_path(cwd_);
    return ok;
  }
  // Files and links anywhere below root_ except the destination and the archives.
  std::vector<std::string> Outside() const {
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(root_); it != fs::recursive_directory_iterator(); ++it) {
      const fs::path& p = it->path();
      if (p.string().rfind(dest_.string(), 0) == 0 || p.parent_path() == root_) continue;
      if (!it->is_directory() || it->is_symlink()) found.push_back(p.lexically_relative(root_).string());
    }
    return found;
  }
  std::vector<std::string> InDestination() const {
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(dest_); it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_directory() || it->is_symlink()) found.push_back(it->path().lexically_relative(dest_).string());
    }
    std::sort(found.begin(), found.end());
    return found;
  }

  fs::path root_, dest_, cwd_;
};

TEST_F(UnzipReplayTest, DotDotEntry) {
  const std::string zip = Archive("dotdot.mrb", ZipBuilder().Entry("S/S.mrml", kScene).Entry("../../x.txt", "x").Build());
  Run(false, zip);
  EXPECT_EQ(Outside(), std::vector<std::string>{"a/x.txt"}) << "upstream calls write outside";
  fs::remove(root_ / "a" / "x.txt");
  EXPECT_FALSE(Run(true, zip));
  EXPECT_TRUE(Outside().empty());
}

TEST_F(UnzipReplayTest, AbsoluteEntry) {
  const std::string target = (root_ / "outside" / "abs.txt").string();
  const std::string zip = Archive("abs.mrb", ZipBuilder().Entry("S/S.mrml", kScene).Entry(target, "x").Build());
  Run(false, zip);
  EXPECT_TRUE(fs::exists(target)) << "upstream calls write outside";
  fs::remove(target);
  EXPECT_FALSE(Run(true, zip));
  EXPECT_TRUE(Outside().empty());
}

TEST_F(UnzipReplayTest, SymlinkThenFileThroughIt) {
  EntryOptions link;
  link.external_attributes = 0120777u << 16;
  const std::string zip = Archive("symlink.mrb", ZipBuilder()
                                                     .Entry("S/S.mrml", kScene)
                                                     .Entry("S/link", (root_ / "outside").string(), link)
                                                     .Entry("S/link/through.txt", "x")
                                                     .Build());
  Run(false, zip);
  EXPECT_TRUE(fs::exists(root_ / "outside" / "through.txt")) << "upstream calls write through the link";
  fs::remove(root_ / "outside" / "through.txt");
  fs::remove_all(dest_ / "S");
  EXPECT_FALSE(Run(true, zip));
  EXPECT_TRUE(Outside().empty());
  EXPECT_FALSE(fs::is_symlink(dest_ / "S" / "link")) << "no link entry is created, even inside";
}

TEST_F(UnzipReplayTest, TarRenamedMrbWithAHardLink) {
  const std::string tar = Archive("tar.mrb", Tar({{"S/S.mrml", '0', "", kScene},
                                                  {"S/hard", '1', "S/S.mrml", ""},
                                                  {"S/soft", '2', (root_ / "outside").string(), ""}}));
  EXPECT_TRUE(Run(false, tar)) << "upstream calls unpack a tar file named .mrb";
  EXPECT_TRUE(fs::exists(dest_ / "S" / "hard"));
  fs::remove_all(dest_ / "S");
  EXPECT_FALSE(Run(true, tar)) << "the patched calls read ZIP only";
  EXPECT_TRUE(InDestination().empty());
}

TEST_F(UnzipReplayTest, WellFormedBundleStillExtracts) {
  const std::string zip = Archive("good.mrb", ZipBuilder()
                                                  .Directory("Good/")
                                                  .Entry("Good/Good.mrml", kScene)
                                                  .Entry("Good/Data/v.nrrd", std::string(70000, 'v'), [] {
                                                    EntryOptions o;
                                                    o.method = 8;
                                                    return o;
                                                  }())
                                                  .Build());
  EXPECT_TRUE(Run(true, zip));
  EXPECT_EQ(InDestination(), (std::vector<std::string>{"Good/Data/v.nrrd", "Good/Good.mrml"}));
  EXPECT_EQ(ReadAll((dest_ / "Good" / "Data" / "v.nrrd").string()), std::string(70000, 'v'));
}

TEST_F(UnzipReplayTest, ExistingFileIsNotReplaced) {
  fs::create_directories(dest_ / "Good");
  std::ofstream(dest_ / "Good" / "Good.mrml") << "mine";
  const std::string zip = Archive("good.mrb", ZipBuilder().Entry("Good/Good.mrml", kScene).Build());
  EXPECT_FALSE(Run(true, zip));
  EXPECT_EQ(ReadAll((dest_ / "Good" / "Good.mrml").string()), "mine");
}

TEST(UnzipReplayPatch, EveryLibarchiveCallThePatchAddsIsReplayed) {
  const std::string source = ReadAll(std::string(MRMLGUARD_SOURCE_DIR) + "/tests/embed/unzip_replay_test.cc");
  const std::string patch = ReadAll(std::string(MRMLGUARD_SOURCE_DIR) +
                                    "/slicer/patches/0001-vtkArchive-UnZip-reads-ZIP-only-and-extracts-safely.patch");
  ASSERT_FALSE(source.empty());
  ASSERT_FALSE(patch.empty());
  const size_t begin = source.find("// replay:patched-begin");
  const size_t end = source.find("// replay:patched-end");
  ASSERT_NE(begin, std::string::npos);
  const std::string replay = source.substr(begin, end - begin);
  const std::regex name(R"(\b(archive_[a-z_]+|ARCHIVE_EXTRACT_[A-Z_]+|AE_IF[A-Z]+)\b)");
  std::set<std::string> added;
  size_t lines = 0;
  for (size_t at = 0; at < patch.size();) {
    size_t next = patch.find('\n', at);
    if (next == std::string::npos) next = patch.size();
    const std::string line = patch.substr(at, next - at);
    at = next + 1;
    if (line.rfind("+", 0) != 0 || line.rfind("+++", 0) == 0) continue;
    ++lines;
    for (std::sregex_iterator it(line.begin(), line.end(), name), stop; it != stop; ++it) added.insert(it->str());
  }
  EXPECT_GT(lines, 10u);
  EXPECT_GE(added.size(), 9u);
  for (const std::string& call : added) {
    EXPECT_NE(replay.find(call), std::string::npos) << call << " is added by the patch but not replayed";
  }
}

}  // namespace
