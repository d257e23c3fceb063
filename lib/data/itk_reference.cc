// SPDX-License-Identifier: BSD-3-Clause
// ITK reference reader: ImageIOBase::ReadImageInformation only.
//
// The ImageIO objects are created directly (NrrdImageIO::New() ...) rather
// than through ImageIOFactory, so nothing is registered in ITK's global
// object factory and the choice of reader follows our identification.

#include "data/itk_reference.h"

#include <cctype>
#include <exception>
#include <string>
#include <vector>

#include <itkImageIOBase.h>
#include <itkMacro.h>  // itk::ExceptionObject
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

namespace mrmlguard::internal {
namespace {

ComponentType FromItk(const itk::ImageIOBase* io) {
  using E = itk::IOComponentEnum;
  const size_t size = io->GetComponentSize();
  switch (io->GetComponentType()) {
    case E::UCHAR: return ComponentType::kUInt8;
    case E::CHAR: return ComponentType::kInt8;
    case E::USHORT: return ComponentType::kUInt16;
    case E::SHORT: return ComponentType::kInt16;
    case E::UINT: return ComponentType::kUInt32;
    case E::INT: return ComponentType::kInt32;
    case E::ULONG:
    case E::ULONGLONG: return size == 8 ? ComponentType::kUInt64 : ComponentType::kUInt32;
    case E::LONG:
    case E::LONGLONG: return size == 8 ? ComponentType::kInt64 : ComponentType::kInt32;
    case E::FLOAT: return ComponentType::kFloat32;
    case E::DOUBLE: return ComponentType::kFloat64;
    default: return ComponentType::kUnknown;
  }
}

// ITK's text for an exception, made stable and short: the description
// without the source location, without "itk::ERROR: " and the object address
// ("NrrdImageIO(0x55d1...): ", different on every run), on one line: the first
// line says what ITK was doing, the last is Teem's innermost reason.
std::string Describe(const std::exception& e) {
  const auto* itk_error = dynamic_cast<const itk::ExceptionObject*>(&e);
  std::string s = itk_error != nullptr ? std::string(itk_error->GetDescription()) : std::string(e.what());
  if (s.starts_with("itk::ERROR: ")) s.erase(0, 12);
  for (size_t at = s.find("(0x"); at != std::string::npos; at = s.find("(0x", at)) {
    size_t end = at + 3;
    while (end < s.size() && std::isxdigit(static_cast<unsigned char>(s[end])) != 0) ++end;
    if (end < s.size() && s[end] == ')') {
      s.erase(at, end + 1 - at);
    } else {
      at = end;
    }
  }
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    std::string line = s.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  std::string out = lines.empty() ? std::string("no description") : lines.front();
  if (lines.size() > 1) out += " ... " + lines.back();
  if (out.size() > 300) out = out.substr(0, 300) + "...";
  return out;
}

std::vector<uint64_t> Significant(std::vector<uint64_t> sizes) {
  while (sizes.size() > 1 && sizes.back() == 1) sizes.pop_back();
  return sizes;
}

std::string Join(const std::vector<uint64_t>& v) {
  std::string s;
  for (uint64_t x : v) s += (s.empty() ? "" : "x") + std::to_string(x);
  return s;
}

}  // namespace

ItkHeader ReadHeaderWithItk(const std::string& path, DataFormat format) {
  ItkHeader out;
  try {
    itk::ImageIOBase::Pointer io;
    switch (format) {
      case DataFormat::kNrrd: io = itk::NrrdImageIO::New(); break;
      case DataFormat::kMetaImage: io = itk::MetaImageIO::New(); break;
      case DataFormat::kNifti1:
      case DataFormat::kNifti2:
      case DataFormat::kAnalyze:
      case DataFormat::kGzip: io = itk::NiftiImageIO::New(); break;
      default:
        out.error = "no ITK image reader for this format here";
        return out;
    }
    out.io_name = io->GetNameOfClass();
    if (!io->CanReadFile(path.c_str())) {
      out.error = out.io_name + " cannot read the file";
      return out;
    }
    io->SetFileName(path);
    io->ReadImageInformation();
    for (unsigned i = 0; i < io->GetNumberOfDimensions(); ++i) out.image.sizes.push_back(io->GetDimensions(i));
    out.image.components = io->GetNumberOfComponents();
    out.image.component = FromItk(io.GetPointer());
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = Describe(e);
  } catch (...) {
    out.error = "ITK threw a non-standard exception";
  }
  return out;
}

std::string CompareImageHeaders(const ImageInfo& ours, const ImageInfo& itk) {
  std::string diff;
  if (ours.component != itk.component) {
    diff += std::string("component type ") + std::string(ComponentTypeName(ours.component)) + " vs ITK " +
            std::string(ComponentTypeName(itk.component)) + "; ";
  }
  if (ours.components != itk.components) {
    diff += "components " + std::to_string(ours.components) + " vs ITK " + std::to_string(itk.components) + "; ";
  }
  std::vector<uint64_t> a = Significant(ours.sizes), b = Significant(itk.sizes);
  if (a != b) diff += "sizes " + Join(ours.sizes) + " vs ITK " + Join(itk.sizes) + "; ";
  if (!diff.empty()) diff.resize(diff.size() - 2);
  return diff;
}

bool JudgeItkHeader(const ItkHeader& itk, const DataFileResult& ours, FindingSink& sink) {
  if (!ours.image) return true;  // our reader refused or found no image: its findings say why
  if (!itk.ok) {
    sink.Add(Rule::kDataItkDisagrees, {}, "ITK refuses a header mrmlguard accepts: " + itk.error);
    return false;
  }
  std::string diff = CompareImageHeaders(*ours.image, itk.image);
  if (!diff.empty()) {
    sink.Add(Rule::kDataItkDisagrees, {}, "ITK " + itk.io_name + " reads the header differently: " + diff);
    return false;
  }
  return true;
}

bool DeepCheckWithItk(const std::string& path, const DataFileResult& ours, FindingSink& sink) {
  if (!ours.image) return true;
  return JudgeItkHeader(ReadHeaderWithItk(path, ours.format), ours, sink);
}

void SilenceItkWarnings() { itk::Object::GlobalWarningDisplayOff(); }

}  // namespace mrmlguard::internal
