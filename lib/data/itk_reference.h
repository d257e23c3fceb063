// SPDX-License-Identifier: BSD-3-Clause
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
// ITK needs a file name (its readers open the file themselves), so the
// pipeline's deep mode (Policy::deep) writes a bundle entry to a private
// temporary folder first. No ITK type appears in this header. No exception
// leaves it.

#ifndef MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_
#define MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_

#include <string>

#include "data/data_file.h"
#include "findings/finding_sink.h"

namespace mrmlguard::internal {

struct ItkHeader {
  bool ok = false;        // ITK read the header
  // Why not, when !ok: ITK's description on one line (its first line and
  // Teem's innermost reason), without the source location or the object
  // address, so that the same file always gives the same text.
  std::string error;
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

// Reports data.itk-disagrees when `itk` (a reading of the file `ours`
// describes) is a refusal or differs from `ours.image`. Returns true when they
// agree, or when `ours` holds no image (nothing to compare).
bool JudgeItkHeader(const ItkHeader& itk, const DataFileResult& ours, FindingSink& sink);

// Deep mode: when `ours` holds an image header, reads `path` with ITK and
// reports data.itk-disagrees when ITK refuses the header or reads other
// sizes, component type or components. Returns true when they agree (or
// when there is nothing to compare). ReadHeaderWithItk + JudgeItkHeader.
bool DeepCheckWithItk(const std::string& path, const DataFileResult& ours, FindingSink& sink);

// Turns ITK's warnings off for the whole process (itk::Object's global flag):
// ITK prints them on stderr ("... is Analyze file and it's deprecated"). For
// a program that owns its process and its stderr, the mrmlguard command; the
// library never calls it, since its host (Slicer) may want them.
void SilenceItkWarnings();

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_DATA_ITK_REFERENCE_H_
