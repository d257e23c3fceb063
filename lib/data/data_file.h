// SPDX-License-Identifier: BSD-3-Clause
// File: data_file.h
//
// The data-file layer's interface: identify a file a storage node references
// by its content, check its magic against the extension and the storage class,
// and read its header (never the payload) with bounds-checked readers.
//
//   DataFileView view{.name = "Data/MRHead.nrrd", .storage_tag = "VolumeArchetypeStorage",
//                     .prefix = first_bytes, .total_size = file_size};
//   DataFileResult r = CheckDataFile(view, sink);
//   for (const std::string& path : r.detached) { /* resolve like a storage path */ }
//
// What it refuses (all findings use data.* rules, see lib/findings/rules/data.def):
//   data.magic-mismatch      content vs extension vs storage class
//   data.executable          ELF/PE/Mach-O/shebang/script text, shader property files
//   data.header-malformed    a header that does not parse
//   data.header-range        dimension 0 or > 16, sizes <= 0, unknown type/encoding ...
//   data.limit-exceeded      allocation over max_image_bytes, header over max_header_bytes,
//                            JSON over max_json_depth/max_json_bytes, detached list over
//                            max_detached_files, color index over max_color_table_colors
//   data.size-mismatch       attached raw data larger than the file can hold
//   data.detached-outside    detached file absolute, climbing with "..", UNC, URL, "slicer:"
//   data.format-string       unsafe printf format (markups labelFormat/printFormat/name,
//                            NRRD and MetaImage file-name patterns)
//   data.header-incomplete   (warning) the prefix given ends before what must be read
//   data.content-odd         (warning) lines the reader would skip (bad color line ...)
//   data.format-unknown      (warning) content not identified; only executable checks ran
//
// Nothing here allocates in proportion to a value the file declares: lists the
// file declares (LIST/pattern data files) are bounded by max_detached_files.

#ifndef MRMLGUARD_LIB_DATA_DATA_FILE_H_
#define MRMLGUARD_LIB_DATA_DATA_FILE_H_

#include <cstdint>
#include <optional>
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
  // Named only by a fileListMember attribute, not by the node's fileName.
  // vtkMRMLStorageNode::ReadData opens the fileName (GetFullNameFromFileName);
  // list members are read by that file's own reader (a .nhdr's data files,
  // a .seg.vtm's .vtp blocks written by vtkMRMLSegmentationStorageNode::
  // AddPolyDataFileNames, an ITK series' slices), so the storage class's
  // extension list does not apply to them; their content is still checked.
  bool list_member = false;
  // How many more detached file names this check may look up
  // (max_total_detached_files less those of the headers read before); past
  // it a header's names are dropped with data.limit-exceeded, or silently
  // when `detached_room_reported` says an earlier header reported it.
  uint64_t detached_room = UINT64_MAX;
  bool detached_room_reported = false;
};

// What the content is, by magic (never by extension).
enum class DataFormat : uint8_t {
  kUnknown,      // nothing recognised (raw voxels, unknown binary)
  kEmpty,        // zero bytes
  kNrrd,         // "NRRD000x" (.nrrd, .nhdr, .seg.nrrd, .seq.nrrd)
  kNifti1,       // sizeof_hdr 348 with magic n+1 / ni1
  kAnalyze,      // sizeof_hdr 348 without a NIfTI magic (Analyze 7.5 .hdr)
  kNifti2,       // sizeof_hdr 540 with magic n+2 / ni2
  kGzip,         // 1f 8b (.nii.gz is read through; .raw.gz payloads are not)
  kMetaImage,    // "Key = Value" header with NDims/ObjectType (.mha, .mhd)
  kVtkLegacy,    // "# vtk DataFile Version"
  kVtkXml,       // <VTKFile ...>
  kXml,          // other XML (.mrml, .xml, .cxml)
  kJson,         // '{' or '[' (.mrk.json, .json, .vp.json, .sp)
  kHdf5,         // \x89HDF\r\n\x1a\n at 0/512/1024/...
  kMatlab,       // "MATLAB 5.0 MAT-file"
  kItkTransform, // "#Insight Transform File"
  kText,         // printable text not recognised as one of the above
  kPng,
  kJpeg,
  kTiff,
  kBmp,
  kDicom,        // "DICM" at 128
  kZip,          // PK\3\4 (.mrb, .seq.mrb)
  kExecutable,   // ELF, PE, Mach-O, shebang
};

