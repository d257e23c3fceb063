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

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/extract.h"
#include "mrmlguard/finding.h"
#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
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
    "\n"
    "Judges each .mrml scene or .mrb bundle the way Slicer would read it and prints\n"
    "a report: one line per finding, then a verdict per file.\n"
    "\n"
    "options:\n"
    "  --format text|json|sarif   report format (default text; json: docs/json-schema.md)\n"
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
    "  -q, --quiet                text: print nothing for accepted files, only errors otherwise\n"
    "  -o, --output FILE          write the report to FILE instead of standard output\n"
    "  -h, --help                 show this help\n"
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
    "  -q, --quiet                report only errors\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 extracted, 1 rejected (nothing extracted), 2 usage error or unreadable\n";

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

// Options shared by validate and extract.
struct JudgeOptions {
  mrmlguard::Profile profile = mrmlguard::Profile::kDefault;
  std::vector<std::pair<std::string, std::string>> limits;  // in order given
  std::vector<mrmlguard::SeverityOverride> overrides;
  bool deep = false;
  bool quiet = false;
};

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
    return std::string();
  }
  if (args->TakeOption("--limit", "", true, &value, &missing)) {
    if (missing) return "option '--limit' needs NAME=VALUE";
    const size_t eq = value.find('=');
    if (eq == std::string::npos) return "option '--limit' needs NAME=VALUE, got '" + ForTerminal(value) + "'";
    const std::string name = value.substr(0, eq);
    const std::string number = value.substr(eq + 1);
    mrmlguard::Limits probe;
    uint64_t unused = 0;
    if (!probe.Get(name, &unused)) {
      return "unknown limit '" + ForTerminal(name) + "' (see 'mrmlguard limits')";
    }
    if (!probe.Set(name, number)) {
      return "bad value '" + ForTerminal(number) + "' for limit " + name +
             ": expected a whole number, optionally ending in K, M or G";
    }
    options->limits.emplace_back(name, number);
    return std::string();
  }
  if (args->TakeOption("--severity", "", true, &value, &missing)) {
    if (missing) return "option '--severity' needs RULE=LEVEL";
    const size_t eq = value.find('=');
    if (eq == std::string::npos) return "option '--severity' needs RULE=LEVEL, got '" + ForTerminal(value) + "'";
    const std::string rule = value.substr(0, eq);
    const std::string level = value.substr(eq + 1);
    const mrmlguard::RuleInfo* info = mrmlguard::FindRule(rule);
    if (info == nullptr) return "unknown rule '" + ForTerminal(rule) + "' (see 'mrmlguard rules')";
    std::optional<mrmlguard::Severity> severity = mrmlguard::ParseSeverity(level);
    if (!severity) {
      return "unknown severity '" + ForTerminal(level) + "' for " + rule + ": expected off, note, warning or error";
    }
    options->overrides.push_back({std::string(info->id), *severity});
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

int ExitCodeFor(std::span<const mrmlguard::Report> reports) {
  int code = kExitAccepted;
  for (const mrmlguard::Report& r : reports) {
    if (!r.status.ok()) return kExitError;
    if (!r.accepted()) code = kExitRejected;
  }
  return code;
}

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

int Validate(std::span<char* const> argv) {
  constexpr std::string_view kCommand = "validate";
  JudgeOptions options;
  std::string format = "text";
  std::optional<std::string> output;
  std::vector<std::string> files;

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
      if (missing) return Usage(kCommand, "option '--format' needs a value: text, json or sarif");
      if (value != "text" && value != "json" && value != "sarif") {
        return Usage(kCommand, "unknown format '" + ForTerminal(value) + "': expected text, json or sarif");
      }
      format = value;
      continue;
    }
    if (args.TakeOption("--output", "-o", true, &value, &missing)) {
      if (missing || value.empty()) return Usage(kCommand, "option '--output' needs a file name");
      output = value;
      continue;
    }
    return Usage(kCommand, "unknown option '" + ForTerminal(args.current()) + "'");
  }
  if (files.empty()) return Usage(kCommand, "no file given");

  const mrmlguard::Policy policy = MakePolicy(options);
  std::vector<mrmlguard::Report> reports;
  reports.reserve(files.size());
  for (const std::string& file : files) reports.push_back(mrmlguard::Validate(file, policy));

  std::string text;
  if (format == "json") {
    text = mrmlguard::FormatJson(reports);
  } else if (format == "sarif") {
    text = mrmlguard::FormatSarif(reports);
  } else {
    for (const mrmlguard::Report& r : reports) text += mrmlguard::FormatText(r, options.quiet);
  }

  if (output) {
    // O_NOFOLLOW|O_EXCL would refuse legitimate re-runs; a plain create and
    // truncate is what a user asking for --output expects.
    const int fd = ::open(output->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      Err("mrmlguard validate: cannot write " + ForTerminal(*output) + ": " + std::strerror(errno) + "\n");
      return kExitError;
    }
    const bool written = WriteAll(fd, text);
    const int saved_errno = errno;
    if (::close(fd) != 0 || !written) {
      Err("mrmlguard validate: cannot write " + ForTerminal(*output) + ": " +
          std::strerror(written ? errno : saved_errno) + "\n");
      return kExitError;
    }
  } else if (!WriteAll(STDOUT_FILENO, text)) {
    Err(std::string("mrmlguard validate: cannot write the report: ") + std::strerror(errno) + "\n");
    return kExitError;
  }
  return ExitCodeFor(reports);
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

  const mrmlguard::ExtractResult result = mrmlguard::Extract(operands[0], operands[1], MakePolicy(options));
  const mrmlguard::Report& report = result.report;
  Err(mrmlguard::FormatText(report, options.quiet));
  if (report.accepted()) {
    if (!WriteAll(STDOUT_FILENO, ForTerminal(result.main_scene_path) + "\n")) return kExitError;
    return kExitAccepted;
  }
  return report.status.ok() ? kExitRejected : kExitError;
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
