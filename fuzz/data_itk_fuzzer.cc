// SPDX-License-Identifier: BSD-3-Clause
// Differential oracle for the image header readers (MRMLGUARD_WITH_ITK only):
// when CheckDataFile reads an image header from the input without an error,
// ITK's ImageIO for that format (ReadImageInformation: header only) must read
// the same sizes, component type and components, or refuse the file. A header
// we size differently from ITK means max_image_bytes guards the wrong number.
// The first byte picks the extension.
//
// ITK needs a file: the input is written as v<ext> into a private directory
// made per input under /tmp (mkdtemp), next to an empty file for each of the
// first detached data files our reader lists (NHDR "data file:", MetaImage
// ElementDataFile, Analyze .img), because Teem opens the first data file even
// when asked for the header only. Everything made is removed before the
// verdict (so an invariant failure leaves nothing behind); a crash or a
// timeout inside ITK leaves its /tmp/mrmlguard-itk-* folder.
//
// Builds under clang too: lib/data/CMakeLists.txt compiles itk_reference.cc
// (the only file that includes ITK headers) with g++ there.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/data_file.h"
#include "data/itk_reference.h"
#include "findings/finding_sink.h"
#include "fuzz_common.h"

namespace {

// Detached files made per input; Teem needs only the first to exist.
constexpr size_t kMaxDetachedMade = 16;

// Files and folders made for one input, removed in reverse order.
class Staging {
 public:
  ~Staging() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
      if (it->second) {
        rmdir(it->first.c_str());
      } else {
        unlink(it->first.c_str());
      }
    }
  }
  bool MakeDir(const std::string& path) {
    if (mkdir(path.c_str(), 0700) != 0) return false;
    made_.emplace_back(path, true);
    return true;
  }
  bool WriteFile(const std::string& path, std::span<const uint8_t> bytes) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    made_.emplace_back(path, false);
    bool ok = bytes.empty() || write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    close(fd);
    return ok;
  }
  void Adopt(const std::string& dir) { made_.emplace_back(dir, true); }

 private:
  std::vector<std::pair<std::string, bool>> made_;  // path, is a folder
};

// An empty file at `name` (relative, as the header wrote it) under `dir`,
// with the folders on the way. Names leaving the folder are skipped (our
// reader already refuses those).
void MakeDetached(Staging& staging, const std::string& dir, std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) return;
  if (name.find('\0') != std::string_view::npos) return;
  std::string path = dir;
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) break;
    if (slash > start) {
      path += "/" + std::string(name.substr(start, slash - start));
      staging.MakeDir(path);  // may exist already
    }
    start = slash + 1;
  }
  if (start < name.size()) staging.WriteFile(path + "/" + std::string(name.substr(start)), {});
}

}  // namespace

// LeakSanitizer (libFuzzer build): the file readers ITK bundles leak on some
// error paths (Teem's nrrdLoad: airArrayNew / airStrdup when a header is
// refused); those leaks are ITK's, not ours, and would stop every campaign
// within seconds. Only allocations made inside these libraries are ignored.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libITKNrrdIO-\nleak:libITKMetaIO-\nleak:libITKniftiio-\nleak:libITKznz-\n";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  static constexpr std::string_view kExtensions[] = {".nrrd", ".nhdr", ".mha", ".mhd", ".nii", ".hdr", ".nii.gz"};
  if (size < 1 || size > 65536) return 0;
  std::string_view ext = kExtensions[data[0] % 7];
  std::span<const uint8_t> bytes(data + 1, size - 1);
  Policy policy = Policy::Default();
  policy.limits = Limits::ForFuzzing();
  internal::FindingSink sink(policy);
  std::string name = "v" + std::string(ext);
  internal::DataFileView view{.name = name, .storage_tag = "VolumeArchetypeStorage", .prefix = bytes,
                              .total_size = bytes.size()};
  internal::DataFileResult ours = internal::CheckDataFile(view, sink);
  if (!ours.image || sink.has_errors()) return 0;

  internal::ItkHeader itk;
  {
    Staging staging;
    std::string dir = "/tmp/mrmlguard-itk-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) return 0;
    staging.Adopt(dir);
    std::string path = dir + "/" + name;
    bool written = staging.WriteFile(path, bytes);
    for (size_t i = 0; written && i < ours.detached.size() && i < kMaxDetachedMade; ++i) {
      MakeDetached(staging, dir, ours.detached[i]);
    }
    if (written) itk = internal::ReadHeaderWithItk(path, ours.format);
  }  // everything made is removed here
  if (!itk.ok) return 0;  // ITK refusing what we read is reported by --deep, not a sizing bug
  std::string diff = internal::CompareImageHeaders(*ours.image, itk.image);
  MRMLGUARD_FUZZ_CHECK(diff.empty(), diff);
  return 0;
}
