// SPDX-License-Identifier: BSD-3-Clause
// mrmlguard: the command line face of the library.
//
//   mrmlguard validate [options] FILE...    judge scenes and bundles
//   mrmlguard extract [options] BUNDLE DEST  validate and extract safely
//   mrmlguard rules | limits                 print the rule and limit tables
//
// Exit codes (docs/cli.md): 0 every file accepted, 1 a file rejected,
// 2 a usage error or a file that could not be read (2 wins over 1).
// Reports go to stdout (or --output), usage errors and diagnostics to stderr.
// Nothing escapes main: an exception is an internal error, exit 2.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "batch_input.h"
#include "config_file.h"
#include "mrmlguard/extract.h"
#include "mrmlguard/finding.h"
#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "mrmlguard/sanitize.h"
#include "mrmlguard/validate.h"
#include "mrmlguard/version.h"
#include "report/escape.h"

#if defined(MRMLGUARD_WITH_ITK)
#include "data/itk_reference.h"
#endif

namespace {

using mrmlguard::internal::ForTerminal;

constexpr int kExitAccepted = 0;
constexpr int kExitRejected = 1;
constexpr int kExitError = 2;  // usage error, unreadable file, internal error

constexpr char kMainHelp[] =
    "usage: mrmlguard <command> [options] [arguments]\n"
    "\n"
    "Inspects 3D Slicer scene files (.mrml) and bundles (.mrb) and rejects crafted\n"
    "ones before Slicer opens them.\n"
    "\n"
    "commands:\n"
    "  validate FILE...      judge each file; print a report\n"
    "  extract BUNDLE DEST   validate a bundle and extract it safely into DEST\n"
    "  sanitize IN OUT       write a copy of IN with every error neutralised, or refuse\n"
    "  rules                 list every rule with its severity in each profile\n"
    "  limits                list every limit with its default and strict value\n"
    "  help [COMMAND]        show help (also: mrmlguard COMMAND --help)\n"
    "\n"
    "options:\n"
    "  -h, --help            show this help\n"
    "  --version             print the version\n"
    "\n"
    "exit status: 0 all files accepted, 1 a file rejected,\n"
    "             2 usage error or a file that cannot be read\n";

constexpr char kValidateHelp[] =
    "usage: mrmlguard validate [options] FILE...\n"
    "       mrmlguard validate [options] -r DIR... | --files-from LIST\n"
    "       mrmlguard validate [options] -r DIR... | --files-from LIST\n"
    "\n"
    "Judges each .mrml scene or .mrb bundle the way Slicer would read it and prints\n"
    "a report: one line per finding, then a verdict per file.\n"
    "\n"
    "options:\n"
    "  --format text|json|jsonl|sarif\n"
    "                             report format (default text; json: docs/json-schema.md;\n"
    "                             jsonl: one line per file, the objects of json's \"files\")\n"
    "  --profile default|strict   how strictly to judge (strict turns most warnings into errors)\n"
    "  --limit NAME=VALUE         change one limit; VALUE may end in K, M or G (powers of 1024);\n"
    "                             repeatable; see 'mrmlguard limits'\n"
    "  --severity RULE=LEVEL      report RULE at LEVEL: off, note, warning or error;\n"
    "                             repeatable, the last one wins; see 'mrmlguard rules'\n"
    "  --deep                     also read every image header mrmlguard accepted with ITK\n"
    "                             (NRRD, MetaImage, NIfTI); a refusal or another reading is\n"
    "                             data.itk-disagrees. Bundle entries are written to a private\n"
    "                             folder under $TMPDIR (or /tmp) for ITK, then removed.\n"
    "                             Needs a build with ITK (-DMRMLGUARD_WITH_ITK=ON)\n"
    "  --config FILE              read profile, limits and severities from FILE (TOML, see\n"
    "                             docs/cli.md); without it the nearest .mrmlguard.toml from\n"
    "                             the working directory up is read. The command line wins\n"
    "  --no-config                read no configuration file\n"
    "  -r, --recursive            judge the .mrml and .mrb files under each directory operand\n"
    "                             (names in byte order; links to directories not followed)\n"
    "  --files-from FILE          also judge the files named in FILE, one per line\n"
    "                             ('-': standard input)\n"
    "  -0, --null                 names in the --files-from list end with NUL, not newline\n"
    "  -j, --jobs N               judge N files at once (0: one per CPU); output stays in\n"
    "                             input order\n"
    "  --summary, --no-summary    text: end with a line counting the files accepted, rejected\n"
    "                             and unreadable (default: on when more than one file)\n"
    "  --max-results N            sarif: at most N results in the run (default 25000, GitHub's\n"
    "                             limit; 0: no cap); a notification says how many were left out\n"
    "  -q, --quiet                text: print nothing for accepted files, only errors otherwise\n"
    "  -o, --output FILE          write the report to FILE instead of standard output ('-': it)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Each file's report is written as soon as it is judged (json and sarif: as\n"
    "parts of one document), so memory stays bounded by the files being judged.\n"
    "\n"
    "exit status: 0 every file accepted, 1 a file rejected,\n"
    "             2 usage error or a file that cannot be read (it is still in the report)\n";

constexpr char kExtractHelp[] =
    "usage: mrmlguard extract [options] BUNDLE DEST\n"
    "\n"
    "Validates BUNDLE and, only when it is accepted, extracts exactly the bytes that\n"
    "were checked into DEST (which must not exist, or be an empty directory), then\n"
    "prints the path of the main scene. The report goes to standard error. When the\n"
    "bundle is rejected nothing is left in DEST.\n"
    "\n"
    "options:\n"
    "  --profile default|strict   how strictly to judge\n"
    "  --limit NAME=VALUE         change one limit (repeatable)\n"
    "  --severity RULE=LEVEL      change one rule's severity (repeatable)\n"
    "  --deep                     also read every accepted image header with ITK\n"
    "                             (see 'mrmlguard validate --help')\n"
    "  --config FILE, --no-config as for validate (a .mrmlguard.toml is read by default)\n"
    "  --config FILE, --no-config as for validate (the nearest .mrmlguard.toml is read)\n"
    "  -q, --quiet                report only errors\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 extracted, 1 rejected (nothing extracted), 2 usage error or unreadable\n";

constexpr char kSanitizeHelp[] =
    "usage: mrmlguard sanitize [options] IN OUT\n"
    "\n"
    "Judges IN and writes OUT: a copy in which every finding at severity error is\n"
    "neutralised by its rule's action (the sanitize column of 'mrmlguard rules':\n"
    "drop the node, clear a uri, reset readState or persistent, replace a format by\n"
    "Slicer's default, clamp a number, drop a dangling reference ...). Every other\n"
    "byte is copied unchanged. OUT is written only when the rewritten file is\n"
    "accepted; where a rule has no safe rewrite (malformed XML, ZIP structure\n"
    "attacks, traversal) nothing is written. An accepted IN is copied byte for\n"
    "byte. OUT is replaced atomically and is never IN. A bundle is re-packed in\n"
    "one canonical ZIP form from the bytes that were checked. The change report\n"
    "(rule, location, before, after) goes to standard output or --report FILE.\n"
    "\n"
    "options:\n"
    "  --format text|json         change report format (default text; json schema\n"
    "                             \"mrmlguard-sanitize\", docs/cli.md)\n"
    "  --report FILE              write the change report to FILE ('-': standard output)\n"
    "  --profile default|strict   which findings are errors to neutralise (strict: also\n"
    "                             most warnings), and what OUT must pass\n"
    "  --limit NAME=VALUE         change one limit (repeatable)\n"
    "  --severity RULE=LEVEL      change one rule's severity (repeatable)\n"
    "  --config FILE, --no-config as for validate (the nearest .mrmlguard.toml is read)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 OUT written, 1 refused (nothing written), 2 usage error or I/O error\n";

constexpr char kRulesHelp[] =
    "usage: mrmlguard rules [--format text|markdown|json]\n"
    "\n"
    "Lists every rule: its id, its severity in the default and strict profiles, and\n"
    "what it reports. docs/rules.md is the markdown output.\n";

constexpr char kLimitsHelp[] =
    "usage: mrmlguard limits [--format text|markdown|json]\n"
    "\n"
    "Lists every limit with its default and strict value. Each is an inclusive\n"
    "maximum; change one with --limit NAME=VALUE. docs/limits.md is the markdown output.\n";

// Writes all of `text` to `fd`; false on any error (errno set).
bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void Err(std::string_view text) { (void)WriteAll(STDERR_FILENO, text); }

// A usage error: says what is wrong and where to look, returns exit code 2.
int Usage(std::string_view command, std::string_view message) {
  std::string text = "mrmlguard";
  if (!command.empty()) text += ' ' + std::string(command);
  text += ": " + std::string(message) + "\n";
  text += "Try 'mrmlguard " + std::string(command) + (command.empty() ? "" : " ") + "--help'.\n";
  Err(text);
  return kExitError;
}

// Walks argv, separating options from operands. Accepts "--name value" and
// "--name=value"; "--" ends the options.
class ArgCursor {
 public:
  explicit ArgCursor(std::span<char* const> args) : args_(args) {}

