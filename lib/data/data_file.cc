// SPDX-License-Identifier: BSD-3-Clause
// CheckDataFile: identify a data file by its content (identify.cc), judge the
// content against the extension and the storage class, refuse executables,
// and hand the file to the header reader of its format through the one
// dispatch table (kReaders below; one file per format: nrrd.cc, ...).
//
// Storage classes and the extensions they read: research/slicer-scene-loading.md
// §3.4 (InitializeSupportedReadFileTypes of each vtkMRML*StorageNode).

#include "data/data_file.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "bytes/byte_reader.h"
#include "data/data_internal.h"
#include "data/identify.h"

namespace mrmlguard::internal {

using data::Ctx;
using data::Identity;

std::string_view DataFormatName(DataFormat format) {
  switch (format) {
    case DataFormat::kUnknown: return "unknown";
    case DataFormat::kEmpty: return "empty";
    case DataFormat::kNrrd: return "nrrd";
    case DataFormat::kNifti1: return "nifti-1";
    case DataFormat::kAnalyze: return "analyze";
    case DataFormat::kNifti2: return "nifti-2";
    case DataFormat::kGzip: return "gzip";
    case DataFormat::kMetaImage: return "metaimage";
    case DataFormat::kVtkLegacy: return "vtk-legacy";
    case DataFormat::kVtkXml: return "vtk-xml";
    case DataFormat::kXml: return "xml";
    case DataFormat::kJson: return "json";
    case DataFormat::kHdf5: return "hdf5";
    case DataFormat::kMatlab: return "matlab";
    case DataFormat::kItkTransform: return "itk-transform";
    case DataFormat::kText: return "text";
    case DataFormat::kPng: return "png";
    case DataFormat::kJpeg: return "jpeg";
    case DataFormat::kTiff: return "tiff";
    case DataFormat::kBmp: return "bmp";
    case DataFormat::kDicom: return "dicom";
    case DataFormat::kZip: return "zip";
    case DataFormat::kExecutable: return "executable";
  }
  return "unknown";
}

uint32_t ComponentBytes(ComponentType type) {
  switch (type) {
    case ComponentType::kInt8:
    case ComponentType::kUInt8: return 1;
    case ComponentType::kInt16:
    case ComponentType::kUInt16: return 2;
    case ComponentType::kInt32:
    case ComponentType::kUInt32:
    case ComponentType::kFloat32: return 4;
    case ComponentType::kInt64:
    case ComponentType::kUInt64:
    case ComponentType::kFloat64: return 8;
    case ComponentType::kUnknown: return 0;
  }
  return 0;
}

std::string_view ComponentTypeName(ComponentType type) {
  switch (type) {
    case ComponentType::kInt8: return "int8";
    case ComponentType::kUInt8: return "uint8";
    case ComponentType::kInt16: return "int16";
    case ComponentType::kUInt16: return "uint16";
    case ComponentType::kInt32: return "int32";
    case ComponentType::kUInt32: return "uint32";
    case ComponentType::kInt64: return "int64";
    case ComponentType::kUInt64: return "uint64";
    case ComponentType::kFloat32: return "float32";
    case ComponentType::kFloat64: return "float64";
    case ComponentType::kUnknown: return "unknown";
  }
  return "unknown";
}

namespace {

using data::ExtensionOf;
using data::Quote;

using Formats = std::initializer_list<DataFormat>;

// Content formats each extension may hold. Extensions not listed are not
// judged by extension (the storage class still is).
bool ExpectedFormats(std::string_view ext, std::vector<DataFormat>* out) {
  struct Row {
    std::initializer_list<std::string_view> exts;
    Formats formats;
  };
  using F = DataFormat;
  static const Row kRows[] = {
      {{".nrrd", ".nhdr", ".seq.nrrd", ".seq.nhdr", ".seg.nrrd", ".seg.nhdr"}, {F::kNrrd}},
      {{".nii"}, {F::kNifti1, F::kNifti2}},
      {{".nii.gz", ".hdr.gz", ".img.gz", ".raw.gz", ".gz", ".mgz"}, {F::kGzip}},
      {{".hdr"}, {F::kNifti1, F::kAnalyze, F::kNifti2}},
      {{".mha", ".mhd", ".seq.mha", ".seq.mhd"}, {F::kMetaImage}},
      {{".vtk"}, {F::kVtkLegacy}},
      {{".vtp", ".vtu", ".vti", ".vts", ".vtr", ".vtm", ".seg.vtm"}, {F::kVtkXml}},
      {{".mrk.json", ".json", ".vp.json"}, {F::kJson}},
      {{".sp"}, {F::kJson, F::kText, F::kXml}},
      {{".fcsv", ".acsv", ".ctbl", ".csv", ".tsv", ".labels.csv", ".schema.csv", ".schema.tsv", ".vp"}, {F::kText}},
      {{".txt"}, {F::kText, F::kItkTransform, F::kEmpty}},
      {{".tfm"}, {F::kItkTransform}},
      {{".h5", ".hdf5"}, {F::kHdf5}},
      {{".mat"}, {F::kMatlab, F::kHdf5}},
      {{".png"}, {F::kPng}},
      {{".jpg", ".jpeg"}, {F::kJpeg}},
      {{".tif", ".tiff"}, {F::kTiff}},
      {{".bmp"}, {F::kBmp}},
      {{".mrml", ".seq.mrml", ".xml", ".cxml"}, {F::kXml}},
      {{".mrb", ".seq.mrb", ".zip"}, {F::kZip}},
      {{".dcm"}, {F::kDicom, F::kUnknown}},
      // Headerless or formats we do not read: any content but executables.
      {{".raw", ".img", ".zraw", ".stl", ".ply", ".obj", ".g", ".byu", ".ucd", ".meta"},
       {F::kUnknown, F::kText, F::kEmpty}},
  };
  for (const Row& row : kRows) {
    if (std::find(row.exts.begin(), row.exts.end(), ext) != row.exts.end()) {
      out->assign(row.formats.begin(), row.formats.end());
      return true;
    }
  }
  return false;
}

// Storage classes with a fixed extension list (§3.4). nullptr: not a class
// with a list ("any extension" classes and tags we do not know).
const std::initializer_list<std::string_view>* StorageExtensions(std::string_view tag) {
  struct Row {
    std::initializer_list<std::string_view> tags;
    std::initializer_list<std::string_view> exts;
  };
  static const Row kRows[] = {
      {{"NRRDStorage"}, {".nrrd", ".nhdr", ".seq.nrrd", ".seg.nrrd", ".seq.nhdr", ".seg.nhdr"}},
      {{"ModelStorage"}, {".vtk", ".vtp", ".vtu", ".g", ".byu", ".meta", ".stl", ".ply", ".ucd", ".obj"}},
      {{"ColorTableStorage"}, {".labels.csv", ".csv", ".ctbl", ".txt"}},
      {{"ProceduralColorStorage"}, {".cxml", ".txt"}},
      {{"MarkupsFiducialStorage"}, {".fcsv", ".acsv"}},
      {{"SegmentationStorage"},
       {".seg.nrrd", ".seg.nhdr", ".seg.vtm", ".nrrd", ".nhdr", ".vtm", ".nii.gz", ".hdr", ".nii"}},
      {{"SequenceStorage"}, {".seq.mrb", ".mrb", ".seq.mrml", ".mrml"}},
      {{"VolumeSequenceStorage", "TransformSequenceStorage"}, {".seq.nrrd", ".seq.nhdr", ".nrrd", ".nhdr"}},
      {{"LinearTransformSequenceStorage"}, {".seq.mhd", ".seq.mha", ".mha", ".mhd"}},
      {{"TableStorage"}, {".tsv", ".csv", ".txt", ".schema.tsv", ".schema.csv"}},
      {{"HierarchyStorage"}, {".txt"}},
      {{"SceneViewStorage", "AnnotationSnapshotStorage"}, {".png", ".jpg", ".jpeg", ".tiff", ".tif", ".bmp"}},
      {{"AnnotationStorage", "AnnotationFiducialsStorage", "AnnotationControlPointsStorage", "AnnotationLinesStorage",
        "AnnotationRulerStorage", "AnnotationROIStorage"},
       {".acsv", ".txt"}},
      {{"MarkupsJsonStorage", "MarkupsPlaneJsonStorage", "MarkupsROIJsonStorage"}, {".mrk.json", ".json"}},
      {{"VolumePropertyStorage"}, {".vp"}},
      {{"VolumePropertyJsonStorage"}, {".vp.json", ".json"}},
      {{"ShaderPropertyStorage"}, {".sp"}},
  };
  for (const Row& row : kRows) {
    if (std::find(row.tags.begin(), row.tags.end(), tag) != row.tags.end()) return &row.exts;
  }
  return nullptr;
}

// "Any extension" classes read whatever ITK (volumes) or ITK's transform IO
// reads; content that is certainly none of those is a mismatch.
bool AnyExtensionClassRefuses(std::string_view tag, DataFormat f) {
  using F = DataFormat;
  if (tag == "VolumeArchetypeStorage") {
    return f == F::kJson || f == F::kXml || f == F::kZip || f == F::kItkTransform || f == F::kMatlab ||
           f == F::kVtkXml || f == F::kEmpty;
  }
  if (tag == "TransformStorage") {
    return f == F::kJson || f == F::kXml || f == F::kZip || f == F::kVtkLegacy || f == F::kVtkXml ||
           f == F::kPng || f == F::kJpeg || f == F::kTiff || f == F::kBmp || f == F::kDicom || f == F::kEmpty;
  }
  if (tag == "TextStorage") return f == F::kZip || f == F::kEmpty ? false : (f != F::kText && f != F::kXml && f != F::kJson);
  return false;
}

bool IsColorTableText(const DataFileView& file, std::string_view ext) {
  if (file.storage_tag == "ColorTableStorage" || file.storage_tag == "ProceduralColorStorage" || ext == ".ctbl" ||
      ext == ".labels.csv") {
    return true;
  }
  if (!file.storage_tag.empty()) return false;
  // Unknown reader: a .txt/.csv whose first data line is a color line.
  data::LineReader lines(file.prefix.first(std::min<size_t>(file.prefix.size(), 8192)));
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view l = data::Trim(*raw);
    if (l.empty() || l.front() == '#') continue;
    if (ext == ".csv") return l.find("Color_R") != std::string_view::npos;
    std::vector<std::string_view> w = data::SplitWords(l, 8);
    return (w.size() == 5 || w.size() == 6) && data::ParseInt(w[0]) && data::ParseInt(w[2]) &&
           data::ParseInt(w[3]) && data::ParseInt(w[4]);
  }
  return false;
}

// What CheckDataFile knows when it hands a file to its reader.
struct Route {
  const Identity& id;
  std::string_view ext;  // ExtensionOf(name)
  bool by_extension;     // the extension has a list of expected formats
  bool mismatch;         // the content is not one the extension holds (reported)
};

bool IsShaderFile(const Ctx& ctx, const Route& route) {
  return ctx.file.storage_tag == "ShaderPropertyStorage" || route.ext == ".sp";
}

// Text that is none of the identified text formats: markups CSV, color
// tables or shader code, by extension and storage class.
// A delimited text table vtkMRMLTableStorageNode reads (its storage class,
// or a .csv/.tsv no other reader claimed).
bool IsTable(const DataFileView& file, std::string_view ext) {
  if (file.storage_tag == "TableStorage") return true;
  return file.storage_tag.empty() && (ext == ".csv" || ext == ".tsv" || ext == ".schema.csv" || ext == ".schema.tsv");
}

void ReadPlainText(Ctx& ctx, const Route& route) {
  const DataFileView& file = ctx.file;
  if (route.ext == ".fcsv" || route.ext == ".acsv" || file.storage_tag == "MarkupsFiducialStorage" ||
      file.storage_tag.find("Annotation") != std::string_view::npos) {
    data::ReadMarkupsCsv(ctx);
  } else if (IsColorTableText(file, route.ext)) {
    data::ReadColorTable(ctx);
  } else if (IsShaderFile(ctx, route)) {
    ctx.sink.Add(Rule::kDataExecutable, {}, "shader property file (GLSL that Slicer compiles)");
  } else if (IsTable(file, route.ext)) {
    // vtkMRMLTableStorageNode::GetFieldDelimiterCharacters: tab for .tsv and
    // .txt, comma for .csv.
    data::BoundTable(ctx, data::EndsWith(route.ext, ".csv") ? ',' : '\t');
  }
}

// Meshes VTK reads by extension whatever the content
// (vtkMRMLModelStorageNode::ReadDataInternal), when the content is not a
// format identified above: the memory their counts (or sizes) ask for, see
// load_bounds.cc.
void ReadMeshByExtension(Ctx& ctx, const Route& route) {
  if (route.mismatch || (route.id.format != DataFormat::kUnknown && route.id.format != DataFormat::kText)) return;
  if (route.ext == ".stl") {
    data::ReadStl(ctx);
  } else if (route.ext == ".ply" && ctx.file.prefix.size() >= 3 && ctx.file.prefix[0] == 'p' &&
             ctx.file.prefix[1] == 'l' && ctx.file.prefix[2] == 'y') {
    // vtkPLY::ply_read: the file must start with "ply"; anything else is not read.
    data::ReadPly(ctx);
  } else if (route.ext == ".obj") {
    data::BoundObj(ctx);
  }
}

// The one dispatch table: the reader of each identified format. Formats
// without a row (empty, ZIP, MATLAB, executables) have no header to read here.
struct ReaderRow {
  DataFormat format;
  void (*read)(Ctx& ctx, const Route& route);
};
constexpr ReaderRow kReaders[] = {
    {DataFormat::kNrrd, [](Ctx& ctx, const Route&) { data::ReadNrrd(ctx); }},
    {DataFormat::kMetaImage, [](Ctx& ctx, const Route&) { data::ReadMetaImage(ctx); }},
    {DataFormat::kNifti1, [](Ctx& ctx, const Route&) { data::ReadNifti1(ctx, ctx.file.prefix, false, false); }},
    {DataFormat::kAnalyze, [](Ctx& ctx, const Route&) { data::ReadNifti1(ctx, ctx.file.prefix, false, true); }},
    {DataFormat::kNifti2, [](Ctx& ctx, const Route&) { data::ReadNifti2(ctx, ctx.file.prefix, false); }},
    {DataFormat::kGzip, [](Ctx& ctx, const Route&) { data::ReadGzip(ctx); }},
    {DataFormat::kVtkLegacy, [](Ctx& ctx, const Route&) { data::ReadVtkLegacy(ctx); }},
    {DataFormat::kVtkXml, [](Ctx& ctx, const Route&) { data::ReadVtkXml(ctx); }},
    {DataFormat::kJson, [](Ctx& ctx, const Route&) { data::ReadJson(ctx); }},
    {DataFormat::kItkTransform, [](Ctx& ctx, const Route&) { data::ReadItkTransform(ctx); }},
    {DataFormat::kHdf5, [](Ctx& ctx, const Route& route) { data::ReadHdf5(ctx, route.id.offset); }},
    {DataFormat::kPng, [](Ctx& ctx, const Route&) { data::ReadPng(ctx); }},
    {DataFormat::kBmp, [](Ctx& ctx, const Route&) { data::ReadBmp(ctx); }},
    {DataFormat::kTiff, [](Ctx& ctx, const Route&) { data::ReadTiff(ctx); }},
    {DataFormat::kJpeg, [](Ctx& ctx, const Route&) { data::ReadJpeg(ctx); }},
    {DataFormat::kDicom, [](Ctx& ctx, const Route&) { data::ReadDicom(ctx); }},
    {DataFormat::kText, ReadPlainText},
    {DataFormat::kXml,
     [](Ctx& ctx, const Route& route) {
       if (IsShaderFile(ctx, route)) {
         ctx.sink.Add(Rule::kDataExecutable, {}, "shader property file (GLSL that Slicer compiles)");
       }
     }},
    {DataFormat::kUnknown,
     [](Ctx& ctx, const Route& route) {
       if (!route.by_extension && !route.mismatch) {
         ctx.sink.Add(Rule::kDataFormatUnknown, {},
                      "content of " + Quote(ctx.file.name) + " is not a format mrmlguard reads; only executable checks ran");
       }
     }},
};

}  // namespace

