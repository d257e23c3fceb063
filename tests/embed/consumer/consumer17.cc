// SPDX-License-Identifier: BSD-3-Clause
// A C++17 program built against the INSTALLED mrmlguard (3D Slicer builds
// with C++17): every public C++ header must compile without std::span, and
// the pointer-and-count overloads must work. Usage: consumer_cxx17 <scratch-dir>
#if __cplusplus >= 202002L
#error "this consumer must be compiled as C++17"
#endif
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>

#include <mrmlguard/extract.h>
#include <mrmlguard/finding.h>
#include <mrmlguard/format.h>
#include <mrmlguard/limits.h>
#include <mrmlguard/mrmlguard.h>
#include <mrmlguard/policy.h>
#include <mrmlguard/report.h>
#include <mrmlguard/validate.h>
#include <mrmlguard/version.h>

static_assert(MRMLGUARD_HAS_STD_SPAN == 0, "C++17 has no std::span");

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string good = std::string(argv[1]) + "/good_cxx17.mrml";
  std::ofstream(good) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<MRML version=\"Slicer4.4.0\" userTags=\"\">\n</MRML>\n";
  const mrmlguard::Report report = mrmlguard::Validate(good, mrmlguard::Policy::Default());
  if (!report.accepted()) return 1;

  const std::string bad = "<!DOCTYPE MRML><MRML/>";
  const mrmlguard::Report rejected =
      mrmlguard::ValidateBytes(reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), "bad.mrml",
                               mrmlguard::Policy::Default());
  if (rejected.accepted()) return 1;
  const mrmlguard::Report no_bytes = mrmlguard::ValidateBytes(nullptr, 5, "x.mrml", mrmlguard::Policy::Default());
  if (no_bytes.accepted() || no_bytes.status.ok()) return 1;

  size_t rules = 0, limits = 0;
  const mrmlguard::RuleInfo* rule = mrmlguard::AllRules(&rules);
  const mrmlguard::LimitInfo* limit = mrmlguard::AllLimits(&limits);
  if (rules == 0 || limits == 0 || rule == nullptr || limit == nullptr) return 1;
  if (mrmlguard::FindRule(rule[rules - 1].id) != &rule[rules - 1]) return 1;

  const mrmlguard::Report both[] = {report, rejected};
  const std::string json = mrmlguard::FormatJson(both, 2);
  if (json.find("xml.doctype") == std::string::npos) return 1;
  if (mrmlguard::FormatSarif(both, 2).find("\"2.1.0\"") == std::string::npos) return 1;
  std::cout << "mrmlguard C++17 consumer: " << rules << " rules, " << limits << " limits: ok\n";
  return 0;
}
