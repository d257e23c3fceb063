// SPDX-License-Identifier: BSD-3-Clause
#include "bytes/input_source.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mrmlguard::internal {

std::span<const uint8_t> MemorySource::View(uint64_t offset, size_t n,
                                             std::vector<uint8_t>* /*scratch*/) {
  if (offset >= bytes_.size()) return {};
  size_t avail = bytes_.size() - static_cast<size_t>(offset);
  size_t take = n < avail ? n : avail;
  bytes_read_ += take;
  return bytes_.subspan(static_cast<size_t>(offset), take);
}

std::span<const uint8_t> FileSource::View(uint64_t offset, size_t n, std::vector<uint8_t>* scratch) {
  if (offset >= size_ || !io_error_.empty()) return {};
  uint64_t avail = size_ - offset;
  size_t take = n < avail ? n : static_cast<size_t>(avail);
  scratch->resize(take);
  size_t done = 0;
  while (done < take) {
    ssize_t got = ::pread(fd_, scratch->data() + done, take - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      io_error_ = std::string("read failed: ") + std::strerror(errno);
      return {};
    }
    if (got == 0) {
      // The file shrank under us: treat as an I/O error, never as data.
      io_error_ = "file changed size while being read";
      return {};
    }
    done += static_cast<size_t>(got);
  }
  bytes_read_ += take;
  return {scratch->data(), take};
}

}  // namespace mrmlguard::internal
