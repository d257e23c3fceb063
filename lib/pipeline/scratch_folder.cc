// SPDX-License-Identifier: BSD-3-Clause
// Deep mode's private temporary folder (see scratch_folder.h).

#include "pipeline/scratch_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace mrmlguard::internal {
namespace {

std::string Errno(std::string_view what) { return std::string(what) + ": " + std::strerror(errno); }

// Splits an entry name into its components; empty when one of them could
// reach outside the folder or is not a plain name.
std::vector<std::string_view> Components(std::string_view name) {
  std::vector<std::string_view> parts;
  if (name.empty() || name.front() == '/' || name.find('\0') != std::string_view::npos) return {};
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return {};
    parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

}  // namespace

ScratchFolder::~ScratchFolder() {
  if (root_fd_ < 0) return;
  for (auto it = made_files_.rbegin(); it != made_files_.rend(); ++it) (void)::unlinkat(root_fd_, it->c_str(), 0);
  for (auto it = made_folders_.rbegin(); it != made_folders_.rend(); ++it) {
    (void)::unlinkat(root_fd_, it->c_str(), AT_REMOVEDIR);
  }
  ::close(root_fd_);
  (void)::rmdir(root_.c_str());
}

bool ScratchFolder::Create(std::string* error) {
  if (root_fd_ >= 0) {
    *error = "the temporary folder exists already";
    return false;
  }
  // $TMPDIR as every POSIX tool reads it; a relative value is ignored rather
  // than resolved against whatever the working folder is.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string base = (tmpdir != nullptr && tmpdir[0] == '/') ? std::string(tmpdir) : std::string("/tmp");
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string path = base + "/mrmlguard-deep-XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) {  // mode 0700
    *error = Errno("cannot make a temporary folder in " + base);
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *error = Errno("cannot open the temporary folder " + path);
    (void)::rmdir(path.c_str());
    return false;
  }
  root_ = std::move(path);
  root_fd_ = fd;
  return true;
}

bool ScratchFolder::Write(std::string_view name, std::span<const uint8_t> bytes, uint64_t size, std::string* error) {
  if (root_fd_ < 0) {
    *error = "no temporary folder";
    return false;
  }
  std::vector<std::string_view> parts = Components(name);
  if (parts.empty()) {
    *error = "refused to write \"" + std::string(name) + "\" in the temporary folder";
    return false;
  }
  // Folders on the way, each relative to the private folder: nothing in it
  // is a link, since nothing but this class writes there (mode 0700).
  std::string relative;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!relative.empty()) relative += '/';
    relative += parts[i];
    if (::mkdirat(root_fd_, relative.c_str(), 0700) == 0) {
      made_folders_.push_back(relative);
    } else if (errno != EEXIST) {
      *error = Errno("cannot make the temporary folder " + relative);
      return false;
    }
  }
  if (!relative.empty()) relative += '/';
  relative += parts.back();
  int fd = ::openat(root_fd_, relative.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = Errno("cannot create the temporary file " + relative);
    return false;
  }
  made_files_.push_back(relative);
  bool ok = true;
  size_t done = 0;
  while (ok && done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = Errno("cannot write the temporary file " + relative);
      ok = false;
    } else {
      done += static_cast<size_t>(n);
    }
  }
  if (ok && size > bytes.size()) {
    std::string what = "cannot extend the temporary file " + relative + " to " + std::to_string(size) + " bytes";
    if (size > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
      *error = what;
      ok = false;
    } else if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
      *error = Errno(what);
      ok = false;
    }
  }
  if (::close(fd) != 0 && ok) {
    *error = Errno("cannot write the temporary file " + relative);
    ok = false;
  }
  return ok;
}

std::string ScratchFolder::PathOf(std::string_view name) const {
  if (root_.empty()) return {};
  return root_ + "/" + std::string(name);
}

}  // namespace mrmlguard::internal