// Returns a short lowercase name ("nrrd", "nifti-1", ...).
std::string_view DataFormatName(DataFormat format);

// Component (scalar) types an image header can declare.
enum class ComponentType : uint8_t {
  kUnknown, kInt8, kUInt8, kInt16, kUInt16, kInt32, kUInt32, kInt64, kUInt64,
  kFloat32, kFloat64,
};

// Returns the size in bytes of one component (0 for kUnknown).
uint32_t ComponentBytes(ComponentType type);
// Returns "uint8", "float32", ...
std::string_view ComponentTypeName(ComponentType type);

// An image header as ITK would present it: the size of each image axis (the
// component axis excluded) and the number of components per pixel.
struct ImageInfo {
  std::vector<uint64_t> sizes;    // one per image axis, ITK's order (fastest first)
  uint32_t components = 1;        // per pixel (NRRD range axis, MetaImage channels, NIfTI dim[5])
  ComponentType component = ComponentType::kUnknown;
  uint64_t total_bytes = 0;       // product of sizes x components x component bytes (checked)
};

struct DataFileResult {
  DataFormat format = DataFormat::kUnknown;
  // Files this one makes its reader open (NRRD "data file:", MetaImage
  // ElementDataFile, .vtm children, .hdr -> .img), relative to the data file's
  // folder as written; the pipeline resolves them like storage paths. Paths
  // this layer already refused (data.detached-outside) are not listed here
  // but in `refused_detached`, so they are reported once.
  std::vector<std::string> detached;
  std::vector<std::string> refused_detached;
  // The names were cut at DataFileView::detached_room (and reported).
  bool detached_room_reached = false;
  // Set when the header declares an image and parsed completely.
  std::optional<ImageInfo> image;
  // Bytes of payload the header declares for a detached, uncompressed data
  // file (NRRD raw, MetaImage uncompressed, .img); the pipeline can compare it
  // with the detached file's size. 0 when unknown.
  uint64_t detached_raw_bytes = 0;
  // Bytes of an attached compressed image payload: NRRD gzip/bzip2 data
  // after the header and byte skip, a whole .nii.gz, a MetaImage LOCAL
  // CompressedData payload. Unset when there is none.
  std::optional<uint64_t> compressed_payload_bytes;
  // The one detached data file holds a compressed payload (NRRD gzip/bzip2
  // "data file:", MetaImage CompressedData with ElementDataFile, .img.gz).
  bool detached_compressed = false;
  // Bytes the reader allocates beyond `image`: a mesh's points and cells, a
  // table's cells, markups control points, a segmentation's padded layers
  // (see docs/notes/data.md, "Load budget", for the bytes per point, cell and
  // row and the reader each comes from). From the counts the file declares;
  // where a format declares none (OBJ, text tables), an upper bound from the
  // file size. 0 when nothing is known. The pipeline adds it to the
  // scene-wide max_scene_load_bytes budget once per node that loads the file.
  uint64_t load_bytes = 0;
};

// Checks one data file. Findings use data.* rules. Never throws.
DataFileResult CheckDataFile(const DataFileView& file, FindingSink& sink);

// What CheckDataFile's findings and result depend on besides the file's
// bytes, size and list_member: the name's extension (and, for a NIfTI/Analyze
// .hdr, the base name its .img is derived from) and the part of the storage
// tag this layer reads (a tag it names, or only whether an unknown tag says
// "Markups" or "Annotation"). Two references with the same bytes and the same
// key are judged alike, so the pipeline reads a file once per key however
// many storage nodes name it. Every use of the name or the tag in this layer
// must be reflected here.
std::string ReadingKey(std::string_view name, std::string_view storage_tag);

// True when the checks of this file need the whole file, not only the first
// max_header_bytes: JSON files (markups label formats, shader code) and text
// tables, up to max_json_bytes. The pipeline should then pass the whole file
// as `prefix`; when it does not, CheckDataFile says so (data.header-incomplete).
bool WantsWholeFile(std::string_view name, std::string_view storage_tag, uint64_t total_size,
                    const Limits& limits);

// How many leading bytes of a file of `total_size` bytes CheckDataFile needs:
// all of them when WantsWholeFile, else at most max_header_bytes.
uint64_t BytesToJudge(std::string_view name, std::string_view storage_tag, uint64_t total_size,
                      const Limits& limits);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_DATA_DATA_FILE_H_
