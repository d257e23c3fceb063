// SPDX-License-Identifier: BSD-3-Clause
// SceneFolder: openat relative to one folder descriptor (see scene_folder.h).

#include "pipeline/scene_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mrmlguard::internal {

SceneFolder::OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

SceneFolder::SceneFolder(const std::string& path) : path_(path) {
  // O_PATH needs only search permission on the folder, as the path-based
  // opens Slicer makes do.
#if defined(O_PATH)
  fd_ = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
#else
  fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#endif
  if (fd_ < 0) open_errno_ = errno;
}

SceneFolder::~SceneFolder() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<SceneFolder::OpenFile> SceneFolder::OpenRegular(std::string_view relative,
                                                              OpenFailure* failure) const {
  std::string name(relative);
  int fd = fd_ >= 0 ? ::openat(fd_, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) : -1;
  if (fd < 0) {
    failure->missing = true;
    failure->reason = std::strerror(fd_ >= 0 ? errno : open_errno_);
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    failure->missing = false;
    failure->reason = "not a regular file";
    return std::nullopt;
  }
  return OpenFile(fd, static_cast<uint64_t>(st.st_size),
                  {.device = static_cast<uint64_t>(st.st_dev), .inode = static_cast<uint64_t>(st.st_ino)});
}

std::optional<uint64_t> SceneFolder::SizeOf(std::string_view relative, bool* regular) const {
  std::string name(relative);
  struct stat st {};
  if (fd_ < 0 || ::fstatat(fd_, name.c_str(), &st, 0) != 0) return std::nullopt;
  *regular = S_ISREG(st.st_mode);
  return static_cast<uint64_t>(st.st_size);
}

std::optional<SceneFolder::FileId> SceneFolder::IdOf(std::string_view relative) const {
  std::string name = relative.empty() ? std::string(".") : std::string(relative);
  struct stat st {};
  if (fd_ < 0 || ::fstatat(fd_, name.c_str(), &st, 0) != 0) return std::nullopt;
  return FileId{.device = static_cast<uint64_t>(st.st_dev), .inode = static_cast<uint64_t>(st.st_ino)};
}

std::string SceneFolder::PathOf(std::string_view relative) const {
  return path_.empty() ? std::string(relative) : path_ + "/" + std::string(relative);
}

}  // namespace mrmlguard::internal
