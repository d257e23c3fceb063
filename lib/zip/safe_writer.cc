// SPDX-License-Identifier: BSD-3-Clause
#include "zip/safe_writer.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace mrmlguard::internal {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::vector<std::string> Split(std::string_view name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    parts.emplace_back(name.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

// True when the directory behind `fd` holds nothing but "." and "..".
bool IsEmptyDirectory(int fd, std::string* error) {
  int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) {
    *error = Errno("dup");
    return false;
  }
  DIR* d = fdopendir(dup_fd);
  if (d == nullptr) {
    *error = Errno("fdopendir");
    close(dup_fd);
    return false;
  }
  bool empty = true;
  errno = 0;
  while (dirent* ent = readdir(d)) {
    if (std::strcmp(ent->d_name, ".") != 0 && std::strcmp(ent->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  closedir(d);
  if (!empty) *error = "destination is not empty";
  return empty;
}

}  // namespace

bool SafeTreeWriter::IsSafeRelativePath(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  if (name.back() == '/') name.remove_suffix(1);
  if (name.empty() || name.back() == '/') return false;
  for (char c : name) {
    if (c == '\0' || c == '\\' || c == ':') return false;
  }
  for (const std::string& part : Split(name)) {
    if (part.empty() || part == "." || part == "..") return false;
  }
  // Split drops a trailing empty part; an inner "//" gives an empty one.
  return name.find("//") == std::string_view::npos;
}

std::unique_ptr<SafeTreeWriter> SafeTreeWriter::Open(const std::string& dest, std::string* error) {
  if (dest.empty()) {
    *error = "empty destination";
    return nullptr;
  }
  bool created = false;
  if (mkdir(dest.c_str(), 0755) == 0) {
    created = true;
  } else if (errno != EEXIST) {
    *error = Errno("cannot create destination");
    return nullptr;
  }
  // O_NOFOLLOW: the destination itself must not be a symlink.
  int fd = open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *error = Errno("cannot open destination as a directory (not following symlinks)");
    if (created) rmdir(dest.c_str());
    return nullptr;
  }
  if (!created && !IsEmptyDirectory(fd, error)) {
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<SafeTreeWriter>(new SafeTreeWriter(dest, fd, created));
}

SafeTreeWriter::~SafeTreeWriter() {
  if (!finished_) Abort();
  if (root_fd_ >= 0) close(root_fd_);
}

int SafeTreeWriter::OpenParent(const std::vector<std::string>& parts, size_t count, bool create,
                               std::string* error) {
  int fd = fcntl(root_fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) {
    *error = Errno("dup");
    return -1;
  }
  for (size_t i = 0; i < count; ++i) {
    int next = openat(fd, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (mkdirat(fd, parts[i].c_str(), 0755) != 0) {
        *error = Errno("cannot create folder \"" + Join(parts, i + 1) + "\"");
        close(fd);
        return -1;
      }
      created_.push_back({Join(parts, i + 1), true});
      next = openat(fd, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      *error = Errno("cannot open folder \"" + Join(parts, i + 1) + "\" (not following symlinks)");
      close(fd);
      return -1;
    }
    close(fd);
    fd = next;
  }
  return fd;
}

bool SafeTreeWriter::AddDirectory(std::string_view name, std::string* error) {
  if (finished_ || file_fd_ >= 0) {
    *error = "writer is finished or a file is open";
    return false;
  }
  if (!IsSafeRelativePath(name)) {
    *error = "unsafe entry name refused";
    return false;
  }
  std::vector<std::string> parts = Split(name);
  size_t before = created_.size();
  int fd = OpenParent(parts, parts.size(), /*create=*/true, error);
  if (fd < 0) return false;
  close(fd);
  // The last folder must be one this writer created (now or earlier).
  std::string full = Join(parts, parts.size());
  if (created_.size() == before) {
    bool ours = false;
    for (const Created& c : created_) ours = ours || (c.is_directory && c.path == full);
    if (!ours) {
      *error = "folder \"" + full + "\" already exists";
      return false;
    }
  }
  return true;
}

bool SafeTreeWriter::BeginFile(std::string_view name, std::string* error) {
  if (finished_ || file_fd_ >= 0) {
    *error = "writer is finished or a file is open";
    return false;
  }
  if (!IsSafeRelativePath(name) || name.back() == '/') {
    *error = "unsafe entry name refused";
    return false;
  }
  std::vector<std::string> parts = Split(name);
  int parent = OpenParent(parts, parts.size() - 1, /*create=*/true, error);
  if (parent < 0) return false;
  int fd = openat(parent, parts.back().c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
  int saved = errno;
  close(parent);
  if (fd < 0) {
    errno = saved;
    *error = Errno("cannot create file \"" + std::string(name) + "\"");
    return false;
  }
  created_.push_back({Join(parts, parts.size()), false});
  file_fd_ = fd;
  file_name_ = std::string(name);
  return true;
}

bool SafeTreeWriter::Write(std::span<const uint8_t> chunk, std::string* error) {
  if (file_fd_ < 0) {
    *error = "no file is open";
    return false;
  }
  size_t done = 0;
  while (done < chunk.size()) {
    ssize_t n = write(file_fd_, chunk.data() + done, chunk.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("cannot write \"" + file_name_ + "\"");
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool SafeTreeWriter::EndFile(std::string* error) {
  if (file_fd_ < 0) {
    *error = "no file is open";
    return false;
  }
  int rc = close(file_fd_);
  file_fd_ = -1;
  if (rc != 0) {
    *error = Errno("cannot close \"" + file_name_ + "\"");
    return false;
  }
  return true;
}

bool SafeTreeWriter::Commit(std::string* error) {
  if (finished_) {
    *error = "writer is finished";
    return false;
  }
  if (file_fd_ >= 0 && !EndFile(error)) {
    Abort();
    return false;
  }
  finished_ = true;
  committed_ = true;
  return true;
}

void SafeTreeWriter::Abort() {
  if (committed_) return;
  if (file_fd_ >= 0) {
    close(file_fd_);
    file_fd_ = -1;
  }
  // Newest first: files before their folders. Each removal walks to the
  // parent with no-follow descriptors, so a swapped-in symlink is not used.
  std::string ignored;
  for (size_t i = created_.size(); i-- > 0;) {
    const Created& c = created_[i];
    std::vector<std::string> parts = Split(c.path);
    int parent = OpenParent(parts, parts.size() - 1, /*create=*/false, &ignored);
    if (parent < 0) continue;
    unlinkat(parent, parts.back().c_str(), c.is_directory ? AT_REMOVEDIR : 0);
    close(parent);
  }
  created_.clear();
  if (created_root_) {
    if (root_fd_ >= 0) {
      close(root_fd_);
      root_fd_ = -1;
    }
    rmdir(dest_.c_str());
    created_root_ = false;
  }
  finished_ = true;
}

}  // namespace mrmlguard::internal