  bool done() const { return index_ >= args_.size(); }
  // The current argument, and whether it is an option (begins with '-' and is
  // not "-" alone, before any "--").
  std::string_view current() const { return args_[index_]; }
  bool at_option() const { return !only_operands_ && current().size() > 1 && current()[0] == '-'; }

  // Consumes "--" and returns true when the current argument is it.
  bool TakeDoubleDash() {
    if (only_operands_ || current() != "--") return false;
    only_operands_ = true;
    ++index_;
    return true;
  }
  std::string_view TakeOperand() { return args_[index_++]; }

  // When the current argument is `long_name` (or `short_name`), consumes it
  // and returns true. A value is taken from "=value" or the next argument;
  // `missing_value` is set when it has none.
  bool TakeOption(std::string_view long_name, std::string_view short_name, bool takes_value,
                  std::string* value, bool* missing_value) {
    std::string_view arg = current();
    std::optional<std::string_view> inline_value;
    if (takes_value && arg.starts_with(long_name) && arg.size() > long_name.size() && arg[long_name.size()] == '=') {
      inline_value = arg.substr(long_name.size() + 1);
    } else if (arg != long_name && (short_name.empty() || arg != short_name)) {
      return false;
    }
    ++index_;
    if (!takes_value) return true;
    if (inline_value) {
      *value = std::string(*inline_value);
    } else if (index_ < args_.size()) {
      *value = args_[index_++];
    } else {
      *missing_value = true;
    }
    return true;
  }

