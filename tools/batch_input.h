// SPDX-License-Identifier: BSD-3-Clause
// File: batch_input.h
//
// The files a `mrmlguard validate` run judges, produced one at a time so a
// run over a large tree or a long list holds only the current directory's
// names: the operands in order (with --recursive, a directory operand is
// walked in place), then the names read from --files-from.

#ifndef MRMLGUARD_TOOLS_BATCH_INPUT_H_
#define MRMLGUARD_TOOLS_BATCH_INPUT_H_

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace mrmlguard::cli {

struct BatchItem {
  std::string path;
  // Set when the item cannot be judged because it could not even be listed
  // (an unreadable directory, a failed read of the list): the CLI reports
  // it as an unreadable file.
  std::optional<std::string> error;
};

class BatchInput {
 public:
  // `recursive`: walk directory operands (and listed directories) for files
  // whose name ends in .mrml or .mrb (any case), in byte order of their names;
  // symbolic links to directories are not followed. Files named explicitly are
  // judged whatever their name.
  // `files_from`: a file holding one path per line ("-": standard input),
  // or NUL-separated names when `null_separated`. Empty names are skipped.
  BatchInput(std::vector<std::string> operands, bool recursive, std::optional<std::string> files_from,
             bool null_separated);
  ~BatchInput();
  BatchInput(const BatchInput&) = delete;
  BatchInput& operator=(const BatchInput&) = delete;

  // The next item; false when there is none left.
  bool Next(BatchItem* item);

 private:
  // A directory being walked: its sorted names and the next one to look at.
  struct Level {
    std::string dir;
    std::vector<std::string> names;
    size_t next = 0;
  };
  bool NextFromWalk(BatchItem* item);
  // Starts walking `dir` (pushes a level), or fills `item` with the error.
  bool Descend(const std::string& dir, BatchItem* item);
  bool Offer(const std::string& path, BatchItem* item);
  bool NextListed(std::string* path, std::string* error);

  std::vector<std::string> operands_;
  size_t next_operand_ = 0;
  bool recursive_;
  std::optional<std::string> files_from_;
  bool null_separated_;
  std::FILE* list_ = nullptr;
  bool list_opened_ = false;
  bool list_done_ = false;
  std::vector<Level> stack_;
};

}  // namespace mrmlguard::cli

#endif  // MRMLGUARD_TOOLS_BATCH_INPUT_H_
