// SPDX-License-Identifier: BSD-3-Clause
// SafeTreeWriter: no write outside the destination, no overwrite, no
// symlink followed, and Abort() leaves the destination as found.

#include "zip/safe_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "zip_test_util.h"

namespace mrmlguard::internal {
namespace {

namespace fs = std::filesystem;

class SafeWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "mrmlguard-writer-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    base_ = templ;
  }
  void TearDown() override { fs::remove_all(base_); }
  std::span<const uint8_t> Bytes(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
  }
  bool WriteFile(SafeTreeWriter& w, const std::string& name, const std::string& data, std::string* error) {
    return w.BeginFile(name, error) && w.Write(Bytes(data), error) && w.EndFile(error);
  }
  fs::path base_;
};

TEST_F(SafeWriterTest, WritesTreeAndCommits) {
  std::string error;
  fs::path dest = base_ / "out";
  {
    auto w = SafeTreeWriter::Open(dest.string(), &error);
    ASSERT_TRUE(w) << error;
    EXPECT_TRUE(w->AddDirectory("Scene/", &error)) << error;
    EXPECT_TRUE(WriteFile(*w, "Scene/Scene.mrml", "<MRML/>", &error)) << error;
    EXPECT_TRUE(WriteFile(*w, "Scene/Data/a.nrrd", "NRRD", &error)) << error;  // parent made on the way
    EXPECT_TRUE(w->AddDirectory("Scene/Data/", &error)) << error;             // ours already: fine
    EXPECT_TRUE(w->Commit(&error)) << error;
  }
  std::vector<uint8_t> s = ReadFile((dest / "Scene/Scene.mrml").string());
  EXPECT_EQ(std::string(s.begin(), s.end()), "<MRML/>");
  EXPECT_TRUE(fs::exists(dest / "Scene/Data/a.nrrd"));
  struct stat st {};
  ASSERT_EQ(stat((dest / "Scene/Data/a.nrrd").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u & ~static_cast<unsigned>(umask(022)));
}

TEST_F(SafeWriterTest, AbortRemovesEverythingItCreated) {
  std::string error;
  fs::path dest = base_ / "new";
  {
    auto w = SafeTreeWriter::Open(dest.string(), &error);
    ASSERT_TRUE(w);
    ASSERT_TRUE(WriteFile(*w, "S/Data/deep/x", "x", &error));
    ASSERT_TRUE(w->BeginFile("S/y", &error));  // left open
    w->Abort();
  }
  EXPECT_FALSE(fs::exists(dest));  // Open() made it, Abort() removed it
  // An existing empty destination stays, empty.
  fs::create_directory(base_ / "empty");
  {
    auto w = SafeTreeWriter::Open((base_ / "empty").string(), &error);
    ASSERT_TRUE(w) << error;
    ASSERT_TRUE(WriteFile(*w, "S/a", "a", &error));
  }  // destroyed without Commit(): aborts
  EXPECT_TRUE(fs::is_directory(base_ / "empty"));
  EXPECT_TRUE(fs::is_empty(base_ / "empty"));
}

TEST_F(SafeWriterTest, RefusesNonEmptySymlinkAndFileDestinations) {
  std::string error;
  fs::create_directory(base_ / "d");
  fs::create_directory_symlink("/tmp", base_ / "d" / "link");
  EXPECT_FALSE(SafeTreeWriter::Open((base_ / "d").string(), &error));  // holds a symlink: not empty
  EXPECT_NE(error.find("not empty"), std::string::npos);
  fs::create_directory_symlink(base_ / "target", base_ / "dest-link");
  fs::create_directory(base_ / "target");
  EXPECT_FALSE(SafeTreeWriter::Open((base_ / "dest-link").string(), &error));  // the destination is a symlink
  std::ofstream(base_ / "file") << "x";
  EXPECT_FALSE(SafeTreeWriter::Open((base_ / "file").string(), &error));
  EXPECT_FALSE(SafeTreeWriter::Open("", &error));
}

TEST_F(SafeWriterTest, RefusesEveryEscape) {
  std::string error;
  auto w = SafeTreeWriter::Open((base_ / "out").string(), &error);
  ASSERT_TRUE(w);
  for (const char* bad : {"../x", "a/../../x", "a/..", "/abs", "/tmp/x", "a//b", "./a", "a/./b", "a\\..\\x",
                          "C:x", "", "/", "..", "."}) {
    EXPECT_FALSE(w->BeginFile(bad, &error)) << bad;
    EXPECT_FALSE(w->AddDirectory(bad, &error)) << bad;
  }
  EXPECT_FALSE(w->BeginFile(std::string("a\0b", 3), &error));
  EXPECT_TRUE(fs::is_empty(base_ / "out"));
  EXPECT_FALSE(fs::exists(base_ / "x"));
}

TEST_F(SafeWriterTest, NeverOverwritesOrFollowsSymlinks) {
  std::string error;
  fs::path dest = base_ / "out";
  auto w = SafeTreeWriter::Open(dest.string(), &error);
  ASSERT_TRUE(w);
  ASSERT_TRUE(WriteFile(*w, "S/a", "first", &error));
  EXPECT_FALSE(w->BeginFile("S/a", &error));       // duplicate: O_EXCL
  EXPECT_FALSE(w->AddDirectory("S/a/", &error));   // a file, not a folder
  EXPECT_FALSE(w->BeginFile("S/a/b", &error));     // file used as a folder
  EXPECT_FALSE(w->BeginFile("S", &error));         // folder used as a file
  // A symlink planted inside the tree (a racing process): never followed.
  fs::create_directory(base_ / "outside");
  fs::create_directory_symlink(base_ / "outside", dest / "S" / "lnk");
  EXPECT_FALSE(w->BeginFile("S/lnk/pwned", &error));
  EXPECT_FALSE(w->AddDirectory("S/lnk/", &error));
  fs::create_symlink(base_ / "outside" / "f", dest / "S" / "flink");
  EXPECT_FALSE(w->BeginFile("S/flink", &error));
  EXPECT_TRUE(fs::is_empty(base_ / "outside"));
  w->Abort();
  EXPECT_TRUE(fs::is_directory(base_ / "outside"));  // the symlinks' target untouched
}

TEST(SafeWriterNamesTest, IsSafeRelativePath) {
  EXPECT_TRUE(SafeTreeWriter::IsSafeRelativePath("a"));
  EXPECT_TRUE(SafeTreeWriter::IsSafeRelativePath("a/b/"));
  EXPECT_TRUE(SafeTreeWriter::IsSafeRelativePath("a/.b"));
  EXPECT_FALSE(SafeTreeWriter::IsSafeRelativePath("a/b//"));
  EXPECT_FALSE(SafeTreeWriter::IsSafeRelativePath("a:b"));
}

}  // namespace
}  // namespace mrmlguard::internal
