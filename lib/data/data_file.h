// File: data_file.h
//
// The data-file layer's interface: identify a file a storage node references
// by its content, check its magic against the extension and the storage class,
// and read its header (never the payload) with bounds-checked readers.

#ifndef MRMLGUARD_LIB_DATA_DATA_FILE_H_
#define MRMLGUARD_LIB_DATA_DATA_FILE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "findings/finding_sink.h"

namespace mrmlguard::internal {

struct DataFileView {
  std::string_view name;             // entry name or path, for messages and the extension
  std::string_view storage_tag;      // storage node tag that reads it ("" when unknown)
  std::span<const uint8_t> prefix;   // the first bytes (up to max_header_bytes)
  uint64_t total_size = 0;           // size of the whole file
};

struct DataFileResult {
  // Files this one makes its reader open (NRRD "data file:", MetaImage
  // ElementDataFile, .vtm children), relative to the data file's folder as
  // written; the pipeline resolves them like storage paths.
  std::vector<std::string> detached;
};

// Checks one data file. Findings use data.* rules.
DataFileResult CheckDataFile(const DataFileView& file, FindingSink& sink);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_DATA_DATA_FILE_H_