std::string ReadingKey(std::string_view name, std::string_view storage_tag) {
  std::string key = ExtensionOf(name);
  if (key == ".hdr" || key == ".hdr.gz") {
    size_t slash = name.find_last_of("/\\");
    key += '|';
    key += slash == std::string_view::npos ? name : name.substr(slash + 1);
  }
  key += '|';
  const bool named = storage_tag.empty() || StorageExtensions(storage_tag) != nullptr ||
                     storage_tag == "VolumeArchetypeStorage" || storage_tag == "TransformStorage" ||
                     storage_tag == "TextStorage";
  if (named) {
    key += storage_tag;
  } else {
    key += '?';
    if (storage_tag.find("Markups") != std::string_view::npos) key += 'M';
    if (storage_tag.find("Annotation") != std::string_view::npos) key += 'A';
  }
  return key;
}

bool WantsWholeFile(std::string_view name, std::string_view storage_tag, uint64_t total_size, const Limits& limits) {
  std::string ext = ExtensionOf(name);
  bool text = ext == ".mrk.json" || ext == ".json" || ext == ".vp.json" || ext == ".sp" || ext == ".fcsv" ||
              ext == ".acsv" || ext == ".ctbl" || ext == ".vtm" || ext == ".seg.vtm" || ext == ".csv" ||
              ext == ".tsv" || storage_tag == "TableStorage" ||
              storage_tag == "ShaderPropertyStorage" || storage_tag == "ColorTableStorage" ||
              storage_tag.find("Markups") != std::string_view::npos;
  return text && total_size <= limits.max_json_bytes;
}

