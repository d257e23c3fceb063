// SPDX-License-Identifier: BSD-3-Clause
// Every real data file in corpus/real (everything that is not a scene) is
// read without an error finding, given as the pipeline gives it: the first
// max_header_bytes, or the whole file when WantsWholeFile says so.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data_test_util.h"

namespace mrmlguard::internal::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> DataFiles() {
  std::vector<fs::path> out;
  fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (e.path().filename().string().starts_with(".")) continue;  // .gitattributes
    if (ext == ".mrml" || ext == ".md" || ext == ".xml" || ext == ".mrb") continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string out(static_cast<size_t>(fs::file_size(p)), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

TEST(RealCorpusTest, EveryDataFileReadsWithoutErrors) {
  std::vector<fs::path> files = DataFiles();
  ASSERT_GE(files.size(), 150u) << "corpus/real data files are missing";
  Policy policy = Policy::Default();
  size_t images = 0;
  for (const fs::path& p : files) {
    std::string all = Read(p);
    std::string rel = fs::relative(p, fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real").string();
    size_t n = WantsWholeFile(rel, "", all.size(), policy.limits)
                   ? all.size()
                   : std::min<size_t>(all.size(), policy.limits.max_header_bytes);
    Checked r = Check(rel, "", std::string_view(all).substr(0, n), all.size());
    EXPECT_EQ(r.Errors(), 0u) << rel << ":\n" << r.Describe();
    EXPECT_NE(r.result.format, DataFormat::kExecutable) << rel;
    images += r.result.image ? 1 : 0;
  }
  EXPECT_GE(images, 20u);
}

}  // namespace
}  // namespace mrmlguard::internal::testing
