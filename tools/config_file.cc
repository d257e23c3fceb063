// SPDX-License-Identifier: BSD-3-Clause
#include "config_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

namespace mrmlguard::cli {
namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;  // a policy file is small; refuse anything else

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Parses a basic string starting at s[0] == '"'; sets `end` past the quote.
bool ParseString(std::string_view s, std::string* out, size_t* end) {
  out->clear();
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      *end = i + 1;
      return true;
    }
    if (c == '\\') {
      if (i + 1 >= s.size() || (s[i + 1] != '"' && s[i + 1] != '\\')) return false;
      out->push_back(s[++i]);
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) return false;
    out->push_back(c);
  }
  return false;
}

// A key: bare parts joined by dots (TOML dotted keys, flattened), or one
// quoted string. Sets `end` past it.
bool ParseKey(std::string_view s, std::string* key, size_t* end) {
  if (!s.empty() && s[0] == '"') return ParseString(s, key, end);
  key->clear();
  size_t i = 0;
  for (;;) {
    const size_t start = i;
    while (i < s.size() && IsBareKeyChar(s[i])) key->push_back(s[i++]);
    if (i == start) return false;
    size_t j = i;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
    if (j < s.size() && s[j] == '.') {
      key->push_back('.');
      i = j + 1;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      continue;
    }
    *end = i;
    return true;
  }
}

}  // namespace

std::optional<std::string> FindConfigFile() {
  std::string dir;
  {
    std::vector<char> buffer(4096);
    while (::getcwd(buffer.data(), buffer.size()) == nullptr) {
      if (errno != ERANGE || buffer.size() > (1u << 20)) return std::nullopt;
      buffer.resize(buffer.size() * 2);
    }
    dir = buffer.data();
  }
  for (;;) {
    const std::string candidate = (dir == "/" ? std::string() : dir) + "/" + kConfigFileName;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return candidate;
    if (dir == "/" || dir.empty()) return std::nullopt;
    const size_t slash = dir.find_last_of('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

bool ReadConfigFile(const std::string& path, ConfigFile* config, std::string* error) {
  config->path = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.size() > kMaxConfigBytes) {
    *error = path + ": larger than 1 MiB; not a configuration file";
    return false;
  }
  std::string table;  // "" (top level), "limits" or "severity"
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line = Trim(std::string_view(text).substr(pos, eol - pos));
    pos = eol + 1;
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      const size_t close = line.find(']');
      std::string_view rest = close == std::string_view::npos ? "" : Trim(line.substr(close + 1));
      if (close == std::string_view::npos || (!rest.empty() && rest[0] != '#')) {
        *error = where + "a table header is [limits] or [severity]";
        return false;
      }
      table = std::string(Trim(line.substr(1, close - 1)));
      if (table != "limits" && table != "severity") {
        *error = where + "unknown table [" + table + "]: expected [limits] or [severity]";
        return false;
      }
      continue;
    }
    std::string key;
    size_t end = 0;
    if (!ParseKey(line, &key, &end)) {
      *error = where + "expected KEY = VALUE";
      return false;
    }
    std::string_view rest = Trim(line.substr(end));
    if (rest.empty() || rest[0] != '=') {
      *error = where + "expected '=' after " + key;
      return false;
    }
    rest = Trim(rest.substr(1));
    std::string value;
    if (!rest.empty() && rest[0] == '"') {
      if (!ParseString(rest, &value, &end)) {
        *error = where + "a string value is \"...\" on one line";
        return false;
      }
      rest = Trim(rest.substr(end));
    } else {
      size_t i = 0;
      while (i < rest.size() && ((rest[i] >= '0' && rest[i] <= '9') || rest[i] == '_')) {
        if (rest[i] != '_') value.push_back(rest[i]);
        ++i;
      }
      if (value.empty()) {
        *error = where + "a value is a \"string\" or a whole number";
        return false;
      }
      rest = Trim(rest.substr(i));
    }
    if (!rest.empty() && rest[0] != '#') {
      *error = where + "unexpected text after the value";
      return false;
    }
    if (table.empty()) {
      if (key != "profile") {
        *error = where + "unknown key '" + key + "': the top level holds profile; limits and severities go in [limits] and [severity]";
        return false;
      }
      config->profile = value;
    } else if (table == "limits") {
      config->limits.emplace_back(key, value);
    } else {
      config->severities.emplace_back(key, value);
    }
  }
  return true;
}

}  // namespace mrmlguard::cli
