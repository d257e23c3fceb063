// SPDX-License-Identifier: BSD-3-Clause
// Every real scene in corpus/real (see its SOURCES.md and the shared
// INVENTORY.md) must pass the default profile: no error findings. Known
// defects: two documents are not well-formed XML (the XML layer rejects them)
// and three repeat an id, which must be rejected with exactly
// mrml.id.duplicate.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scene_harness.h"

namespace mrmlguard::internal {
namespace {

namespace fs = std::filesystem;
using testing::RunScene;
using testing::SceneRun;

const std::set<std::string> kNotWellFormed = {
    "Slicer/Modules/EMSegment/Testing/TestData/TutorialTest/EMSegmentTutorialTemplate_large.mrml",
    "Slicer/Modules/VolumeRendering/VolViewPresets.mrml",
};
const std::set<std::string> kDuplicateIds = {
    "XNATSlicer/XNATSlicer/Cache/projects/test5/localFiles/test5.mrml",
    "XNATSlicer/XNATSlicer/Cache/projects/test5/localFiles/test5-LOCALIZED.mrml",
    "XNATImageViewer/src/main/scripts/viewer/xiv/sample-data/slicer-scenes/SampleScene3/oneView_brain_2.mrml",
};

// Files corpus/real/EXPECTED.md lists as rejected; tests/pipeline's
// real_corpus_verdict_test asserts their exact rule ids through Validate.
std::set<std::string> ListedRejections(const fs::path& root) {
  std::set<std::string> out;
  std::ifstream in(root / "EXPECTED.md");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) out.insert(line.substr(3, end - 3));
  }
  return out;
}

std::vector<std::string> RealScenes(const fs::path& root) {
  std::vector<std::string> out;
  if (!fs::exists(root)) return out;
  const std::set<std::string> listed = ListedRejections(root);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mrml") {
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      if (listed.count(rel) && !kNotWellFormed.count(rel) && !kDuplicateIds.count(rel)) continue;
      out.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RealCorpusTest, EveryRealSceneIsAccepted) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  std::vector<std::string> scenes = RealScenes(root);
  if (scenes.empty()) GTEST_SKIP() << "no corpus at " << root;
  EXPECT_GE(scenes.size(), 120u);
  std::map<std::string, size_t> warnings;
  size_t duplicates_seen = 0, malformed_seen = 0;
  for (const std::string& rel : scenes) {
    std::ifstream in(root / rel, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    SceneOptions options;
    options.scene_name = fs::path(rel).filename().string();
    SceneRun run = RunScene(buffer.str(), options);
    if (kNotWellFormed.count(rel)) {
      EXPECT_FALSE(run.well_formed) << rel;
      ++malformed_seen;
      continue;
    }
    ASSERT_TRUE(run.well_formed) << rel;
    const bool verbose = std::getenv("MRMLGUARD_TEST_VERBOSE") != nullptr;
    for (const Finding& f : run.findings) {
      if (f.severity == Severity::kWarning) ++warnings[std::string(f.rule_id)];
      if (verbose && f.severity >= Severity::kWarning) {
        std::cout << rel << ":" << f.location.line << " " << f.rule_id << " " << f.message << "\n";
      }
    }
    if (kDuplicateIds.count(rel)) {
      ++duplicates_seen;
      EXPECT_TRUE(run.Has("mrml.id.duplicate")) << rel;
      for (const Finding& f : run.findings) {
        if (f.severity == Severity::kError) {
          EXPECT_EQ(f.rule_id, "mrml.id.duplicate") << rel << ": " << f.message;
        }
      }
      continue;
    }
    std::string errors;
    for (const Finding& f : run.findings) {
      if (f.severity == Severity::kError) {
        errors += std::string(f.rule_id) + " " + std::to_string(f.location.line) + ":" +
                  std::to_string(f.location.column) + " " + f.message + "\n";
      }
    }
    EXPECT_TRUE(errors.empty()) << rel << ":\n" << errors;
  }
  EXPECT_EQ(duplicates_seen, kDuplicateIds.size());
  EXPECT_EQ(malformed_seen, kNotWellFormed.size());
  for (const auto& [rule, n] : warnings) std::cout << "  warning " << rule << ": " << n << "\n";
}

}  // namespace
}  // namespace mrmlguard::internal

namespace mrmlguard::internal {
namespace {

// The same scenes through the XML layer (ParseXml, both parsers): the MRML
// verdicts must not change. xml.* findings are the XML layer's to judge.
TEST(RealCorpusTest, SameVerdictThroughTheXmlLayer) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  std::vector<std::string> scenes = RealScenes(root);
  if (scenes.empty()) GTEST_SKIP() << "no corpus at " << root;
  for (const std::string& rel : scenes) {
    if (kNotWellFormed.count(rel)) continue;
    std::ifstream in(root / rel, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    SceneOptions options;
    options.scene_name = fs::path(rel).filename().string();
    SceneRun run = testing::RunSceneThroughParser(buffer.str(), options, 4096);
    std::string errors;
    for (const Finding& f : run.findings) {
      if (f.severity != Severity::kError || f.rule_id.substr(0, 5) != "mrml.") continue;
      if (kDuplicateIds.count(rel) && f.rule_id == "mrml.id.duplicate") continue;
      errors += std::string(f.rule_id) + " " + std::to_string(f.location.line) + " " + f.message + "\n";
    }
    EXPECT_TRUE(errors.empty()) << rel << ":\n" << errors;
    if (kDuplicateIds.count(rel)) {
      EXPECT_TRUE(run.Has("mrml.id.duplicate")) << rel;
    }
    if (std::getenv("MRMLGUARD_TEST_VERBOSE") != nullptr) {
      for (const Finding& f : run.findings) {
        if (f.rule_id.substr(0, 4) == "xml.") std::cout << rel << ": " << f.rule_id << " " << f.message << "\n";
      }
    }
  }
}

}  // namespace
}  // namespace mrmlguard::internal