 private:
  std::span<char* const> args_;
  size_t index_ = 0;
  bool only_operands_ = false;
};

// "" when NAME=VALUE is a valid --limit, else what is wrong.
std::string CheckLimit(const std::string& name, const std::string& number) {
  mrmlguard::Limits probe;
  uint64_t unused = 0;
  if (!probe.Get(name, &unused)) return "unknown limit '" + ForTerminal(name) + "' (see 'mrmlguard limits')";
  if (!probe.Set(name, number)) {
    return "bad value '" + ForTerminal(number) + "' for limit " + name +
           ": expected a whole number, optionally ending in K, M or G";
  }
  return std::string();
}

// "" when RULE=LEVEL is a valid --severity (and `out` is set), else what is wrong.
std::string CheckSeverity(const std::string& rule, const std::string& level, mrmlguard::SeverityOverride* out) {
  const mrmlguard::RuleInfo* info = mrmlguard::FindRule(rule);
  if (info == nullptr) return "unknown rule '" + ForTerminal(rule) + "' (see 'mrmlguard rules')";
  std::optional<mrmlguard::Severity> severity = mrmlguard::ParseSeverity(level);
  if (!severity) {
    return "unknown severity '" + ForTerminal(level) + "' for " + rule + ": expected off, note, warning or error";
  }
  *out = {std::string(info->id), *severity};
  return std::string();
}

// Options shared by validate and extract.
struct JudgeOptions {
  mrmlguard::Profile profile = mrmlguard::Profile::kDefault;
  std::vector<std::pair<std::string, std::string>> limits;  // in order given
  std::vector<mrmlguard::SeverityOverride> overrides;
  bool deep = false;
  bool quiet = false;
  bool profile_given = false;               // --profile on the command line
  std::optional<std::string> config_path;   // --config FILE
  bool no_config = false;                   // --no-config
};

// Reads the configuration file (--config FILE, else the nearest
// .mrmlguard.toml from the working directory up) and puts its policy under
// the command line's: its profile unless --profile was given, its limits and
// severities before those of the command line, so the command line wins.
// Returns "" or a usage message.
std::string ApplyConfig(JudgeOptions* options) {
  if (options->no_config && !options->config_path) return std::string();
  std::optional<std::string> path = options->config_path;
  if (!path) path = mrmlguard::cli::FindConfigFile();
  if (!path) return std::string();
  mrmlguard::cli::ConfigFile config;
  std::string error;
  if (!mrmlguard::cli::ReadConfigFile(*path, &config, &error)) return ForTerminal(error);
  const std::string where = ForTerminal(*path) + ": ";
  if (config.profile && !options->profile_given) {
    std::optional<mrmlguard::Profile> profile = mrmlguard::ParseProfile(*config.profile);
    if (!profile) return where + "unknown profile '" + ForTerminal(*config.profile) + "': expected default or strict";
    options->profile = *profile;
  }
  std::vector<std::pair<std::string, std::string>> limits;
  for (const auto& [name, value] : config.limits) {
    if (std::string e = CheckLimit(name, value); !e.empty()) return where + e;
    limits.emplace_back(name, value);
  }
  options->limits.insert(options->limits.begin(), limits.begin(), limits.end());
  std::vector<mrmlguard::SeverityOverride> overrides;
  for (const auto& [rule, level] : config.severities) {
    mrmlguard::SeverityOverride override_;
    if (std::string e = CheckSeverity(rule, level, &override_); !e.empty()) return where + e;
    overrides.push_back(override_);
  }
  options->overrides.insert(options->overrides.begin(), overrides.begin(), overrides.end());
  return std::string();
}

// Tries to consume one judge option at the cursor. Returns nullopt when the
// argument is not one, else the empty string on success or a usage message.
std::optional<std::string> TakeJudgeOption(ArgCursor* args, JudgeOptions* options) {
  std::string value;
  bool missing = false;
  if (args->TakeOption("--quiet", "-q", false, &value, &missing)) {
    options->quiet = true;
    return std::string();
  }
  if (args->TakeOption("--deep", "", false, &value, &missing)) {
    // Refused here rather than per file: a run without the check it asked
    // for must not look like one that passed it.
    if (!mrmlguard::DeepModeAvailable()) {
      return "option '--deep' needs ITK, and this mrmlguard was built without ITK "
             "(configure with -DMRMLGUARD_WITH_ITK=ON)";
    }
    options->deep = true;
    return std::string();
  }
  if (args->TakeOption("--profile", "", true, &value, &missing)) {
    if (missing) return "option '--profile' needs a value: default or strict";
    std::optional<mrmlguard::Profile> profile = mrmlguard::ParseProfile(value);
    if (!profile) return "unknown profile '" + ForTerminal(value) + "': expected default or strict";
    options->profile = *profile;
    options->profile_given = true;
    return std::string();
  }
  if (args->TakeOption("--limit", "", true, &value, &missing)) {
    if (missing) return "option '--limit' needs NAME=VALUE";
    const size_t eq = value.find('=');
    if (eq == std::string::npos) return "option '--limit' needs NAME=VALUE, got '" + ForTerminal(value) + "'";
    const std::string name = value.substr(0, eq);
    const std::string number = value.substr(eq + 1);
    if (std::string error = CheckLimit(name, number); !error.empty()) return error;
    options->limits.emplace_back(name, number);
    return std::string();
  }
  if (args->TakeOption("--severity", "", true, &value, &missing)) {
    if (missing) return "option '--severity' needs RULE=LEVEL";
    const size_t eq = value.find('=');
    if (eq == std::string::npos) return "option '--severity' needs RULE=LEVEL, got '" + ForTerminal(value) + "'";
    mrmlguard::SeverityOverride override_;
    if (std::string error = CheckSeverity(value.substr(0, eq), value.substr(eq + 1), &override_); !error.empty()) {
      return error;
    }
    options->overrides.push_back(override_);
    return std::string();
  }
  if (args->TakeOption("--config", "", true, &value, &missing)) {
    if (missing || value.empty()) return "option '--config' needs a file name";
    options->config_path = value;
    return std::string();
  }
  if (args->TakeOption("--no-config", "", false, &value, &missing)) {
    options->no_config = true;
    return std::string();
  }
  return std::nullopt;
}

// The policy the options describe: the profile first, then every --limit and
// --severity on top of it, whatever order they were given in.
mrmlguard::Policy MakePolicy(const JudgeOptions& options) {
  mrmlguard::Policy policy =
      options.profile == mrmlguard::Profile::kStrict ? mrmlguard::Policy::Strict() : mrmlguard::Policy::Default();
  for (const auto& [name, value] : options.limits) (void)policy.limits.Set(name, value);
  policy.overrides = options.overrides;
  policy.deep = options.deep;
  return policy;
}

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

// Parses a whole number option value within [lo, hi].
std::optional<uint64_t> ParseCount(std::string_view text, uint64_t lo, uint64_t hi) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

// Judges the files of `input` on `jobs` threads and hands each report to
// `emit` in input order, as soon as it and all before it are done. At most
// 2 x jobs reports are held at once, so memory stays bounded by a few files
// however many the batch has. Returns false when `emit` failed (judging stops).
bool JudgeAll(mrmlguard::cli::BatchInput* input, const mrmlguard::Policy& policy, unsigned jobs,
              const std::function<bool(const mrmlguard::Report&)>& emit) {
  auto judge = [&policy](const mrmlguard::cli::BatchItem& item) {
    if (!item.error) return mrmlguard::Validate(item.path, policy);
    mrmlguard::Report report;
    report.path = item.path;
    report.status = mrmlguard::Status(mrmlguard::StatusCode::kIoError, *item.error);
    return report;
  };
  mrmlguard::cli::BatchItem item;
  if (jobs <= 1) {
    while (input->Next(&item)) {
      if (!emit(judge(item))) return false;
    }
    return true;
  }

  struct Job {
    mrmlguard::cli::BatchItem item;
    mrmlguard::Report report;
    bool done = false;
  };
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable job_done;
  std::deque<std::shared_ptr<Job>> todo;    // not yet taken by a worker
  std::deque<std::shared_ptr<Job>> window;  // every job not yet emitted, in input order
  bool closing = false;

  std::vector<std::thread> workers;
  workers.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) {
    workers.emplace_back([&] {
      std::unique_lock lock(mutex);
      for (;;) {
        work_ready.wait(lock, [&] { return closing || !todo.empty(); });
        if (todo.empty()) return;
        std::shared_ptr<Job> job = todo.front();
        todo.pop_front();
        lock.unlock();
        mrmlguard::Report report;
        // An exception must not escape a thread (std::terminate): the file is
        // reported as an internal error instead, which exits 2.
        try {
          report = judge(job->item);
        } catch (const std::exception& e) {
          report.path = job->item.path;
          report.status = mrmlguard::Status(mrmlguard::StatusCode::kInternal, e.what());
        } catch (...) {
          report.path = job->item.path;
          report.status = mrmlguard::Status(mrmlguard::StatusCode::kInternal, "unknown exception");
        }
        lock.lock();
        job->report = std::move(report);
        job->done = true;
        job_done.notify_all();
      }
    });
  }

