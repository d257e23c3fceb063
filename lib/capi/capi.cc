// SPDX-License-Identifier: BSD-3-Clause
// The C API (include/mrmlguard/mrmlguard.h) over the C++ entry points.
//
// Everything here is a thin, defensive shell: check every pointer the caller
// gives, copy what the C side will read into strings owned by the handle, and
// turn every C++ exception into an error code, because an exception unwinding
// into C (or into Python's ctypes, or into Slicer's event loop) is undefined
// behaviour and would take the host process down.

#include "mrmlguard/mrmlguard.h"

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrmlguard/extract.h"
#include "mrmlguard/finding.h"
#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "mrmlguard/sanitize.h"
#include "mrmlguard/validate.h"
#include "mrmlguard/version.h"

struct mrmlguard_policy {
  mrmlguard::Policy policy;
};

struct mrmlguard_report {
  mrmlguard::Report report;
  // The rule table hands out string_views; C needs NUL-terminated strings, so
  // each finding's rule id and limit name are copied once, when the report is
  // made, rather than relying on how the table happens to store its literals.
  std::vector<std::string> rule_ids;
  std::vector<std::string> limits;
  std::string main_scene_path;  // set by mrmlguard_extract when accepted
  // Made on the first mrmlguard_report_json call. `mutable` because the C
  // accessor takes a const report; the header documents that one report must
  // not be used from two threads at once.
  mutable std::string json;
  mutable bool json_made = false;
};

struct mrmlguard_sanitize_result {
  mrmlguard::SanitizeResult result;
  std::vector<std::string> rule_ids;  // NUL-terminated copies, as for reports
  std::string json;                   // made when the result is
};

namespace {

using mrmlguard::Severity;
using mrmlguard::StatusCode;

// Runs `body` and converts any exception into an error code. Every entry point
// that can allocate goes through here.
template <typename Body>
mrmlguard_error Guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return MRMLGUARD_E_NOMEM;
  } catch (...) {
    return MRMLGUARD_E_INTERNAL;
  }
}

bool ValidSeverity(int severity) {
  return severity >= MRMLGUARD_SEVERITY_OFF && severity <= MRMLGUARD_SEVERITY_ERROR;
}

// The C enum mirrors the C++ one value for value; the static_asserts keep it so.
static_assert(static_cast<int>(Severity::kOff) == MRMLGUARD_SEVERITY_OFF);
static_assert(static_cast<int>(Severity::kNote) == MRMLGUARD_SEVERITY_NOTE);
static_assert(static_cast<int>(Severity::kWarning) == MRMLGUARD_SEVERITY_WARNING);
static_assert(static_cast<int>(Severity::kError) == MRMLGUARD_SEVERITY_ERROR);

mrmlguard_status ToCStatus(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return MRMLGUARD_STATUS_OK;
    case StatusCode::kIoError: return MRMLGUARD_STATUS_IO_ERROR;
    case StatusCode::kEmptyInput: return MRMLGUARD_STATUS_EMPTY_INPUT;
    case StatusCode::kInvalidArgument: return MRMLGUARD_STATUS_INVALID_ARGUMENT;
    case StatusCode::kInternal: return MRMLGUARD_STATUS_INTERNAL;
  }
  return MRMLGUARD_STATUS_INTERNAL;
}

// What a validation call returns for a report with this status. A report is
// handed out in every case, so the caller can print its status message.
mrmlguard_error ResultFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return MRMLGUARD_OK;
    case StatusCode::kIoError: return MRMLGUARD_E_IO;
    case StatusCode::kEmptyInput: return MRMLGUARD_E_EMPTY_INPUT;
    case StatusCode::kInvalidArgument: return MRMLGUARD_E_INVALID_ARGUMENT;
    case StatusCode::kInternal: return MRMLGUARD_E_INTERNAL;
  }
  return MRMLGUARD_E_INTERNAL;
}

// Wraps a finished C++ report into a handle and publishes it through `out`.
// `out` is only written once everything that can throw has run, so a failure
// never leaves the caller with a half-made report.
mrmlguard_error Publish(mrmlguard::Report&& report, std::string main_scene_path,
                        mrmlguard_report** out) {
  auto handle = std::make_unique<mrmlguard_report>();
  handle->rule_ids.reserve(report.findings.size());
  handle->limits.reserve(report.findings.size());
  for (const mrmlguard::Finding& finding : report.findings) {
    handle->rule_ids.emplace_back(finding.rule_id);
    handle->limits.emplace_back(finding.limit);
  }
  handle->main_scene_path = std::move(main_scene_path);
  handle->report = std::move(report);
  const mrmlguard_error result = ResultFor(handle->report.status.code());
  *out = handle.release();
  return result;
}

