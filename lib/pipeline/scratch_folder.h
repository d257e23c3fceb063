// SPDX-License-Identifier: BSD-3-Clause
// File: scratch_folder.h
//
// A private temporary folder for deep mode: ITK's readers open files by name,
// so the bundle entries they read are written here first, for the time of one
// reading.
//
//   ScratchFolder folder;
//   std::string error;
//   if (!folder.Create(&error) || !folder.Write("Scene/Data/v.nrrd", bytes, size, &error)) { ... }
//   ReadHeaderWithItk(folder.PathOf("Scene/Data/v.nrrd"), format);
//   // the destructor removes every file and folder it made, then the folder
//
// The folder is made by mkdtemp (mode 0700) under $TMPDIR when that is an
// absolute path, else /tmp. Files are created relative to the folder's
// descriptor with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, and names are bundle
// entry names checked again here (no empty, "." or ".." component, no
// leading '/'), so nothing is written outside the folder. Never throws
// except std::bad_alloc.

#ifndef MRMLGUARD_LIB_PIPELINE_SCRATCH_FOLDER_H_
#define MRMLGUARD_LIB_PIPELINE_SCRATCH_FOLDER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal {

class ScratchFolder {
 public:
  ScratchFolder() = default;
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  // Removes what Write made (files, then folders, deepest first) and the
  // folder itself.
  ~ScratchFolder();

  // Makes the folder. False, with *error set, when it cannot.
  bool Create(std::string* error);

  // Writes `bytes` to the file `name` (a relative, '/'-separated name such as
  // "Scene/Data/v.nhdr"), making the folders on its way, then extends the file
  // with a hole up to `size` bytes when `size` is larger than the bytes given:
  // a reader that seeks from the end (NRRD "byte skip: -1") sees the real
  // size, without the payload being written. False, with *error set, when
  // the name is refused, the file exists already, or a call fails.
  bool Write(std::string_view name, std::span<const uint8_t> bytes, uint64_t size, std::string* error);

  // The path of `name` inside the folder ("" before Create).
  std::string PathOf(std::string_view name) const;
  // The folder's path ("" before Create).
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  int root_fd_ = -1;
  // Relative names of what Write made, in the order made (a folder always
  // before what it holds).
  std::vector<std::string> made_files_;
  std::vector<std::string> made_folders_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_SCRATCH_FOLDER_H_
