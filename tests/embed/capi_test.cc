// SPDX-License-Identifier: BSD-3-Clause
// Tests of the C API (include/mrmlguard/mrmlguard.h): results, ownership,
// every error path, and that hostile bytes never crash it.

#include "mrmlguard/mrmlguard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/zip_builder.h"

namespace {

constexpr std::string_view kScene =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<MRML version=\"Slicer4.4.0\" userTags=\"\">\n</MRML>\n";
constexpr std::string_view kDoctypeScene =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE MRML>\n<MRML version=\"Slicer4.4.0\"></MRML>\n";

struct PolicyDeleter {
  void operator()(mrmlguard_policy* p) const { mrmlguard_policy_free(p); }
};
struct ReportDeleter {
  void operator()(mrmlguard_report* r) const { mrmlguard_report_free(r); }
};
using PolicyPtr = std::unique_ptr<mrmlguard_policy, PolicyDeleter>;
using ReportPtr = std::unique_ptr<mrmlguard_report, ReportDeleter>;


class CapiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mrmlguard-capi-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    policy_.reset(mrmlguard_policy_new("default"));
    ASSERT_NE(policy_, nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view data) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return path.string();
  }

  ReportPtr ValidateBuffer(std::string_view data, const char* hint, mrmlguard_error expected) {
    mrmlguard_report* report = nullptr;
    EXPECT_EQ(mrmlguard_validate_buffer(policy_.get(), data.data(), data.size(), hint, &report),
              expected);
    return ReportPtr(report);
  }

  std::filesystem::path dir_;
  PolicyPtr policy_;
};

TEST_F(CapiTest, VersionAndStrings) {
  EXPECT_STREQ(mrmlguard_version(), "0.1.0");
  EXPECT_STREQ(mrmlguard_strerror(MRMLGUARD_OK), "ok");
  EXPECT_STREQ(mrmlguard_strerror(MRMLGUARD_E_UNKNOWN_LIMIT), "unknown limit name");
  EXPECT_STREQ(mrmlguard_strerror(999), "unknown error code");
  EXPECT_STREQ(mrmlguard_severity_name(MRMLGUARD_SEVERITY_WARNING), "warning");
  EXPECT_EQ(mrmlguard_severity_name(42), nullptr);
  EXPECT_STREQ(mrmlguard_status_name(MRMLGUARD_STATUS_IO_ERROR), "io-error");
  mrmlguard_severity severity = MRMLGUARD_SEVERITY_OFF;
  EXPECT_EQ(mrmlguard_severity_parse("error", &severity), MRMLGUARD_OK);
  EXPECT_EQ(severity, MRMLGUARD_SEVERITY_ERROR);
  EXPECT_EQ(mrmlguard_severity_parse("fatal", &severity), MRMLGUARD_E_BAD_SEVERITY);
  EXPECT_EQ(mrmlguard_severity_parse(nullptr, &severity), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_severity_parse("note", nullptr), MRMLGUARD_E_INVALID_ARGUMENT);
}

TEST_F(CapiTest, Profiles) {
  EXPECT_EQ(mrmlguard_policy_new("lenient"), nullptr);
  EXPECT_EQ(mrmlguard_policy_new(""), nullptr);
  PolicyPtr strict(mrmlguard_policy_new("strict"));
  EXPECT_NE(strict, nullptr);
  PolicyPtr implicit_default(mrmlguard_policy_new(nullptr));
  EXPECT_NE(implicit_default, nullptr);
  mrmlguard_policy_free(nullptr);  // allowed
  mrmlguard_report_free(nullptr);  // allowed
}