  bool ok = true;
  // Emits finished jobs from the front of the window; waits for the front
  // one while the window holds at least `keep` jobs.
  auto drain = [&](size_t keep) {
    std::unique_lock lock(mutex);
    while (ok && !window.empty()) {
      if (!window.front()->done) {
        if (window.size() < keep) return;
        job_done.wait(lock, [&] { return window.front()->done; });
      }
      std::shared_ptr<Job> job = window.front();
      window.pop_front();
      lock.unlock();
      ok = emit(job->report);
      lock.lock();
    }
  };
  const size_t max_window = static_cast<size_t>(jobs) * 2;
  while (ok && input->Next(&item)) {
    auto job = std::make_shared<Job>();
    job->item = std::move(item);
    {
      std::lock_guard lock(mutex);
      window.push_back(job);
      todo.push_back(job);
    }
    work_ready.notify_one();
    drain(max_window);
  }
  if (!ok) {
    std::lock_guard lock(mutex);
    todo.clear();  // nothing more will be written: do not judge the rest
  }
  drain(1);
  {
    std::lock_guard lock(mutex);
    closing = true;
  }
  work_ready.notify_all();
  for (std::thread& worker : workers) worker.join();
  return ok;
}

int Validate(std::span<char* const> argv) {
  constexpr std::string_view kCommand = "validate";
  JudgeOptions options;
  std::string format = "text";
  std::optional<std::string> output;
  std::vector<std::string> files;
  bool recursive = false;
  std::optional<std::string> files_from;
  bool null_separated = false;
  unsigned jobs = 1;
  std::optional<bool> summary;
  uint64_t max_results = 25000;

  ArgCursor args(argv);
  while (!args.done()) {
    if (args.TakeDoubleDash()) continue;
    if (!args.at_option()) {
      files.emplace_back(args.TakeOperand());
      continue;
    }
    if (IsHelp(args.current())) {
      return WriteAll(STDOUT_FILENO, kValidateHelp) ? kExitAccepted : kExitError;
    }
    if (std::optional<std::string> error = TakeJudgeOption(&args, &options)) {
      if (!error->empty()) return Usage(kCommand, *error);
      continue;
    }
    std::string value;
    bool missing = false;
    if (args.TakeOption("--format", "", true, &value, &missing)) {
      if (missing) return Usage(kCommand, "option '--format' needs a value: text, json, jsonl or sarif");
      if (value != "text" && value != "json" && value != "jsonl" && value != "sarif") {
        return Usage(kCommand, "unknown format '" + ForTerminal(value) + "': expected text, json, jsonl or sarif");
      }
      format = value;
      continue;
    }
    if (args.TakeOption("--output", "-o", true, &value, &missing)) {
      if (missing || value.empty()) return Usage(kCommand, "option '--output' needs a file name");
      output = value;
      continue;
    }
    if (args.TakeOption("--recursive", "-r", false, &value, &missing)) {
      recursive = true;
      continue;
    }
    if (args.TakeOption("--files-from", "", true, &value, &missing)) {
      if (missing || value.empty()) return Usage(kCommand, "option '--files-from' needs a file name, or - for standard input");
      if (files_from) return Usage(kCommand, "option '--files-from' given twice");
      files_from = value;
      continue;
    }
    if (args.TakeOption("--null", "-0", false, &value, &missing)) {
      null_separated = true;
      continue;
    }
    if (args.TakeOption("--jobs", "-j", true, &value, &missing)) {
      const std::optional<uint64_t> n = missing ? std::nullopt : ParseCount(value, 0, 256);
      if (!n) return Usage(kCommand, "option '--jobs' needs a whole number from 0 (one per CPU) to 256");
      jobs = *n == 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(*n);
      continue;
    }
    if (args.TakeOption("--summary", "", false, &value, &missing)) {
      summary = true;
      continue;
    }
    if (args.TakeOption("--no-summary", "", false, &value, &missing)) {
      summary = false;
      continue;
    }
    if (args.TakeOption("--max-results", "", true, &value, &missing)) {
      const std::optional<uint64_t> n = missing ? std::nullopt : ParseCount(value, 0, 1000000000);
      if (!n) return Usage(kCommand, "option '--max-results' needs a whole number (0: no cap)");
      max_results = *n;
      continue;
    }
    return Usage(kCommand, "unknown option '" + ForTerminal(args.current()) + "'");
  }
  if (files.empty() && !files_from) return Usage(kCommand, "no file given");
  if (std::string error = ApplyConfig(&options); !error.empty()) return Usage(kCommand, error);
  if (null_separated && !files_from) return Usage(kCommand, "option '--null' needs --files-from");
  if (files_from && *files_from == "-" && std::find(files.begin(), files.end(), "-") != files.end()) {
    return Usage(kCommand, "standard input cannot be both a file and the file list");
  }

  // The report goes out as each file is judged: open the destination first.
  int fd = STDOUT_FILENO;
  const bool to_file = output && *output != "-";
  if (to_file) {
    // O_NOFOLLOW|O_EXCL would refuse legitimate re-runs; a plain create and
    // truncate is what a user asking for --output expects.
    fd = ::open(output->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      Err("mrmlguard validate: cannot write " + ForTerminal(*output) + ": " + std::strerror(errno) + "\n");
      return kExitError;
    }
  }
  const std::string destination = to_file ? ForTerminal(*output) : std::string("the report");

  mrmlguard::StreamOptions stream_options;
  stream_options.format = format == "json"    ? mrmlguard::ReportFormat::kJson
                          : format == "jsonl" ? mrmlguard::ReportFormat::kJsonLines
                          : format == "sarif" ? mrmlguard::ReportFormat::kSarif
                                              : mrmlguard::ReportFormat::kText;
  stream_options.quiet = options.quiet;
  // A batch (several files, a walk or a list) ends with a summary line.
  stream_options.summary = summary.value_or(files.size() > 1 || recursive || files_from.has_value());
  stream_options.max_results = max_results;
  mrmlguard::ReportStream stream(stream_options);

  bool write_failed = false;
  int write_errno = 0;
  auto write = [&](std::string_view text) {
    if (write_failed || text.empty()) return !write_failed;
    if (!WriteAll(fd, text)) {
      write_failed = true;
      write_errno = errno;
    }
    return !write_failed;
  };

  int code = kExitAccepted;
  const mrmlguard::Policy policy = MakePolicy(options);
  mrmlguard::cli::BatchInput input(std::move(files), recursive, files_from, null_separated);
  if (write(stream.Begin())) {
    JudgeAll(&input, policy, jobs, [&](const mrmlguard::Report& report) {
      if (!report.status.ok()) {
        code = kExitError;
      } else if (!report.accepted() && code == kExitAccepted) {
        code = kExitRejected;
      }
      return write(stream.Add(report));
    });
    write(stream.End());
  }
  if (to_file && ::close(fd) != 0 && !write_failed) {
    write_failed = true;
    write_errno = errno;
  }
  if (write_failed) {
    Err("mrmlguard validate: cannot write " + destination + ": " + std::strerror(write_errno) + "\n");
    return kExitError;
  }
  return code;
}

