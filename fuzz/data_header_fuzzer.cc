// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the data-file header readers: CheckDataFile on the input's tail,
// named and typed by the first byte (the extension and the storage node that
// reads it), with the file's total size either the prefix's or larger (the
// prefix is then only the first bytes of a bigger file). A parsed image must
// keep max_image_bytes and its byte count must be the checked product.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "data/data_file.h"
#include "findings/finding_sink.h"
#include "fuzz_common.h"

namespace {

struct Kind {
  std::string_view name;
  std::string_view storage_tag;
};

constexpr Kind kKinds[] = {
    {"Data/v.nrrd", "VolumeArchetypeStorage"},  {"Data/v.nhdr", "VolumeArchetypeStorage"},
    {"Data/s.seg.nrrd", "SegmentationStorage"}, {"Data/s.seq.nrrd", "VolumeSequenceStorage"},
    {"Data/v.nii", "VolumeArchetypeStorage"},   {"Data/v.nii.gz", "VolumeArchetypeStorage"},
    {"Data/v.hdr", "VolumeArchetypeStorage"},   {"Data/v.mha", "VolumeArchetypeStorage"},
    {"Data/v.mhd", "VolumeArchetypeStorage"},   {"Data/m.vtk", "ModelStorage"},
    {"Data/m.vtp", "ModelStorage"},             {"Data/m.vtm", "ModelStorage"},
    {"Data/p.mrk.json", "MarkupsJsonStorage"},  {"Data/p.fcsv", "MarkupsFiducialStorage"},
    {"Data/t.h5", "TransformStorage"},          {"Data/t.tfm", "TransformStorage"},
    {"Data/c.ctbl", "ColorTableStorage"},       {"Data/c.txt", "ColorTableStorage"},
    {"Data/t.tsv", "TableStorage"},             {"Data/t.csv", "TableStorage"},
    {"Data/v.vp.json", "VolumePropertyJsonStorage"}, {"Data/s.sp", "ShaderPropertyStorage"},
    {"Data/x.dcm", ""},                         {"Data/unknown.bin", ""},
};
constexpr size_t kKindCount = sizeof(kKinds) / sizeof(kKinds[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  fuzz::FuzzReader in(data, size);
  uint8_t selector = in.Byte();
  uint8_t config = in.Byte();
  const Kind& kind = kKinds[selector % kKindCount];
  Policy policy = fuzz::PolicyFromBits(config);
  std::span<const uint8_t> prefix = in.Rest();
  uint64_t total = prefix.size();
  if (config & 0x10) total += uint64_t{1} << ((config >> 5) * 4);  // a bigger file behind the prefix
  internal::FindingSink sink(policy);
  internal::DataFileView view{.name = kind.name, .storage_tag = (config & 0x08) ? "" : kind.storage_tag,
                              .prefix = prefix, .total_size = total};
  internal::DataFileResult result = internal::CheckDataFile(view, sink);
  // Offsets in a gzip'd file (.nii.gz) count in the decompressed stream,
  // whose header part the reader bounds by max_header_bytes.
  uint64_t bound = total;
  if (result.format == internal::DataFormat::kGzip && policy.limits.max_header_bytes > bound) {
    bound = policy.limits.max_header_bytes;
  }
  fuzz::CheckFindings(sink.findings(), bound, policy);
  for (const Finding& f : sink.findings()) {
    MRMLGUARD_FUZZ_CHECK(f.rule_id.starts_with("data.") || f.rule_id == "input.findings-truncated", f.rule_id);
  }
  MRMLGUARD_FUZZ_CHECK(result.detached.size() <= policy.limits.max_detached_files, kind.name);
  if (result.image && !sink.has_errors()) {
    const internal::ImageInfo& image = *result.image;
    uint64_t product = internal::ComponentBytes(image.component);
    product *= image.components;
    bool overflow = false;
    for (uint64_t s : image.sizes) overflow = overflow || __builtin_mul_overflow(product, s, &product);
    MRMLGUARD_FUZZ_CHECK(!overflow && product == image.total_bytes, kind.name);
    MRMLGUARD_FUZZ_CHECK(image.total_bytes <= policy.limits.max_image_bytes, kind.name);
  }
  return 0;
}