TEST_F(CapiTest, Limits) {
  uint64_t value = 0;
  EXPECT_EQ(mrmlguard_policy_set_limit(policy_.get(), "max_xml_depth", 12), MRMLGUARD_OK);
  EXPECT_EQ(mrmlguard_policy_get_limit(policy_.get(), "max_xml_depth", &value), MRMLGUARD_OK);
  EXPECT_EQ(value, 12u);
  EXPECT_EQ(mrmlguard_policy_set_limit(policy_.get(), "max_input_bytes", UINT64_MAX), MRMLGUARD_OK);
  EXPECT_EQ(mrmlguard_policy_get_limit(policy_.get(), "max_input_bytes", &value), MRMLGUARD_OK);
  EXPECT_EQ(value, UINT64_MAX);
  EXPECT_EQ(mrmlguard_policy_set_limit(policy_.get(), "max_nonsense", 1), MRMLGUARD_E_UNKNOWN_LIMIT);
  EXPECT_EQ(mrmlguard_policy_set_limit(policy_.get(), "", 1), MRMLGUARD_E_UNKNOWN_LIMIT);
  EXPECT_EQ(mrmlguard_policy_get_limit(policy_.get(), "max_nonsense", &value),
            MRMLGUARD_E_UNKNOWN_LIMIT);
  EXPECT_EQ(mrmlguard_policy_set_limit(nullptr, "max_xml_depth", 1), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_policy_set_limit(policy_.get(), nullptr, 1), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_policy_get_limit(policy_.get(), "max_xml_depth", nullptr),
            MRMLGUARD_E_INVALID_ARGUMENT);
}

TEST_F(CapiTest, LimitIsEnforced) {
  ASSERT_EQ(mrmlguard_policy_set_limit(policy_.get(), "max_xml_depth", 4), MRMLGUARD_OK);
  std::string deep = "<MRML>";
  for (int i = 0; i < 20; ++i) deep += "<a>";
  for (int i = 0; i < 20; ++i) deep += "</a>";
  deep += "</MRML>";
  ReportPtr report = ValidateBuffer(deep, "deep.mrml", MRMLGUARD_OK);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  bool named = false;
  for (size_t i = 0; i < mrmlguard_report_finding_count(report.get()); ++i) {
    named = named || std::string_view(mrmlguard_finding_limit(report.get(), i)) == "max_xml_depth";
  }
  EXPECT_TRUE(named);
}

TEST_F(CapiTest, Severities) {
  EXPECT_EQ(mrmlguard_policy_set_severity(policy_.get(), "xml.doctype", MRMLGUARD_SEVERITY_WARNING),
            MRMLGUARD_OK);
  EXPECT_EQ(mrmlguard_policy_set_severity(policy_.get(), "no.such.rule", MRMLGUARD_SEVERITY_ERROR),
            MRMLGUARD_E_UNKNOWN_RULE);
  EXPECT_EQ(mrmlguard_policy_set_severity(policy_.get(), "xml.doctype",
                                          4),
            MRMLGUARD_E_BAD_SEVERITY);
  EXPECT_EQ(mrmlguard_policy_set_severity(policy_.get(), "xml.doctype",
                                          -1),
            MRMLGUARD_E_BAD_SEVERITY);
  EXPECT_EQ(mrmlguard_policy_set_severity(nullptr, "xml.doctype", MRMLGUARD_SEVERITY_ERROR),
            MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_policy_set_severity(policy_.get(), nullptr, MRMLGUARD_SEVERITY_ERROR),
            MRMLGUARD_E_INVALID_ARGUMENT);
  ReportPtr report = ValidateBuffer(kDoctypeScene, "s.mrml", MRMLGUARD_OK);
  ASSERT_NE(report, nullptr);
  ASSERT_GE(mrmlguard_report_finding_count(report.get()), 1u);
  for (size_t i = 0; i < mrmlguard_report_finding_count(report.get()); ++i) {
    if (std::string_view(mrmlguard_finding_rule_id(report.get(), i)) == "xml.doctype") {
      EXPECT_EQ(mrmlguard_finding_severity(report.get(), i), MRMLGUARD_SEVERITY_WARNING);
    }
  }
}

