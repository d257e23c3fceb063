// File: itk_reference.h
//
// ITK's ImageIO as a reference reader for image headers (built only with
// MRMLGUARD_WITH_ITK). It asks ITK for the header only
// (ImageIOBase::ReadImageInformation: dimensions, sizes, component type,
// components), never for the pixels, and compares with our own reader.
//
//   DataFileResult ours = CheckDataFile(view, sink);
//   DeepCheckWithItk("/path/to/MRHead.nrrd", ours, sink);   // --deep mode
//
// ITK needs a file name (its readers open the file themselves), so a bundle
// entry must be written to a temporary file first; the CLI's --deep mode owns
// that. No ITK type appears in this header. No exception leaves it.

#ifndef MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_
#define MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_

#include <string>

#include "data/data_file.h"
#include "findings/finding_sink.h"

namespace mrmlguard::internal {

struct ItkHeader {
  bool ok = false;        // ITK read the header
  std::string error;      // why not (ITK's exception text, shortened), when !ok
  std::string io_name;    // "NrrdImageIO", "MetaImageIO", "NiftiImageIO"
  ImageInfo image;        // what ITK reports, in the same terms as ours
};

// Reads the header of the image file at `path` with the ITK ImageIO that
// handles `format` (NRRD, MetaImage, NIfTI-1/2, Analyze, gzip'd NIfTI).
// Formats without an ITK image reader here give ok=false.
ItkHeader ReadHeaderWithItk(const std::string& path, DataFormat format);

// Compares two readings; returns "" when they agree, else what differs.
// Sizes are compared with trailing axes of size 1 dropped on both sides.
std::string CompareImageHeaders(const ImageInfo& ours, const ImageInfo& itk);

// Deep mode: when `ours` holds an image header, reads `path` with ITK and
// reports data.itk-disagrees when ITK refuses the header or reads other
// sizes, component type or components. Returns true when they agree (or
// when there is nothing to compare).
bool DeepCheckWithItk(const std::string& path, const DataFileResult& ours, FindingSink& sink);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_