uint64_t BytesToJudge(std::string_view name, std::string_view storage_tag, uint64_t total_size,
                      const Limits& limits) {
  return WantsWholeFile(name, storage_tag, total_size, limits) ? total_size
                                                               : std::min(total_size, limits.max_header_bytes);
}

DataFileResult CheckDataFile(const DataFileView& file, FindingSink& sink) {
  DataFileResult result;
  Ctx ctx{file, sink, result};
  std::string ext = ExtensionOf(file.name);
  if (file.prefix.size() > file.total_size) {
    sink.Add(Rule::kDataHeaderMalformed, {}, "internal: more header bytes than the file holds");
    return result;
  }
  Identity id = data::Identify(file.prefix, ext);
  result.format = id.format;

  if (id.format == DataFormat::kExecutable) {
    sink.Add(Rule::kDataExecutable, {.offset = 0}, "file " + Quote(file.name) + " is " + id.executable);
    return result;
  }
  bool text_like = id.format == DataFormat::kText || id.format == DataFormat::kMetaImage ||
                   id.format == DataFormat::kJson || id.format == DataFormat::kXml;
  bool script = text_like && ext != ".py" && data::ScriptScore(file.prefix) >= 2;
  if (script && file.storage_tag != "TextStorage") {
    sink.Add(Rule::kDataExecutable, {.offset = 0},
             "file " + Quote(file.name) + " reads like a Python or shell script, not " +
                 (ext.empty() ? std::string("data") : ext + " data"));
    return result;
  }

  // Content against extension.
  std::vector<DataFormat> expected;
  bool mismatch = false;
  if (ExpectedFormats(ext, &expected) &&
      std::find(expected.begin(), expected.end(), id.format) == expected.end()) {
    mismatch = true;
    sink.Add(Rule::kDataMagicMismatch, {.offset = 0},
             "a " + ext + " file whose content is " + std::string(DataFormatName(id.format)));
  }
  // Extension and content against the storage class.
  if (file.list_member) {
    // Read by the main file's reader, by its own format: see DataFileView.
  } else if (const auto* exts = StorageExtensions(file.storage_tag)) {
    bool listed = false;
    for (std::string_view e : *exts) listed = listed || e == ext;
    if (!listed) {
      sink.Add(Rule::kDataMagicMismatch, {},
               std::string(file.storage_tag) + " does not read " + (ext.empty() ? "files without an extension" : ext) +
                   " files");
    }
  } else if (!mismatch && AnyExtensionClassRefuses(file.storage_tag, id.format)) {
    sink.Add(Rule::kDataMagicMismatch, {.offset = 0},
             std::string(file.storage_tag) + " cannot read " + std::string(DataFormatName(id.format)) + " content");
  }

  // A volume in a format we do not identify: ITK may still read it (GIPL,
  // MRC, LSM, Stimulate ...), so it is not a mismatch, but nothing was checked.
  if (!mismatch && file.storage_tag == "VolumeArchetypeStorage" &&
      (id.format == DataFormat::kText || (id.format == DataFormat::kUnknown && !expected.empty()))) {
    sink.Add(Rule::kDataFormatUnknown, {},
             "VolumeArchetypeStorage file " + Quote(file.name) + " is in no image format mrmlguard reads");
  }

  Route route{.id = id, .ext = ext, .by_extension = !expected.empty(), .mismatch = mismatch};
  for (const ReaderRow& row : kReaders) {
    if (row.format == id.format) row.read(ctx, route);
  }
  ReadMeshByExtension(ctx, route);
  // A labelmap SegmentationStorage reads: what its header makes Slicer
  // allocate per layer and label (segmentation.cc).
  if (result.image && (file.storage_tag == "SegmentationStorage" || ext == ".seg.nrrd" || ext == ".seg.nhdr")) {
    data::CheckSegmentation(ctx, id.format == DataFormat::kNrrd);
  }
  return result;
}

}  // namespace mrmlguard::internal