int Extract(std::span<char* const> argv) {
  constexpr std::string_view kCommand = "extract";
  JudgeOptions options;
  std::vector<std::string> operands;
  ArgCursor args(argv);
  while (!args.done()) {
    if (args.TakeDoubleDash()) continue;
    if (!args.at_option()) {
      operands.emplace_back(args.TakeOperand());
      continue;
    }
    if (IsHelp(args.current())) {
      return WriteAll(STDOUT_FILENO, kExtractHelp) ? kExitAccepted : kExitError;
    }
    if (std::optional<std::string> error = TakeJudgeOption(&args, &options)) {
      if (!error->empty()) return Usage(kCommand, *error);
      continue;
    }
    return Usage(kCommand, "unknown option '" + ForTerminal(args.current()) + "'");
  }
  if (operands.size() != 2) {
    return Usage(kCommand, "expected BUNDLE and DEST, got " + std::to_string(operands.size()) + " argument" +
                               (operands.size() == 1 ? "" : "s"));
  }
  if (operands[1].empty()) return Usage(kCommand, "DEST is empty");
  if (std::string error = ApplyConfig(&options); !error.empty()) return Usage(kCommand, error);

  const mrmlguard::ExtractResult result = mrmlguard::Extract(operands[0], operands[1], MakePolicy(options));
  const mrmlguard::Report& report = result.report;
  Err(mrmlguard::FormatText(report, options.quiet));
  if (report.accepted()) {
    if (!WriteAll(STDOUT_FILENO, ForTerminal(result.main_scene_path) + "\n")) return kExitError;
    return kExitAccepted;
  }
  return report.status.ok() ? kExitRejected : kExitError;
}

