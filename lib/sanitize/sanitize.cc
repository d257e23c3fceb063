// SPDX-License-Identifier: BSD-3-Clause
// Sanitize and SanitizeBytes (include/mrmlguard/sanitize.h): judge, plan,
// splice, judge again; write only what the last judgement accepts.

#include "mrmlguard/sanitize.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <utility>

#include "bytes/input_source.h"
#include "pipeline/pipeline.h"
#include "sanitize/bundle_repack.h"
#include "sanitize/scene_plan.h"
#include "text/slicer_path.h"

namespace mrmlguard {
namespace {

using internal::sanitize::ScenePlan;

// Where the bytes are judged: the name the report gives them and the folder
// a plain scene's data files are looked up in ("" for none).
struct Judge {
  std::string display;
  std::string folder;
  const Policy* policy;

  Report operator()(std::string_view bytes) const {
    Report report;
    report.path = display;
    if (bytes.empty()) {
      report.status = Status(StatusCode::kEmptyInput, "input is empty");
      return report;
    }
    internal::MemorySource source(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    internal::RunOptions options;
    options.display_path = display;
    options.disk_folder = folder;
    internal::RunInput(source, *policy, options, &report);
    return report;
  }
};

bool HasError(const Report& report) { return report.Count(Severity::kError) != 0 || !report.accepted(); }

std::vector<Finding> Errors(const Report& report) {
  std::vector<Finding> out;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError) out.push_back(f);
  }
  return out;
}

// The rounds: `input` judged as `first` gave `input_report`; `next` judges
// rewritten bytes. On success *output holds the bytes to write.
void Run(std::string_view input, const Judge& first, const Judge& next, SanitizeResult* result, std::string* output) {
  result->input_report = first(input);
  Report report = result->input_report;
  result->kind = report.kind;
  std::string current(input);
  bool judged_as_output = false;
  for (uint32_t round = 0;; ++round) {
    if (!report.status.ok()) {
      if (round == 0) {
        result->status = report.status;
      } else {
        result->refusal = "the rewritten input could not be judged: " + report.status.message();
      }
      return;
    }
    if (!HasError(report)) break;
    if (round >= kMaxSanitizeRounds) {
      result->refusal = "errors remain after " + std::to_string(kMaxSanitizeRounds) + " rounds";
      result->blocking = Errors(report);
      return;
    }
    std::string rewritten;
    std::vector<SanitizeChange> changes;
    if (report.kind == InputKind::kScene) {
      ScenePlan plan = internal::sanitize::PlanScene(current, report.findings, "");
      if (!plan.refusal.empty()) {
        result->refusal = plan.refusal;
        result->blocking = Errors(report);
        return;
      }
      if (!plan.blocking.empty()) {
        result->refusal = "no safe rewrite for " + std::to_string(plan.blocking.size()) + " finding(s)";
        result->blocking = std::move(plan.blocking);
        return;
      }
      if (!plan.splices.empty() && !internal::sanitize::ApplySplices(current, plan.splices, &rewritten)) {
        result->refusal = "two changes overlap";
        return;
      }
      changes = std::move(plan.changes);
    } else if (report.kind == InputKind::kBundle) {
      internal::sanitize::BundleRepack repack = internal::sanitize::RepackBundle(current, report, *next.policy);
      if (!repack.refusal.empty()) {
        result->refusal = repack.refusal;
        result->blocking = std::move(repack.blocking);
        return;
      }
      rewritten = std::move(repack.bytes);
      changes = std::move(repack.changes);
    } else {
      result->refusal = "the input is neither a scene nor a bundle";
      result->blocking = Errors(report);
      return;
    }
    if (changes.empty()) {
      // Only rules with nothing to rewrite (kNone) are left: they may be
      // about the input's name, so judge the bytes once under the output's.
      if (!judged_as_output) {
        judged_as_output = true;
        report = next(current);
        continue;
      }
      result->refusal = "no rewrite removes the remaining error(s)";
      result->blocking = Errors(report);
      return;
    }
    for (SanitizeChange& c : changes) result->changes.push_back(std::move(c));
    current = std::move(rewritten);
    report = next(current);
    judged_as_output = true;
    ++result->rounds;
  }
  // Fail closed: what is written is what the last judgement accepted, under
  // the output's own name and folder.
  if (!judged_as_output) report = next(current);
  if (!report.status.ok() || HasError(report)) {
    result->refusal = "the rewritten input is still rejected";
    result->blocking = Errors(report);
    return;
  }
  result->output_report = std::move(report);
  *output = std::move(current);
  result->written = true;
}

std::string FolderFor(const std::string& path) {
  std::string folder(internal::text::FolderOf(path));
  if (folder.empty() && !path.empty() && path.front() != '/') folder = ".";
  if (folder.empty() && !path.empty() && path.front() == '/') folder = "/";
  return folder;
}

Status ReadWhole(const std::string& path, const Policy& policy, std::string* bytes, struct stat* st) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return Status(StatusCode::kIoError, "cannot open " + path + ": " + std::strerror(errno));
  Status status;
  if (::fstat(fd, st) != 0) {
    status = Status(StatusCode::kIoError, "cannot stat " + path + ": " + std::strerror(errno));
  } else if (!S_ISREG(st->st_mode)) {
    status = Status(StatusCode::kIoError, path + ": not a regular file");
  } else if (st->st_size == 0) {
    status = Status(StatusCode::kEmptyInput, path + ": file is empty");
  } else if (static_cast<uint64_t>(st->st_size) > policy.limits.max_input_bytes) {
    status = Status(StatusCode::kInvalidArgument,
                    path + ": larger than max_input_bytes (" + std::to_string(policy.limits.max_input_bytes) + ")");
  } else {
    bytes->resize(static_cast<size_t>(st->st_size));
    size_t done = 0;
    while (done < bytes->size()) {
      const ssize_t n = ::read(fd, bytes->data() + done, bytes->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        status = Status(StatusCode::kIoError, "cannot read " + path);
        break;
      }
      done += static_cast<size_t>(n);
    }
  }
  ::close(fd);
  return status;
}

