// SPDX-License-Identifier: BSD-3-Clause
// A C++ program built against the INSTALLED mrmlguard through
// find_package(mrmlguard CONFIG): uses both the C++ API and the C API.
// Usage: consumer_cxx <scratch-dir>
#include <fstream>
#include <cstdint>
#include <iostream>
#include <span>
#include <string>

#include <mrmlguard/mrmlguard.h>
#include <mrmlguard/format.h>
#include <mrmlguard/validate.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string good = std::string(argv[1]) + "/good_cxx.mrml";
  std::ofstream(good) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<MRML version=\"Slicer4.4.0\" userTags=\"\">\n</MRML>\n";
  const mrmlguard::Report report = mrmlguard::Validate(good, mrmlguard::Policy::Default());
  std::cout << mrmlguard::FormatText(report, /*quiet=*/false);
  if (!report.accepted()) return 1;

  const std::string bad = "<!DOCTYPE MRML><MRML/>";
  const mrmlguard::Report rejected = mrmlguard::ValidateBytes(
      std::span(reinterpret_cast<const uint8_t*>(bad.data()), bad.size()), "bad.mrml",
      mrmlguard::Policy::Strict());
  if (rejected.accepted()) return 1;

  mrmlguard_policy* policy = mrmlguard_policy_new("strict");
  mrmlguard_report* c_report = nullptr;
  const bool c_ok = mrmlguard_validate_file(policy, good.c_str(), &c_report) == MRMLGUARD_OK;
  mrmlguard_report_free(c_report);
  mrmlguard_policy_free(policy);
  std::cout << "mrmlguard " << mrmlguard_version() << " C++ consumer: ok\n";
  return c_ok ? 0 : 1;
}