const mrmlguard::Finding* FindingAt(const mrmlguard_report* report, size_t index) {
  if (report == nullptr || index >= report->report.findings.size()) return nullptr;
  return &report->report.findings[index];
}

}  // namespace

extern "C" {

const char* mrmlguard_version(void) { return mrmlguard::Version(); }

const char* mrmlguard_strerror(int error) {
  switch (error) {
    case MRMLGUARD_OK: return "ok";
    case MRMLGUARD_E_INVALID_ARGUMENT: return "invalid argument";
    case MRMLGUARD_E_UNKNOWN_PROFILE: return "unknown profile (expected \"default\" or \"strict\")";
    case MRMLGUARD_E_UNKNOWN_LIMIT: return "unknown limit name";
    case MRMLGUARD_E_UNKNOWN_RULE: return "unknown rule id";
    case MRMLGUARD_E_BAD_SEVERITY: return "bad severity (expected off, note, warning or error)";
    case MRMLGUARD_E_IO: return "input could not be read or destination could not be written";
    case MRMLGUARD_E_EMPTY_INPUT: return "input is empty";
    case MRMLGUARD_E_NOMEM: return "out of memory";
    case MRMLGUARD_E_INTERNAL: return "internal error in mrmlguard";
    case MRMLGUARD_E_OUT_OF_RANGE: return "index out of range or value not known";
  }
  return "unknown error code";
}

const char* mrmlguard_severity_name(int severity) {
  switch (severity) {
    case MRMLGUARD_SEVERITY_OFF: return "off";
    case MRMLGUARD_SEVERITY_NOTE: return "note";
    case MRMLGUARD_SEVERITY_WARNING: return "warning";
    case MRMLGUARD_SEVERITY_ERROR: return "error";
  }
  return nullptr;
}

mrmlguard_error mrmlguard_severity_parse(const char* name, mrmlguard_severity* severity) {
  if (name == nullptr || severity == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  // Compared here rather than through mrmlguard::ParseSeverity so that the
  // spelling accepted by C callers is fixed by this file, next to the enum.
  const std::string_view text(name);
  static constexpr mrmlguard_severity kAll[] = {MRMLGUARD_SEVERITY_OFF, MRMLGUARD_SEVERITY_NOTE,
                                                MRMLGUARD_SEVERITY_WARNING,
                                                MRMLGUARD_SEVERITY_ERROR};
  for (mrmlguard_severity candidate : kAll) {
    if (text == mrmlguard_severity_name(candidate)) {
      *severity = candidate;
      return MRMLGUARD_OK;
    }
  }
  return MRMLGUARD_E_BAD_SEVERITY;
}

mrmlguard_policy* mrmlguard_policy_new(const char* profile) {
  try {
    const std::string_view name = profile == nullptr ? std::string_view("default") : profile;
    const std::optional<mrmlguard::Profile> parsed = mrmlguard::ParseProfile(name);
    if (!parsed) return nullptr;
    auto handle = std::make_unique<mrmlguard_policy>();
    handle->policy = *parsed == mrmlguard::Profile::kStrict ? mrmlguard::Policy::Strict()
                                                             : mrmlguard::Policy::Default();
    return handle.release();
  } catch (...) {
    // Only allocation can fail here; the header documents NULL for it.
    return nullptr;
  }
}

void mrmlguard_policy_free(mrmlguard_policy* policy) { delete policy; }

mrmlguard_error mrmlguard_policy_set_limit(mrmlguard_policy* policy, const char* name,
                                           uint64_t value) {
  if (policy == nullptr || name == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  return Guarded([&] {
    // Limits::Set takes text (the CLI's form); go through Get first so that a
    // known name is recognised without formatting the number twice.
    uint64_t unused = 0;
    if (!policy->policy.limits.Get(name, &unused)) return MRMLGUARD_E_UNKNOWN_LIMIT;
    const std::string text = std::to_string(value);
    if (!policy->policy.limits.Set(name, text)) return MRMLGUARD_E_INTERNAL;
    return MRMLGUARD_OK;
  });
}

mrmlguard_error mrmlguard_policy_get_limit(const mrmlguard_policy* policy, const char* name,
                                           uint64_t* value) {
  if (policy == nullptr || name == nullptr || value == nullptr) {
    return MRMLGUARD_E_INVALID_ARGUMENT;
  }
  return Guarded([&] {
    return policy->policy.limits.Get(name, value) ? MRMLGUARD_OK : MRMLGUARD_E_UNKNOWN_LIMIT;
  });
}

mrmlguard_error mrmlguard_policy_set_severity(mrmlguard_policy* policy, const char* rule_id,
                                              int severity) {
  if (policy == nullptr || rule_id == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  if (!ValidSeverity(severity)) return MRMLGUARD_E_BAD_SEVERITY;
  return Guarded([&] {
    // Policy::SeverityOf treats unknown ids as errors (fail closed); refusing
    // them here tells the caller about a typo instead of silently doing nothing.
    if (mrmlguard::FindRule(rule_id) == nullptr) return MRMLGUARD_E_UNKNOWN_RULE;
    policy->policy.overrides.push_back({rule_id, static_cast<Severity>(severity)});
    return MRMLGUARD_OK;
  });
}

mrmlguard_error mrmlguard_validate_file(const mrmlguard_policy* policy, const char* path,
                                        mrmlguard_report** report) {
  if (report == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  *report = nullptr;
  if (policy == nullptr || path == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  return Guarded([&] {
    return Publish(mrmlguard::Validate(path, policy->policy), std::string(), report);
  });
}

mrmlguard_error mrmlguard_validate_buffer(const mrmlguard_policy* policy, const void* data,
                                          size_t size, const char* name_hint,
                                          mrmlguard_report** report) {
  if (report == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  *report = nullptr;
  if (policy == nullptr || (data == nullptr && size != 0)) return MRMLGUARD_E_INVALID_ARGUMENT;
  return Guarded([&] {
    const std::span<const uint8_t> bytes(static_cast<const uint8_t*>(data), size);
    const std::string_view hint = name_hint == nullptr ? std::string_view() : name_hint;
    return Publish(mrmlguard::ValidateBytes(bytes, hint, policy->policy), std::string(), report);
  });
}

mrmlguard_error mrmlguard_extract(const mrmlguard_policy* policy, const char* bundle_path,
                                  const char* destination, mrmlguard_report** report,
                                  const char** main_scene) {
  if (main_scene != nullptr) *main_scene = nullptr;
  if (report == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  *report = nullptr;
  if (policy == nullptr || bundle_path == nullptr || destination == nullptr) {
    return MRMLGUARD_E_INVALID_ARGUMENT;
  }
  return Guarded([&] {
    mrmlguard::ExtractResult result = mrmlguard::Extract(bundle_path, destination, policy->policy);
    // Extract promises an empty path unless accepted; do not rely on it when
    // telling a C caller where to find a scene to open.
    std::string scene = result.report.accepted() ? std::move(result.main_scene_path) : std::string();
    const mrmlguard_error rc = Publish(std::move(result.report), std::move(scene), report);
    if (main_scene != nullptr && mrmlguard_report_accepted(*report) &&
        !(*report)->main_scene_path.empty()) {
      *main_scene = (*report)->main_scene_path.c_str();
    }
    return rc;
  });
}

mrmlguard_error mrmlguard_sanitize(const mrmlguard_policy* policy, const char* in_path, const char* out_path,
                                   mrmlguard_sanitize_result** result) {
  if (result == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  *result = nullptr;
  if (policy == nullptr || in_path == nullptr || out_path == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  return Guarded([&] {
    auto handle = std::make_unique<mrmlguard_sanitize_result>();
    handle->result = mrmlguard::Sanitize(in_path, out_path, policy->policy);
    for (const mrmlguard::SanitizeChange& change : handle->result.changes) handle->rule_ids.emplace_back(change.rule_id);
    handle->json = mrmlguard::FormatSanitizeJson(handle->result, in_path, out_path);
    const mrmlguard_error rc = ResultFor(handle->result.status.code());
    *result = handle.release();
    return rc;
  });
}

void mrmlguard_sanitize_result_free(mrmlguard_sanitize_result* result) { delete result; }

int mrmlguard_sanitize_written(const mrmlguard_sanitize_result* result) {
  return result != nullptr && result->result.written ? 1 : 0;
}

size_t mrmlguard_sanitize_change_count(const mrmlguard_sanitize_result* result) {
  return result == nullptr ? 0 : result->rule_ids.size();
}

const char* mrmlguard_sanitize_change_rule_id(const mrmlguard_sanitize_result* result, size_t index) {
  if (result == nullptr || index >= result->rule_ids.size()) return nullptr;
  return result->rule_ids[index].c_str();
}

const char* mrmlguard_sanitize_refusal(const mrmlguard_sanitize_result* result) {
  return result == nullptr ? nullptr : result->result.refusal.c_str();
}

const char* mrmlguard_sanitize_json(const mrmlguard_sanitize_result* result) {
  return result == nullptr ? nullptr : result->json.c_str();
}

void mrmlguard_report_free(mrmlguard_report* report) { delete report; }

int mrmlguard_report_accepted(const mrmlguard_report* report) {
  return report != nullptr && report->report.accepted() ? 1 : 0;
}

mrmlguard_verdict mrmlguard_report_verdict(const mrmlguard_report* report) {
  return mrmlguard_report_accepted(report) != 0 ? MRMLGUARD_VERDICT_ACCEPTED
                                                : MRMLGUARD_VERDICT_REJECTED;
}

mrmlguard_status mrmlguard_report_status(const mrmlguard_report* report) {
  if (report == nullptr) return MRMLGUARD_STATUS_INTERNAL;
  return ToCStatus(report->report.status.code());
}

const char* mrmlguard_status_name(int status) {
  switch (status) {
    case MRMLGUARD_STATUS_OK: return "ok";
    case MRMLGUARD_STATUS_IO_ERROR: return "io-error";
    case MRMLGUARD_STATUS_EMPTY_INPUT: return "empty-input";
    case MRMLGUARD_STATUS_INVALID_ARGUMENT: return "invalid-argument";
    case MRMLGUARD_STATUS_INTERNAL: return "internal";
  }
  return "internal";
}

const char* mrmlguard_report_status_message(const mrmlguard_report* report) {
  return report == nullptr ? nullptr : report->report.status.message().c_str();
}

mrmlguard_input_kind mrmlguard_report_kind(const mrmlguard_report* report) {
  if (report == nullptr) return MRMLGUARD_INPUT_UNKNOWN;
  switch (report->report.kind) {
    case mrmlguard::InputKind::kBundle: return MRMLGUARD_INPUT_BUNDLE;
    case mrmlguard::InputKind::kScene: return MRMLGUARD_INPUT_SCENE;
    case mrmlguard::InputKind::kUnknown: break;
  }
  return MRMLGUARD_INPUT_UNKNOWN;
}

const char* mrmlguard_report_path(const mrmlguard_report* report) {
  return report == nullptr ? nullptr : report->report.path.c_str();
}

const char* mrmlguard_report_main_scene(const mrmlguard_report* report) {
  return report == nullptr ? nullptr : report->report.main_scene.c_str();
}

size_t mrmlguard_report_finding_count(const mrmlguard_report* report) {
  return report == nullptr ? 0 : report->report.findings.size();
}

size_t mrmlguard_report_count(const mrmlguard_report* report, int severity) {
  if (report == nullptr || !ValidSeverity(severity)) return 0;
  return report->report.Count(static_cast<Severity>(severity));
}

const char* mrmlguard_report_json(const mrmlguard_report* report) {
  if (report == nullptr) return nullptr;
  if (!report->json_made) {
    const mrmlguard_error rc = Guarded([&] {
      report->json = mrmlguard::FormatJson(std::span<const mrmlguard::Report>(&report->report, 1));
      report->json_made = true;
      return MRMLGUARD_OK;
    });
    if (rc != MRMLGUARD_OK) return nullptr;
  }
  return report->json.c_str();
}

const char* mrmlguard_finding_rule_id(const mrmlguard_report* report, size_t index) {
  return FindingAt(report, index) == nullptr ? nullptr : report->rule_ids[index].c_str();
}

mrmlguard_severity mrmlguard_finding_severity(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  if (finding == nullptr) return MRMLGUARD_SEVERITY_OFF;
  return static_cast<mrmlguard_severity>(finding->severity);
}

const char* mrmlguard_finding_entry(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? nullptr : finding->location.entry.c_str();
}

mrmlguard_error mrmlguard_finding_offset(const mrmlguard_report* report, size_t index,
                                         uint64_t* offset) {
  if (offset == nullptr) return MRMLGUARD_E_INVALID_ARGUMENT;
  *offset = 0;
  const mrmlguard::Finding* finding = FindingAt(report, index);
  if (finding == nullptr || !finding->location.offset) return MRMLGUARD_E_OUT_OF_RANGE;
  *offset = *finding->location.offset;
  return MRMLGUARD_OK;
}

uint32_t mrmlguard_finding_line(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? 0 : finding->location.line;
}

uint32_t mrmlguard_finding_column(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? 0 : finding->location.column;
}

const char* mrmlguard_finding_node_id(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? nullptr : finding->location.node_id.c_str();
}

const char* mrmlguard_finding_attribute(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? nullptr : finding->location.attribute.c_str();
}

const char* mrmlguard_finding_message(const mrmlguard_report* report, size_t index) {
  const mrmlguard::Finding* finding = FindingAt(report, index);
  return finding == nullptr ? nullptr : finding->message.c_str();
}

const char* mrmlguard_finding_limit(const mrmlguard_report* report, size_t index) {
  return FindingAt(report, index) == nullptr ? nullptr : report->limits[index].c_str();
}

}  // extern "C"