int Sanitize(std::span<char* const> argv) {
  constexpr std::string_view kCommand = "sanitize";
  JudgeOptions options;
  std::vector<std::string> operands;
  std::string format = "text";
  std::optional<std::string> report_path;
  ArgCursor args(argv);
  while (!args.done()) {
    if (args.TakeDoubleDash()) continue;
    if (!args.at_option()) {
      operands.emplace_back(args.TakeOperand());
      continue;
    }
    if (IsHelp(args.current())) {
      return WriteAll(STDOUT_FILENO, kSanitizeHelp) ? kExitAccepted : kExitError;
    }
    std::string value;
    bool missing = false;
    if (args.TakeOption("--format", "", true, &value, &missing)) {
      if (missing) return Usage(kCommand, "option '--format' needs a value: text or json");
      if (value != "text" && value != "json") {
        return Usage(kCommand, "unknown format '" + ForTerminal(value) + "': expected text or json");
      }
      format = value;
      continue;
    }
    if (args.TakeOption("--report", "", true, &value, &missing)) {
      if (missing || value.empty()) return Usage(kCommand, "option '--report' needs a file name");
      report_path = value;
      continue;
    }
    if (args.current() == std::string_view("--deep")) {
      return Usage(kCommand, "option '--deep' is not available for sanitize");
    }
    if (std::optional<std::string> error = TakeJudgeOption(&args, &options)) {
      if (!error->empty()) return Usage(kCommand, *error);
      continue;
    }
    return Usage(kCommand, "unknown option '" + ForTerminal(args.current()) + "'");
  }
  if (operands.size() != 2) {
    return Usage(kCommand, "expected IN and OUT, got " + std::to_string(operands.size()) + " argument" +
                               (operands.size() == 1 ? "" : "s"));
  }
  if (operands[0].empty() || operands[1].empty()) return Usage(kCommand, "IN and OUT must not be empty");
  if (report_path && (*report_path == operands[0] || *report_path == operands[1])) {
    return Usage(kCommand, "the report file must be neither IN nor OUT");
  }
  if (std::string error = ApplyConfig(&options); !error.empty()) return Usage(kCommand, error);

  const mrmlguard::SanitizeResult result = mrmlguard::Sanitize(operands[0], operands[1], MakePolicy(options));
  const std::string text = format == "json" ? mrmlguard::FormatSanitizeJson(result, operands[0], operands[1])
                                            : mrmlguard::FormatSanitizeText(result, operands[0], operands[1]);
  int fd = STDOUT_FILENO;
  const bool to_file = report_path && *report_path != "-";
  if (to_file) {
    fd = ::open(report_path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      Err("mrmlguard sanitize: cannot write " + ForTerminal(*report_path) + ": " + std::strerror(errno) + "\n");
      return kExitError;
    }
  }
  const bool wrote = WriteAll(fd, text);
  if (to_file && ::close(fd) != 0) return kExitError;
  if (!wrote) return kExitError;
  if (!result.status.ok()) {
    Err("mrmlguard sanitize: " + ForTerminal(result.status.message()) + "\n");
    return kExitError;
  }
  return result.written ? kExitAccepted : kExitRejected;
}

