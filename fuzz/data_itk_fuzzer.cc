// Differential oracle for the image header readers (MRMLGUARD_WITH_ITK only):
// when CheckDataFile reads an image header from the input without an error,
// ITK's ImageIO for that format (ReadImageInformation: header only) must read
// the same sizes, component type and components, or refuse the file. A header
// we size differently from ITK means max_image_bytes guards the wrong number.
// The first byte picks the extension; ITK needs a file, written under /tmp.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "data/data_file.h"
#include "data/itk_reference.h"
#include "findings/finding_sink.h"
#include "fuzz_common.h"

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

  std::string path = "/tmp/mrmlguard-itk-XXXXXX" + std::string(ext);
  int fd = mkstemps(path.data(), static_cast<int>(ext.size()));
  if (fd < 0) return 0;
  bool written = write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  close(fd);
  internal::ItkHeader itk;
  if (written) itk = internal::ReadHeaderWithItk(path, ours.format);
  unlink(path.c_str());
  if (!itk.ok) return 0;  // ITK refusing what we read is reported by --deep, not a sizing bug
  std::string diff = internal::CompareImageHeaders(*ours.image, itk.image);
  MRMLGUARD_FUZZ_CHECK(diff.empty(), diff);
  return 0;
}
