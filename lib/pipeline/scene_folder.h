// SPDX-License-Identifier: BSD-3-Clause
// File: scene_folder.h
//
// The folder of a plain scene on disk, opened once: the only place the
// pipeline opens files a scene names. Every name is opened relative to the
// folder's descriptor (openat), so a scene with many storage nodes costs one
// path walk per file, not one per folder level, and the folder cannot be
// swapped under the run.
//
//   SceneFolder folder("/data/case1");
//   SceneFolder::OpenFailure failure;
//   std::optional<SceneFolder::OpenFile> f = folder.OpenRegular("Data/v.nrrd", &failure);
//   bool regular = false;
//   std::optional<uint64_t> size = folder.SizeOf("Data/v.raw", &regular);
//   f->id() == folder.IdOf("Data/./v.nrrd")   // the same file under another name

#ifndef MRMLGUARD_LIB_PIPELINE_SCENE_FOLDER_H_
#define MRMLGUARD_LIB_PIPELINE_SCENE_FOLDER_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace mrmlguard::internal {

class SceneFolder {
 public:
  // What makes a file the same file whatever name reaches it (links, "./",
  // "a/../"): its device and inode numbers.
  struct FileId {
    uint64_t device = 0;
    uint64_t inode = 0;
    friend auto operator<=>(const FileId&, const FileId&) = default;
  };

  // An open regular file; closes its descriptor when destroyed.
  class OpenFile {
   public:
    OpenFile(int fd, uint64_t size, FileId id) : fd_(fd), size_(size), id_(id) {}
    OpenFile(OpenFile&& other) noexcept : fd_(other.fd_), size_(other.size_), id_(other.id_) { other.fd_ = -1; }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    OpenFile& operator=(OpenFile&&) = delete;
    ~OpenFile();
    int fd() const { return fd_; }
    uint64_t size() const { return size_; }
    FileId id() const { return id_; }

   private:
    int fd_;
    uint64_t size_;
    FileId id_;
  };

  // Opens `path` (a folder; "." for the current one). When it cannot be
  // opened, every lookup fails with the reason.
  explicit SceneFolder(const std::string& path);
  ~SceneFolder();
  SceneFolder(const SceneFolder&) = delete;
  SceneFolder& operator=(const SceneFolder&) = delete;

  // Why OpenRegular failed: the name does not open (`reason` is strerror's
  // text), or it opens but is not a regular file.
  struct OpenFailure {
    bool missing = false;
    std::string reason;
  };

  // Opens `relative` read-only (non-blocking, so a FIFO cannot hang the run).
  // nullopt, with *failure set, when it cannot be opened or is not a regular
  // file. A scene can name up to max_nodes files that do not exist, each an
  // openat the kernel refuses (about 3 us: 1M of them took 3.3 s of system
  // time). After kListAfterMisses misses in one folder, that folder is listed
  // once and a name it does not hold is missing without a system call; see
  // FolderListing for when a listing is not trusted. Not thread-safe.
  std::optional<OpenFile> OpenRegular(std::string_view relative, OpenFailure* failure) const;
  // The size of `relative` when it exists (following links); nullopt when
  // it does not. *regular says whether it is a regular file. Misses are
  // counted and decided by a listing as for OpenRegular (a data header can
  // name max_detached_files files).
  std::optional<uint64_t> SizeOf(std::string_view relative, bool* regular) const;
  // The identity of `relative` (a file or a folder; "" is the scene's folder)
  // when it exists, following links.
  std::optional<FileId> IdOf(std::string_view relative) const;
  // The path of `relative` for readers that open by name (ITK).
  std::string PathOf(std::string_view relative) const;

 private:
  // The names of one folder (ASCII, folded to lower case), or that it does
  // not exist. Not trusted (used = false) when the folder cannot be read, is
  // on a file system whose lookups may find names readdir does not list
  // (ListingDecides in scene_folder.cc), holds more names than the budget
  // allows, or holds a non-ASCII name: a case-insensitive folder may open an
  // ASCII name as a listed non-ASCII one (U+212A KELVIN SIGN folds to 'k').
  // A name is decided missing only when its folded form is not listed.
  struct FolderListing {
    uint32_t misses = 0;  // openat misses before the listing was taken
    bool listed = false;
    bool used = false;
    bool missing = false;  // the folder itself does not exist (ENOENT)
    std::unordered_set<std::string> names;
  };
  static constexpr uint32_t kListAfterMisses = 64;
  static constexpr size_t kMaxListedNames = 200'000;  // over every folder
  static constexpr size_t kMaxFolders = 1'024;

  // True when the folder's listing says `base` does not exist there.
  bool KnownMissing(const std::string& folder, std::string_view base) const;
  void NoteMiss(const std::string& folder) const;
  void List(const std::string& folder, FolderListing& listing) const;

  std::string path_;
  int fd_ = -1;
  int open_errno_ = 0;
  mutable std::unordered_map<std::string, FolderListing> folders_;
  mutable size_t listed_names_ = 0;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_SCENE_FOLDER_H_