// rules and limits: one optional --format.
int Table(std::string_view command, std::span<char* const> argv, const char* help, std::string (*text)(),
          std::string (*markdown)(), std::string (*json)()) {
  std::string format = "text";
  ArgCursor args(argv);
  while (!args.done()) {
    if (IsHelp(args.current())) return WriteAll(STDOUT_FILENO, help) ? kExitAccepted : kExitError;
    std::string value;
    bool missing = false;
    if (args.TakeOption("--format", "", true, &value, &missing)) {
      if (missing) return Usage(command, "option '--format' needs a value: text, markdown or json");
      if (value != "text" && value != "markdown" && value != "json") {
        return Usage(command, "unknown format '" + ForTerminal(value) + "': expected text, markdown or json");
      }
      format = value;
      continue;
    }
    if (args.at_option()) return Usage(command, "unknown option '" + ForTerminal(args.current()) + "'");
    return Usage(command, "unexpected argument '" + ForTerminal(args.current()) + "'");
  }
  const std::string out = format == "markdown" ? markdown() : format == "json" ? json() : text();
  return WriteAll(STDOUT_FILENO, out) ? kExitAccepted : kExitError;
}

const char* HelpFor(std::string_view command) {
  if (command == "validate") return kValidateHelp;
  if (command == "extract") return kExtractHelp;
  if (command == "sanitize") return kSanitizeHelp;
  if (command == "rules") return kRulesHelp;
  if (command == "limits") return kLimitsHelp;
  return nullptr;
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    Err(kMainHelp);
    return kExitError;
  }
  const std::string_view command = argv[1];
  const std::span<char* const> rest(argv + 2, static_cast<size_t>(argc - 2));
  if (IsHelp(command)) return WriteAll(STDOUT_FILENO, kMainHelp) ? kExitAccepted : kExitError;
  if (command == "--version" || command == "version") {
    const std::string line = std::string("mrmlguard ") + mrmlguard::Version() + "\n";
    return WriteAll(STDOUT_FILENO, line) ? kExitAccepted : kExitError;
  }
  if (command == "help") {
    if (rest.empty()) return WriteAll(STDOUT_FILENO, kMainHelp) ? kExitAccepted : kExitError;
    const char* help = HelpFor(rest[0]);
    if (help == nullptr) return Usage("", "no help for unknown command '" + ForTerminal(rest[0]) + "'");
    return WriteAll(STDOUT_FILENO, help) ? kExitAccepted : kExitError;
  }
  if (command == "validate") return Validate(rest);
  if (command == "extract") return Extract(rest);
  if (command == "sanitize") return Sanitize(rest);
  if (command == "rules") {
    return Table(command, rest, kRulesHelp, mrmlguard::FormatRulesText, mrmlguard::FormatRulesMarkdown,
                 mrmlguard::FormatRulesJson);
  }
  if (command == "limits") {
    return Table(command, rest, kLimitsHelp, mrmlguard::FormatLimitsText, mrmlguard::FormatLimitsMarkdown,
                 mrmlguard::FormatLimitsJson);
  }
  if (!command.empty() && command[0] == '-') return Usage("", "unknown option '" + ForTerminal(command) + "'");
  return Usage("", "unknown command '" + ForTerminal(command) + "'");
}

}  // namespace

int main(int argc, char** argv) {
#if defined(MRMLGUARD_WITH_ITK)
  // Deep mode's ITK readers print warnings on stderr, which only carries
  // usage errors here; findings say what matters.
  mrmlguard::internal::SilenceItkWarnings();
#endif
  // The library never throws; allocation failure in the CLI itself could.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    Err(std::string("mrmlguard: internal error: ") + e.what() + "\n");
  } catch (...) {
    Err("mrmlguard: internal error: unknown exception\n");
  }
  return kExitError;
}
