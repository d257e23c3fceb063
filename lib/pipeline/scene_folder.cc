// SPDX-License-Identifier: BSD-3-Clause
// SceneFolder: openat relative to one folder descriptor (see scene_folder.h).

#include "pipeline/scene_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

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

namespace {

// The folder part of `relative` (before its last '/', "" for none) and the
// name after it.
std::pair<std::string, std::string_view> Split(std::string_view relative) {
  size_t slash = relative.rfind('/');
  if (slash == std::string_view::npos) return {std::string(), relative};
  return {std::string(relative.substr(0, slash)), relative.substr(slash + 1)};
}

// A name as a listing holds it: ASCII, folded to lower case (a folder may be
// case-insensitive: ext4 and f2fs casefold); nullopt for any other byte.
std::optional<std::string> FoldedAscii(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return std::nullopt;
    if (u >= 'A' && u <= 'Z') c = static_cast<char>(u - 'A' + 'a');
  }
  return out;
}

// File systems whose lookups find exactly the names readdir lists, up to
// case: no 8.3 aliases (vfat, NTFS, SMB), no trailing-dot stripping (vfat),
// no names made on lookup (autofs, FUSE, network file systems).
bool ListingDecides(int dir_fd) {
  struct statfs fs {};
  if (::fstatfs(dir_fd, &fs) != 0) return false;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53UL:      // ext2, ext3, ext4
    case 0x58465342UL:  // xfs
    case 0x9123683EUL:  // btrfs
    case 0x01021994UL:  // tmpfs
    case 0x794C7630UL:  // overlayfs
    case 0x2FC12FC1UL:  // zfs
    case 0xF2F52010UL:  // f2fs
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<SceneFolder::OpenFile> SceneFolder::OpenRegular(std::string_view relative,
                                                              OpenFailure* failure) const {
  std::string name(relative);
  auto [folder, base] = Split(relative);
  if (fd_ >= 0 && KnownMissing(folder, base)) {
    failure->missing = true;
    failure->reason = std::strerror(ENOENT);
    return std::nullopt;
  }
  int fd = fd_ >= 0 ? ::openat(fd_, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) : -1;
  if (fd < 0) {
    const int error = fd_ >= 0 ? errno : open_errno_;
    failure->missing = true;
    failure->reason = std::strerror(error);
    if (error == ENOENT) NoteMiss(folder);
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

bool SceneFolder::KnownMissing(const std::string& folder, std::string_view base) const {
  // "." and ".." are listed but name folders; "" (a trailing '/') names the
  // folder itself: those keep the openat and its own answer.
  if (base.empty() || base == "." || base == "..") return false;
  auto it = folders_.find(folder);
  if (it == folders_.end() || !it->second.used) return false;
  const FolderListing& listing = it->second;
  if (listing.missing) return true;
  std::optional<std::string> folded = FoldedAscii(base);
  return folded && !listing.names.contains(*folded);
}

void SceneFolder::NoteMiss(const std::string& folder) const {
  auto it = folders_.find(folder);
  if (it == folders_.end()) {
    if (folders_.size() >= kMaxFolders) return;
    it = folders_.emplace(folder, FolderListing{}).first;
  }
  FolderListing& listing = it->second;
  if (!listing.listed && ++listing.misses >= kListAfterMisses) List(folder, listing);
}

void SceneFolder::List(const std::string& folder, FolderListing& listing) const {
  listing.listed = true;
  const std::string name = folder.empty() ? std::string(".") : folder;
  int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    // Only a folder that is not there decides its names; any other failure
    // (no read permission, not a folder) leaves each name to openat.
    listing.missing = errno == ENOENT;
    listing.used = listing.missing;
    return;
  }
  if (!ListingDecides(fd)) {
    ::close(fd);
    return;
  }
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  bool trusted = true;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      trusted = errno == 0;
      break;
    }
    std::optional<std::string> folded = FoldedAscii(entry->d_name);
    if (!folded || listed_names_ >= kMaxListedNames) {
      trusted = false;
      break;
    }
    listing.names.insert(std::move(*folded));
    ++listed_names_;
  }
  ::closedir(dir);
  listing.used = trusted;
  if (!trusted) {
    listed_names_ -= listing.names.size();
    listing.names = {};
  }
}

std::optional<uint64_t> SceneFolder::SizeOf(std::string_view relative, bool* regular) const {
  if (fd_ < 0) return std::nullopt;
  auto [folder, base] = Split(relative);
  if (KnownMissing(folder, base)) return std::nullopt;
  std::string name(relative);
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, 0) != 0) {
    if (errno == ENOENT) NoteMiss(folder);
    return std::nullopt;
  }
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
