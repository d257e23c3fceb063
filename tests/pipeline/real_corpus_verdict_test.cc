// SPDX-License-Identifier: BSD-3-Clause
// Every .mrml file under corpus/real through the public Validate (the CLI's
// verdict): the files listed in corpus/real/EXPECTED.md are rejected with
// exactly their listed error rule ids, every other file is accepted. The same
// for every .mrb under corpus/real-bundles against the table of its README.md.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mrmlguard/validate.h"

namespace {

namespace fs = std::filesystem;

struct Expected {
  std::set<std::string> rules;
  bool pending_false_alarm = false;
};

// Reads the table rows "| `path` | `rule`, `rule` | reason |" of EXPECTED.md.
std::map<std::string, Expected> ReadExpected(const fs::path& file) {
  std::map<std::string, Expected> out;
  std::ifstream in(file);
  std::string line;
  bool pending = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) pending = line.find("false alarm") != std::string::npos;
    if (line.rfind("| `", 0) != 0) continue;
    const size_t path_end = line.find('`', 3);
    const size_t cell_end = line.find(" |", path_end);
    if (path_end == std::string::npos || cell_end == std::string::npos) continue;
    Expected e;
    e.pending_false_alarm = pending;
    const size_t rules_end = line.find(" |", cell_end + 2);
    std::string cell = line.substr(cell_end + 2, rules_end - cell_end - 2);
    for (size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', at)) {
      const size_t end = cell.find('`', at + 1);
      if (end == std::string::npos) break;
      e.rules.insert(cell.substr(at + 1, end - at - 1));
      at = end + 1;
    }
    out[line.substr(3, path_end - 3)] = e;
  }
  return out;
}

// Validates every file with extension `ext` under `root`: those listed in `table` are rejected with
// exactly their error rule ids, every other one is accepted; returns how many files were checked.
size_t CheckVerdicts(const fs::path& root, const std::string& table, const std::string& ext) {
  const std::map<std::string, Expected> expected = ReadExpected(root / table);
  EXPECT_FALSE(expected.empty()) << table << " not read";
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) {
      files.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  const mrmlguard::Policy policy = mrmlguard::Policy::Default();
  size_t listed_seen = 0;
  for (const std::string& rel : files) {
    const mrmlguard::Report report = mrmlguard::Validate((root / rel).string(), policy);
    EXPECT_TRUE(report.status.ok()) << rel;
    if (!report.status.ok()) continue;
    std::set<std::string> errors;
    std::string detail;
    for (const mrmlguard::Finding& f : report.findings) {
      if (f.severity != mrmlguard::Severity::kError) continue;
      errors.insert(std::string(f.rule_id));
      detail += std::string(f.rule_id) + " " + f.location.entry + " " + std::to_string(f.location.line) + " " +
                f.message + "\n";
    }
    const auto it = expected.find(rel);
    if (it == expected.end()) {
      EXPECT_TRUE(report.accepted()) << rel << ":\n" << detail;
      continue;
    }
    ++listed_seen;
    EXPECT_FALSE(report.accepted()) << rel
                                    << (it->second.pending_false_alarm ? " (pending false alarm fixed? delete its row)"
                                                                       : "");
    EXPECT_EQ(errors, it->second.rules) << rel << ":\n" << detail;
  }
  EXPECT_EQ(listed_seen, expected.size()) << table << " lists a file that is not under " << root;
  return files.size();
}

TEST(RealCorpusVerdictTest, ListedFilesRejectedWithTheirRulesOthersAccepted) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  if (!fs::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  ASSERT_GE(ReadExpected(root / "EXPECTED.md").size(), 10u) << "EXPECTED.md not read";
  EXPECT_GE(CheckVerdicts(root, "EXPECTED.md", ".mrml"), 420u);
}

TEST(RealCorpusVerdictTest, RealBundlesListedRejectedWithTheirRulesOthersAccepted) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real-bundles";
  if (!fs::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  EXPECT_GE(CheckVerdicts(root, "README.md", ".mrb"), 5u);
}

}  // namespace
