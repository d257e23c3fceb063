// SPDX-License-Identifier: BSD-3-Clause
// File: config_file.h
//
// The optional configuration file of the command: a small TOML file holding
// the policy a pipeline would otherwise repeat on every command line.
//
//   # .mrmlguard.toml
//   profile = "strict"
//   [limits]
//   max_input_bytes = "512M"    # or a plain integer: 536870912
//   [severity]
//   "mrml.tag.unknown" = "note" # a bare mrml.tag.unknown = "note" means the same
//
// Read are: comments, blank lines, the tables [limits] and [severity], and
// `key = value` lines whose value is a "string" (basic string, no escapes but
// \" and \\) or a whole number. Anything else is an error with its line number:
// a policy file that is half understood must not be half applied.

#ifndef MRMLGUARD_TOOLS_CONFIG_FILE_H_
#define MRMLGUARD_TOOLS_CONFIG_FILE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mrmlguard::cli {

struct ConfigFile {
  std::string path;
  std::optional<std::string> profile;
  std::vector<std::pair<std::string, std::string>> limits;      // name, value text
  std::vector<std::pair<std::string, std::string>> severities;  // rule id, level
};

// The name looked for: ".mrmlguard.toml".
inline constexpr char kConfigFileName[] = ".mrmlguard.toml";

// Looks for kConfigFileName in the working directory, then in each parent up
// to the root; the nearest wins. Returns its path, or nullopt.
std::optional<std::string> FindConfigFile();

// Reads and parses `path`; on failure returns false with `error` set to
// "PATH:LINE: what is wrong" (or "PATH: reason" when it cannot be read).
// Names and levels are not checked here (the caller checks them as it does
// command-line values).
bool ReadConfigFile(const std::string& path, ConfigFile* config, std::string* error);

}  // namespace mrmlguard::cli

#endif  // MRMLGUARD_TOOLS_CONFIG_FILE_H_
