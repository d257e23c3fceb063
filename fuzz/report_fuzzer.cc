// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the report writers: builds one to three Reports whose every field
// (paths, entry names, messages, rule ids, numbers) comes from the input, and
// runs FormatJson, FormatSarif and FormatText over them. JSON and SARIF must
// be valid JSON (json_check.h); text must hold no control byte but '\n' and
// '\t', so a hostile name cannot rewrite a terminal or forge a line.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "json_check.h"
#include "mrmlguard/format.h"

namespace {

using mrmlguard::fuzz::FuzzReader;

void CheckJson(const std::string& text, const char* what) {
  size_t bad = mrmlguard::fuzz::JsonChecker::Check(text);
  if (bad != mrmlguard::fuzz::JsonChecker::kValid) {
    size_t from = bad > 40 ? bad - 40 : 0;
    mrmlguard::fuzz::Fail(what, std::string_view(text).substr(from, 80));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  if (size > 16384) return 0;
  FuzzReader in(data, size);
  std::deque<std::string> ids;  // storage for rule ids that are not in the table
  std::span<const RuleInfo> rules = AllRules();
  std::span<const LimitInfo> limits = AllLimits();
  std::vector<Report> reports(1 + in.Byte() % 3);
  for (Report& r : reports) {
    r.path = in.String(64);
    r.kind = static_cast<InputKind>(in.Byte() % 3);
    uint8_t status = in.Byte();
    if (status & 0x80) r.status = Status(static_cast<StatusCode>(status % 5), in.String(48));
    r.verdict = (status & 0x40) ? Verdict::kAccepted : Verdict::kRejected;
    r.main_scene = in.String(32);
    r.stats = Stats{.bytes_read = in.U32(), .bytes_inflated = uint64_t{in.U32()} << (in.Byte() % 33),
                    .entries = in.U16(), .nodes = in.U32(), .data_files = in.Byte(),
                    .elapsed_microseconds = in.U32()};
    size_t count = in.Byte() % 9;
    for (size_t i = 0; i < count && !in.empty(); ++i) {
      Finding f;
      uint8_t how = in.Byte();
      if (how & 1) {
        ids.push_back(in.String(40));
        f.rule_id = ids.back();
      } else {
        f.rule_id = rules[in.U16() % rules.size()].id;
      }
      f.severity = static_cast<Severity>((how >> 1) % 4);
      f.location.entry = in.String(48);
      if (how & 0x08) f.location.offset = uint64_t{in.U32()} << (how >> 4);
      f.location.line = (how & 0x10) ? in.U32() : in.Byte();
      f.location.column = in.Byte();
      f.location.node_id = in.String(24);
      f.location.attribute = in.String(24);
      f.message = in.String(96);
      if (how & 0x20) f.limit = limits[in.Byte() % limits.size()].name;
      r.findings.push_back(std::move(f));
    }
  }
  CheckJson(FormatJson(reports), "FormatJson wrote invalid JSON:");
  CheckJson(FormatSarif(reports), "FormatSarif wrote invalid JSON:");
  for (const Report& r : reports) {
    for (bool quiet : {false, true}) {
      std::string text = FormatText(r, quiet);
      for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        MRMLGUARD_FUZZ_CHECK(u >= 0x20 || u == '\n' || u == '\t', "FormatText wrote a control byte");
        MRMLGUARD_FUZZ_CHECK(u != 0x7f, "FormatText wrote DEL");
      }
    }
  }
  return 0;
}
