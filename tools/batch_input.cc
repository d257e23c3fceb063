// SPDX-License-Identifier: BSD-3-Clause
#include "batch_input.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "text/ascii.h"

namespace mrmlguard::cli {
namespace {

using internal::text::EndsWithIgnoreCase;

bool IsSceneName(std::string_view name) {
  return EndsWithIgnoreCase(name, ".mrml") || EndsWithIgnoreCase(name, ".mrb");
}

std::string Join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

BatchInput::BatchInput(std::vector<std::string> operands, bool recursive, std::optional<std::string> files_from,
                       bool null_separated)
    : operands_(std::move(operands)),
      recursive_(recursive),
      files_from_(std::move(files_from)),
      null_separated_(null_separated) {}

BatchInput::~BatchInput() {
  if (list_ != nullptr && list_ != stdin) std::fclose(list_);
}

bool BatchInput::Descend(const std::string& dir, BatchItem* item) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) {
    *item = {dir, std::string("cannot read directory: ") + std::strerror(errno)};
    return true;
  }
  Level level;
  level.dir = dir;
  errno = 0;
  while (const dirent* entry = ::readdir(handle)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") level.names.emplace_back(name);
  }
  const int read_errno = errno;
  ::closedir(handle);
  if (read_errno != 0) {
    *item = {dir, std::string("cannot read directory: ") + std::strerror(read_errno)};
    return true;
  }
  std::sort(level.names.begin(), level.names.end());
  stack_.push_back(std::move(level));
  return false;
}

// An operand or a listed name: a directory is walked when recursive, any
// other path is judged as given (a directory then reads as unreadable).
bool BatchInput::Offer(const std::string& path, BatchItem* item) {
  if (recursive_ && IsDirectory(path)) return Descend(path, item) || NextFromWalk(item);
  *item = {path, std::nullopt};
  return true;
}

bool BatchInput::NextFromWalk(BatchItem* item) {
  while (!stack_.empty()) {
    Level& level = stack_.back();
    if (level.next >= level.names.size()) {
      stack_.pop_back();
      continue;
    }
    const std::string path = Join(level.dir, level.names[level.next++]);
    struct stat link;
    if (::lstat(path.c_str(), &link) != 0) continue;  // vanished since the listing
    if (S_ISDIR(link.st_mode)) {
      if (Descend(path, item)) return true;
      continue;
    }
    if (!IsSceneName(path)) continue;
    if (S_ISLNK(link.st_mode)) {
      // A link to a file is judged (Validate reads what it points to); a
      // link to a directory is not followed, so a walk cannot loop.
      if (IsDirectory(path)) continue;
    }
    *item = {path, std::nullopt};
    return true;
  }
  return false;
}

bool BatchInput::NextListed(std::string* path, std::string* error) {
  if (!list_opened_) {
    list_opened_ = true;
    if (*files_from_ == "-") {
      list_ = stdin;
    } else {
      list_ = std::fopen(files_from_->c_str(), "rb");
      if (list_ == nullptr) {
        *error = std::string("cannot read the file list: ") + std::strerror(errno);
        *path = *files_from_;
        list_done_ = true;
        return true;
      }
    }
  }
  const int separator = null_separated_ ? '\0' : '\n';
  path->clear();
  for (;;) {
    const int c = std::fgetc(list_);
    if (c == EOF) {
      if (std::ferror(list_)) {
        *error = std::string("cannot read the file list: ") + std::strerror(errno);
        *path = *files_from_;
        list_done_ = true;
        return true;
      }
      list_done_ = true;
      return !path->empty();
    }
    if (c == separator) {
      if (!null_separated_ && !path->empty() && path->back() == '\r') path->pop_back();
      if (path->empty()) continue;
      return true;
    }
    path->push_back(static_cast<char>(c));
  }
}

bool BatchInput::Next(BatchItem* item) {
  if (NextFromWalk(item)) return true;
  while (next_operand_ < operands_.size()) {
    if (Offer(operands_[next_operand_++], item)) return true;
  }
  while (files_from_ && !list_done_) {
    std::string path;
    std::string error;
    if (!NextListed(&path, &error)) break;
    if (!error.empty()) {
      *item = {path, error};
      return true;
    }
    if (Offer(path, item)) return true;
  }
  return false;
}

}  // namespace mrmlguard::cli