TEST_F(CapiTest, AcceptedFile) {
  const std::string path = Write("Scene.mrml", kScene);
  mrmlguard_report* raw = nullptr;
  ASSERT_EQ(mrmlguard_validate_file(policy_.get(), path.c_str(), &raw), MRMLGUARD_OK);
  ReportPtr report(raw);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 1);
  EXPECT_EQ(mrmlguard_report_verdict(report.get()), MRMLGUARD_VERDICT_ACCEPTED);
  EXPECT_EQ(mrmlguard_report_status(report.get()), MRMLGUARD_STATUS_OK);
  EXPECT_STREQ(mrmlguard_report_status_message(report.get()), "");
  EXPECT_EQ(mrmlguard_report_kind(report.get()), MRMLGUARD_INPUT_SCENE);
  EXPECT_EQ(std::string(mrmlguard_report_path(report.get())), path);
  EXPECT_EQ(mrmlguard_report_count(report.get(), MRMLGUARD_SEVERITY_ERROR), 0u);
  const char* json = mrmlguard_report_json(report.get());
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(json[0], '{');
  EXPECT_EQ(mrmlguard_report_json(report.get()), json) << "made once, owned by the report";
}

TEST_F(CapiTest, Sanitize) {
  const std::string in = Write("in.mrml", "<MRML version=\"Slicer4.4.0\"><ModelStorage id=\"s\" fileName=\"m.vtk\" "
                                          "uri=\"http://e/x\"></ModelStorage><Model id=\"m\" storageNodeRef=\"s\">"
                                          "</Model></MRML>");
  const std::string out = Write("out.mrml", "old");
  mrmlguard_sanitize_result* raw = nullptr;
  ASSERT_EQ(mrmlguard_sanitize(policy_.get(), in.c_str(), out.c_str(), &raw), MRMLGUARD_OK);
  std::unique_ptr<mrmlguard_sanitize_result, decltype(&mrmlguard_sanitize_result_free)> result(
      raw, mrmlguard_sanitize_result_free);
  EXPECT_EQ(mrmlguard_sanitize_written(result.get()), 1);
  ASSERT_EQ(mrmlguard_sanitize_change_count(result.get()), 1u);
  EXPECT_STREQ(mrmlguard_sanitize_change_rule_id(result.get(), 0), "mrml.storage.uri");
  EXPECT_EQ(mrmlguard_sanitize_change_rule_id(result.get(), 1), nullptr);
  EXPECT_STREQ(mrmlguard_sanitize_refusal(result.get()), "");
  const std::string json = mrmlguard_sanitize_json(result.get());
  EXPECT_NE(json.find("\"schema\": \"mrmlguard-sanitize\""), std::string::npos) << json;
  // Refused: nothing written, OUT left as it was.
  const std::string bad = Write("bad.mrml", "<MRML><Volume id=\"v\"></Model></MRML>");
  const std::string out2 = Write("out2.mrml", "old");
  ASSERT_EQ(mrmlguard_sanitize(policy_.get(), bad.c_str(), out2.c_str(), &raw), MRMLGUARD_OK);
  result.reset(raw);
  EXPECT_EQ(mrmlguard_sanitize_written(result.get()), 0);
  EXPECT_STRNE(mrmlguard_sanitize_refusal(result.get()), "");
  // OUT is IN: refused with a result saying why.
  ASSERT_EQ(mrmlguard_sanitize(policy_.get(), in.c_str(), in.c_str(), &raw), MRMLGUARD_E_INVALID_ARGUMENT);
  result.reset(raw);
  EXPECT_EQ(mrmlguard_sanitize_written(result.get()), 0);
  EXPECT_EQ(mrmlguard_sanitize(nullptr, in.c_str(), out.c_str(), &raw), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(mrmlguard_sanitize(policy_.get(), in.c_str(), out.c_str(), nullptr), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_sanitize_written(nullptr), 0);
  EXPECT_EQ(mrmlguard_sanitize_change_count(nullptr), 0u);
  mrmlguard_sanitize_result_free(nullptr);
}

TEST_F(CapiTest, RejectedBufferHasLocatedFinding) {
  ReportPtr report = ValidateBuffer(kDoctypeScene, "Evil.mrml", MRMLGUARD_OK);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  EXPECT_EQ(mrmlguard_report_verdict(report.get()), MRMLGUARD_VERDICT_REJECTED);
  EXPECT_STREQ(mrmlguard_report_path(report.get()), "Evil.mrml");
  const size_t count = mrmlguard_report_finding_count(report.get());
  ASSERT_GE(count, 1u);
  size_t doctype = count;
  for (size_t i = 0; i < count; ++i) {
    if (std::string_view(mrmlguard_finding_rule_id(report.get(), i)) == "xml.doctype") doctype = i;
  }
  ASSERT_LT(doctype, count);
  EXPECT_EQ(mrmlguard_finding_severity(report.get(), doctype), MRMLGUARD_SEVERITY_ERROR);
  EXPECT_EQ(mrmlguard_finding_line(report.get(), doctype), 2u);
  EXPECT_GT(mrmlguard_finding_column(report.get(), doctype), 0u);
  EXPECT_NE(std::string_view(mrmlguard_finding_message(report.get(), doctype)).find("DOCTYPE"),
            std::string_view::npos);
  EXPECT_NE(mrmlguard_finding_entry(report.get(), doctype), nullptr);
  EXPECT_NE(mrmlguard_finding_node_id(report.get(), doctype), nullptr);
  EXPECT_NE(mrmlguard_finding_attribute(report.get(), doctype), nullptr);
  EXPECT_GE(mrmlguard_report_count(report.get(), MRMLGUARD_SEVERITY_ERROR), 1u);
  // Out of range: NULL strings, zero numbers, an error for the offset.
  EXPECT_EQ(mrmlguard_finding_rule_id(report.get(), count), nullptr);
  EXPECT_EQ(mrmlguard_finding_message(report.get(), count), nullptr);
  EXPECT_EQ(mrmlguard_finding_line(report.get(), count), 0u);
  EXPECT_EQ(mrmlguard_finding_severity(report.get(), count), MRMLGUARD_SEVERITY_OFF);
  uint64_t offset = 7;
  EXPECT_EQ(mrmlguard_finding_offset(report.get(), count, &offset), MRMLGUARD_E_OUT_OF_RANGE);
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(mrmlguard_finding_offset(report.get(), 0, nullptr), MRMLGUARD_E_INVALID_ARGUMENT);
}

TEST_F(CapiTest, NullReportAccessors) {
  EXPECT_EQ(mrmlguard_report_accepted(nullptr), 0);
  EXPECT_EQ(mrmlguard_report_verdict(nullptr), MRMLGUARD_VERDICT_REJECTED);
  EXPECT_EQ(mrmlguard_report_status(nullptr), MRMLGUARD_STATUS_INTERNAL);
  EXPECT_EQ(mrmlguard_report_finding_count(nullptr), 0u);
  EXPECT_EQ(mrmlguard_report_json(nullptr), nullptr);
  EXPECT_EQ(mrmlguard_report_path(nullptr), nullptr);
  EXPECT_EQ(mrmlguard_finding_rule_id(nullptr, 0), nullptr);
  EXPECT_EQ(mrmlguard_report_count(nullptr, MRMLGUARD_SEVERITY_ERROR), 0u);
}

TEST_F(CapiTest, NullArguments) {
  mrmlguard_report* report = reinterpret_cast<mrmlguard_report*>(0x1);  // must be reset
  EXPECT_EQ(mrmlguard_validate_file(nullptr, "x.mrml", &report), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(report, nullptr);
  EXPECT_EQ(mrmlguard_validate_file(policy_.get(), nullptr, &report), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(report, nullptr);
  EXPECT_EQ(mrmlguard_validate_file(policy_.get(), "x.mrml", nullptr), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_validate_buffer(policy_.get(), nullptr, 10, "x", &report),
            MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(report, nullptr);
  EXPECT_EQ(mrmlguard_validate_buffer(nullptr, "x", 1, "x", &report), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_validate_buffer(policy_.get(), "x", 1, "x", nullptr),
            MRMLGUARD_E_INVALID_ARGUMENT);
  const char* scene = "not null";
  EXPECT_EQ(mrmlguard_extract(policy_.get(), nullptr, "d", &report, &scene),
            MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(scene, nullptr);
  EXPECT_EQ(mrmlguard_extract(policy_.get(), "b.mrb", nullptr, &report, nullptr),
            MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_extract(nullptr, "b.mrb", "d", &report, nullptr), MRMLGUARD_E_INVALID_ARGUMENT);
  EXPECT_EQ(mrmlguard_extract(policy_.get(), "b.mrb", "d", nullptr, nullptr),
            MRMLGUARD_E_INVALID_ARGUMENT);
}

TEST_F(CapiTest, EmptyBufferAndNullHint) {
  // data may be NULL when size is 0: an empty input, judged and refused.
  ReportPtr report = ValidateBuffer(std::string_view(), nullptr, MRMLGUARD_E_EMPTY_INPUT);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(mrmlguard_report_status(report.get()), MRMLGUARD_STATUS_EMPTY_INPUT);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  mrmlguard_report* raw = nullptr;
  EXPECT_EQ(mrmlguard_validate_buffer(policy_.get(), nullptr, 0, nullptr, &raw),
            MRMLGUARD_E_EMPTY_INPUT);
  mrmlguard_report_free(raw);
}

TEST_F(CapiTest, UnreadableFiles) {
  for (const std::string& path : {(dir_ / "missing.mrml").string(), dir_.string()}) {
    mrmlguard_report* raw = nullptr;
    EXPECT_EQ(mrmlguard_validate_file(policy_.get(), path.c_str(), &raw), MRMLGUARD_E_IO) << path;
    ReportPtr report(raw);
    ASSERT_NE(report, nullptr) << "the report says why";
    EXPECT_EQ(mrmlguard_report_status(report.get()), MRMLGUARD_STATUS_IO_ERROR);
    EXPECT_STRNE(mrmlguard_report_status_message(report.get()), "");
    EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
    EXPECT_NE(mrmlguard_report_json(report.get()), nullptr);
  }
}

TEST_F(CapiTest, ExtractUnreadableBundle) {
  mrmlguard_report* raw = nullptr;
  const char* scene = "not null";
  const std::string missing = (dir_ / "missing.mrb").string();
  const std::string out = (dir_ / "out").string();
  EXPECT_NE(mrmlguard_extract(policy_.get(), missing.c_str(), out.c_str(), &raw, &scene),
            MRMLGUARD_OK);
  ReportPtr report(raw);
  EXPECT_EQ(scene, nullptr);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  EXPECT_FALSE(std::filesystem::exists(out) && !std::filesystem::is_empty(out));
}

TEST_F(CapiTest, ExtractRejectedSceneFileWritesNothing) {
  // A plain scene is not a bundle: nothing may be written.
  const std::string path = Write("Evil.mrb", kDoctypeScene);
  const std::string out = (dir_ / "out").string();
  mrmlguard_report* raw = nullptr;
  const char* scene = "not null";
  (void)mrmlguard_extract(policy_.get(), path.c_str(), out.c_str(), &raw, &scene);
  ReportPtr report(raw);
  EXPECT_EQ(scene, nullptr);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  EXPECT_FALSE(std::filesystem::exists(out) && !std::filesystem::is_empty(out));
}

TEST_F(CapiTest, ExtractAcceptedBundle) {
  const std::string bundle = mrmlguard::test_support::ZipBuilder()
                                 .Entry("Case/Case.mrml", kScene)
                                 .Entry("Case/Data/notes.txt", "hello")
                                 .BuildString();
  const std::string path = Write("Case.mrb", bundle);
  const std::string out = (dir_ / "out").string();
  mrmlguard_report* raw = nullptr;
  const char* scene = nullptr;
  ASSERT_EQ(mrmlguard_extract(policy_.get(), path.c_str(), out.c_str(), &raw, &scene), MRMLGUARD_OK);
  ReportPtr report(raw);
  ASSERT_EQ(mrmlguard_report_accepted(report.get()), 1) << mrmlguard_report_json(report.get());
  EXPECT_EQ(mrmlguard_report_kind(report.get()), MRMLGUARD_INPUT_BUNDLE);
  EXPECT_STREQ(mrmlguard_report_main_scene(report.get()), "Case/Case.mrml");
  ASSERT_NE(scene, nullptr);
  EXPECT_TRUE(std::filesystem::equivalent(scene, dir_ / "out" / "Case" / "Case.mrml"));
  std::ifstream in(scene, std::ios::binary);
  std::string written(kScene.size() + 16, '\0');
  in.read(written.data(), static_cast<std::streamsize>(written.size()));
  written.resize(static_cast<size_t>(in.gcount()));
  EXPECT_EQ(written, kScene);
}

TEST_F(CapiTest, ExtractTraversalWritesNothing) {
  const std::string bundle = mrmlguard::test_support::ZipBuilder()
                                 .Entry("Case/Case.mrml", kScene)
                                 .Entry("Case/../../escaped.py", "print(1)")
                                 .BuildString();
  const std::string path = Write("Evil.mrb", bundle);
  const std::string out = (dir_ / "out").string();
  mrmlguard_report* raw = nullptr;
  const char* scene = "not null";
  (void)mrmlguard_extract(policy_.get(), path.c_str(), out.c_str(), &raw, &scene);
  ReportPtr report(raw);
  EXPECT_EQ(scene, nullptr);
  EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "escaped.py"));
  EXPECT_FALSE(std::filesystem::exists(dir_.parent_path() / "escaped.py"));
  EXPECT_FALSE(std::filesystem::exists(out) && !std::filesystem::is_empty(out));
}

// Hostile bytes must never crash, hang or be accepted by accident. Every
// input is also run with a truncated copy, so the reader sees each prefix end.
TEST_F(CapiTest, HostileBuffersNeverCrash) {
  std::vector<std::string> inputs = {
      std::string(64, '\0'),
      std::string("PK\x03\x04", 4) + std::string(300, '\xff'),
      std::string("PK\x05\x06", 4) + std::string(18, '\0'),
      std::string("PK\x01\x02", 4) + std::string(100, 'A'),
      std::string(10000, '<'),
      "<MRML><a b='" + std::string(5000, '&') + "'/></MRML>",
      "<?xml version='1.0' encoding='UTF-16'?><MRML/>",
      "\xef\xbb\xbf<MRML>\x01\x02</MRML>",
      "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]><MRML>&b;</MRML>",
  };
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  inputs.push_back(all);
  for (const std::string& input : inputs) {
    for (size_t cut : {input.size(), input.size() / 2, size_t{1}}) {
      const std::string_view bytes(input.data(), cut);
      for (const char* hint : {"x.mrb", "x.mrml", static_cast<const char*>(nullptr)}) {
        mrmlguard_report* raw = nullptr;
        const mrmlguard_error rc =
            mrmlguard_validate_buffer(policy_.get(), bytes.data(), bytes.size(), hint, &raw);
        ReportPtr report(raw);
        EXPECT_NE(rc, MRMLGUARD_E_INTERNAL);
        ASSERT_NE(report, nullptr);
        EXPECT_EQ(mrmlguard_report_accepted(report.get()), 0) << input.substr(0, 16);
        for (size_t i = 0; i < mrmlguard_report_finding_count(report.get()); ++i) {
          EXPECT_NE(mrmlguard_finding_rule_id(report.get(), i), nullptr);
          EXPECT_NE(mrmlguard_finding_message(report.get(), i), nullptr);
        }
        EXPECT_NE(mrmlguard_report_json(report.get()), nullptr);
      }
    }
  }
}

}  // namespace
