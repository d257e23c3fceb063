// SPDX-License-Identifier: BSD-3-Clause
// HDF5: the superblock (File Format Specification 3.0, II.A), found at 0 or
// after a user block (512, 1024, ...).

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadHdf5(Ctx& ctx, uint64_t signature_offset) {
  // Superblock version follows the 8-byte signature (versions 0..3 exist).
  ByteReader r(ctx.file.prefix);
  r.Skip(static_cast<size_t>(signature_offset) + 8);
  uint8_t version = r.U8();
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderIncomplete, signature_offset, "HDF5 superblock is cut off in the bytes given");
    return;
  }
  if (version > 3) {
    ctx.Add(Rule::kDataHeaderRange, signature_offset + 8,
            "HDF5 superblock version " + std::to_string(version) + " is not defined");
  }
}


}  // namespace mrmlguard::internal::data
