// SPDX-License-Identifier: BSD-3-Clause
// File: safe_writer.h
//
// SafeTreeWriter: the extraction writer behind mrmlguard::Extract(). It
// writes a bundle's entries below one destination folder and cannot be made
// to write anywhere else, whatever the names say (defence in depth: the audit
// already refuses every name this writer refuses).
//
//   std::string error;
//   auto w = SafeTreeWriter::Open("/tmp/out", &error);   // must not exist, or be empty
//   if (!w) -> error
//   w->AddDirectory("Scene/", &error);
//   w->BeginFile("Scene/Scene.mrml", &error); w->Write(chunk, &error); ... w->EndFile(&error);
//   w->Commit();     // keep; without it (or after Abort()) everything created is removed
//
// How: the destination is opened once as an O_DIRECTORY descriptor; every
// folder is reached with openat(O_DIRECTORY|O_NOFOLLOW) one component at a
// time and created with mkdirat(0755); files are created with
// openat(O_CREAT|O_EXCL|O_NOFOLLOW|O_WRONLY|O_CLOEXEC, 0644), so a symlink is
// never followed and an existing file is never overwritten. Everything it
// creates is recorded; Abort() (and the destructor without Commit()) removes
// it in reverse order, through the same no-follow descriptors, leaving the
// destination as it was found. POSIX only.

#ifndef MRMLGUARD_LIB_ZIP_SAFE_WRITER_H_
#define MRMLGUARD_LIB_ZIP_SAFE_WRITER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal {

class SafeTreeWriter {
 public:
  // Opens `dest`: creates it (mode 0755) when it does not exist, or takes it
  // when it is an empty directory that is not a symlink. Returns null and
  // sets *error otherwise (non-empty, a file, a symlink, no permission).
  static std::unique_ptr<SafeTreeWriter> Open(const std::string& dest, std::string* error);

  ~SafeTreeWriter();  // Abort() unless Commit() was called
  SafeTreeWriter(const SafeTreeWriter&) = delete;
  SafeTreeWriter& operator=(const SafeTreeWriter&) = delete;

  // Creates the folder `name` ("a/b/" or "a/b") and its parents. An existing
  // folder this writer created is fine; anything else existing is an error.
  bool AddDirectory(std::string_view name, std::string* error);
  // Creates the file `name` (parents as needed); it must not exist. One file
  // is open at a time.
  bool BeginFile(std::string_view name, std::string* error);
  bool Write(std::span<const uint8_t> chunk, std::string* error);
  bool EndFile(std::string* error);

  // Keeps everything written; the writer is finished.
  bool Commit(std::string* error);
  // Removes everything this writer created, newest first (and the
  // destination itself when Open() created it). Idempotent.
  void Abort();

  // Entry names this writer accepts: relative, '/'-separated, no empty, '.'
  // or '..' component, no backslash, no NUL, no ':' (drive or stream).
  static bool IsSafeRelativePath(std::string_view name);

 private:
  SafeTreeWriter(std::string dest, int root_fd, bool created_root)
      : dest_(std::move(dest)), root_fd_(root_fd), created_root_(created_root) {}
  // Opens (creating when `create`) the folder for components [0, count) of
  // `parts`; returns a descriptor the caller closes, or -1.
  int OpenParent(const std::vector<std::string>& parts, size_t count, bool create, std::string* error);

  struct Created {
    std::string path;  // relative to the destination, '/'-separated
    bool is_directory;
  };
  std::string dest_;
  int root_fd_ = -1;
  bool created_root_ = false;
  bool finished_ = false;
  bool committed_ = false;
  int file_fd_ = -1;
  std::string file_name_;
  std::vector<Created> created_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_SAFE_WRITER_H_