// Writes `bytes` to a temporary file in `out`'s folder, then renames it over
// `out`: a reader sees the old file or the whole new one, never a part.
Status WriteAtomically(const std::string& out, std::string_view bytes) {
  std::string tmp = FolderFor(out) + "/." + std::string(internal::text::BaseName(out)) + ".sanitize-XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kIoError, "cannot create a file next to " + out + ": " + std::strerror(errno));
  size_t done = 0;
  bool ok = true;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ok = ok && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), out.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status(StatusCode::kIoError, "cannot write " + out + ": " + why);
  }
  return Status();
}

}  // namespace

SanitizeResult SanitizeBytes(const uint8_t* data, size_t size, std::string_view name_hint, const Policy& policy,
                             std::string* output) {
  SanitizeResult result;
  if (output == nullptr || (data == nullptr && size != 0)) {
    result.status = Status(StatusCode::kInvalidArgument, "no bytes or no output given");
    return result;
  }
  output->clear();
  const Judge judge{std::string(name_hint), "", &policy};
  try {
    Run(std::string_view(reinterpret_cast<const char*>(data), size), judge, judge, &result, output);
  } catch (...) {
    result = SanitizeResult();
    result.status = Status(StatusCode::kInternal, "out of memory or unexpected exception");
    output->clear();
  }
  if (!result.written) output->clear();
  return result;
}

SanitizeResult Sanitize(const std::string& in_path, const std::string& out_path, const Policy& policy) {
  SanitizeResult result;
  if (in_path.empty() || out_path.empty()) {
    result.status = Status(StatusCode::kInvalidArgument, "IN and OUT must be named");
    return result;
  }
  std::string input;
  struct stat in_st {};
  result.status = ReadWhole(in_path, policy, &input, &in_st);
  if (!result.status.ok()) return result;
  struct stat out_st {};
  if (::stat(out_path.c_str(), &out_st) == 0) {
    if (out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino) {
      result.status = Status(StatusCode::kInvalidArgument, "OUT is IN: sanitize never overwrites its input");
      return result;
    }
    if (!S_ISREG(out_st.st_mode)) {
      result.status = Status(StatusCode::kInvalidArgument, out_path + ": exists and is not a regular file");
      return result;
    }
  }
  struct stat folder_st {};
  if (::stat(FolderFor(out_path).c_str(), &folder_st) != 0 || !S_ISDIR(folder_st.st_mode)) {
    result.status = Status(StatusCode::kInvalidArgument, "the folder of " + out_path + " does not exist");
    return result;
  }
  std::string output;
  try {
    const Judge first{in_path, FolderFor(in_path), &policy};
    const Judge next{out_path, FolderFor(out_path), &policy};
    Run(input, first, next, &result, &output);
  } catch (...) {
    result = SanitizeResult();
    result.status = Status(StatusCode::kInternal, "out of memory or unexpected exception");
    return result;
  }
  if (result.written) {
    result.status = WriteAtomically(out_path, output);
    if (!result.status.ok()) result.written = false;
  }
  return result;
}

}  // namespace mrmlguard
