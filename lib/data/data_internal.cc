// SPDX-License-Identifier: BSD-3-Clause
// Shared helpers of the data-file readers (data_internal.h): lines, paths,
// printf formats, checked image sizes, file-name patterns.

#include <algorithm>
#include <cstring>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"
#include "findings/quote.h"
#include "text/slicer_path.h"

namespace mrmlguard::internal::data {

std::optional<std::string_view> LineReader::Next() {
  if (reader_.empty()) return std::nullopt;
  // Look for the end of the line in what is left; memchr stays inside the
  // span ByteReader hands out, and Chars() takes the bytes (bounds-checked).
  std::span<const uint8_t> rest = reader_.Rest();
  const void* nl = std::memchr(rest.data(), '\n', rest.size());
  size_t length = nl ? static_cast<size_t>(static_cast<const uint8_t*>(nl) - rest.data()) : rest.size();
  std::string_view line = reader_.Chars(length);
  terminated_ = nl != nullptr;
  if (terminated_) reader_.Skip(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_;
  return line;
}

// Messages quote untrusted text with the one shared quoting rule
// (findings/quote.h), cut shorter than elsewhere: data-file lines are long.
std::string Quote(std::string_view s) { return internal::Quote(s, 80); }

std::string ExtensionOf(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  std::string base = Lower(slash == std::string_view::npos ? name : name.substr(slash + 1));
  // Compound extensions first: the second dot decides the reader.
  static constexpr std::string_view kCompound[] = {
      ".nii.gz", ".seq.nrrd", ".seq.nhdr", ".seg.nrrd", ".seg.nhdr", ".seg.vtm", ".seq.mha", ".seq.mhd",
      ".mrk.json", ".vp.json", ".raw.gz", ".labels.csv", ".schema.csv", ".schema.tsv", ".seq.mrb",
      ".seq.mrml", ".img.gz", ".hdr.gz"};
  for (std::string_view ext : kCompound) {
    if (EndsWith(base, ext) && base.size() > ext.size()) return std::string(ext);
  }
  size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  return base.substr(dot);
}

// Slicer's reading of the name (text/slicer_path.h), shared with the scene
// and bundle layers, so a name is refused here for the same reason there.
// Two kinds are stricter than the readers of detached files need: Teem and
// MetaIO hand "~/x" and "1:x" to fopen joined to the header's folder (no
// home expansion; ':' past the first byte names an NTFS stream on Windows).
// They are refused anyway: the pipeline resolves detached names with
// ResolveInBundle, which must refuse both for storage paths.
std::string DetachedPathProblem(std::string_view path) {
  if (path.empty()) return "is empty";
  text::PathReading reading = text::ReadSlicerPath(path);
  if (reading.has_nul) return "contains a NUL byte";
  if (reading.kind != text::PathKind::kRelative) return std::string(text::DescribeKind(reading.kind));
  // Any ".." component climbs: the pipeline resolves the rest against the
  // bundle or the scene folder, and a data header has no reason to leave its folder.
  if (reading.climbs) return "climbs with \"..\"";
  return "";
}

// False, with the finding once per check, when the check may look up no
// more detached names (max_total_detached_files).
bool DetachedRoomLeft(Ctx& ctx, uint64_t more, std::string_view field, uint32_t line) {
  uint64_t total = 0;
  if (CheckedAdd(static_cast<uint64_t>(ctx.result.detached.size()), more, &total) &&
      total <= ctx.file.detached_room) {
    return true;
  }
  if (!ctx.result.detached_room_reached && !ctx.file.detached_room_reported) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_total_detached_files",
                          ctx.limits().max_total_detached_files, {.line = line},
                          "by " + std::string(field) + ": the data headers this check read name more files");
  }
  ctx.result.detached_room_reached = true;
  return false;
}

bool AddDetached(Ctx& ctx, std::string_view path, std::string_view field, uint32_t line) {
  if (!DetachedRoomLeft(ctx, 1, field, line)) return false;
  // One bound for the whole file, whatever mix of fields names the files: a
  // header repeating a pattern line must not multiply the limit.
  if (ctx.result.detached.size() >= ctx.limits().max_detached_files) {
    if (!ctx.detached_capped) {
      ctx.detached_capped = true;
      ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                            {.line = line}, "by " + std::string(field) + " naming more files in total");
    }
    return false;
  }
  // PATH_MAX: no reader opens a longer name, and the bound keeps a list of
  // max_detached_files names small (a pattern repeats its literal part).
  if (path.size() > kMaxDetachedNameBytes) {
    ctx.sink.Add(Rule::kDataHeaderRange, {.line = line},
                 std::string(field) + " name of " + std::to_string(path.size()) + " bytes is longer than " +
                     std::to_string(kMaxDetachedNameBytes));
    ctx.result.refused_detached.emplace_back(path.substr(0, 64));
    return false;
  }
  std::string problem = DetachedPathProblem(path);
  if (problem.empty()) {
    ctx.result.detached.emplace_back(path);
    return true;
  }
  ctx.sink.Add(Rule::kDataDetachedOutside, {.line = line},
               std::string(field) + " " + Quote(path) + " " + problem);
  ctx.result.refused_detached.emplace_back(path);
  return false;
}

// printf conversion specification grammar (C17 7.21.6.1): % [flags] [width]
// [.precision] [length] conversion. We accept a strict subset.
std::string FormatProblem(std::string_view format, const FormatRule& rule) {
  int conversions = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    size_t start = i++;
    if (i < format.size() && format[i] == '%') continue;  // literal percent
    while (i < format.size() && std::strchr("-+ #0", format[i]) != nullptr && format[i] != '\0') ++i;
    size_t digits = 0;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
      ++i;
      ++digits;
    }
    if (i < format.size() && format[i] == '$') return "uses a positional argument ($)";
    if (i < format.size() && format[i] == '*') return "takes its width from an argument (*)";
    if (digits > 3) return "has a width over 3 digits";
    if (i < format.size() && format[i] == '.') {
      ++i;
      if (i < format.size() && format[i] == '*') return "takes its precision from an argument (*)";
      digits = 0;
      while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
        ++i;
        ++digits;
      }
      if (digits > 3) return "has a precision over 3 digits";
    }
    bool length = false;
    while (i < format.size() && std::strchr("hlLqjzt", format[i]) != nullptr && format[i] != '\0') {
      ++i;
      length = true;
    }
    if (i >= format.size()) return "ends inside a conversion";
    char conv = format[i];
    std::string spec(format.substr(start, i - start + 1));
    if (conv == 'n') return "writes to memory with " + Quote(spec);
    std::string_view allowed = conversions == 0 ? rule.conversions : rule.second;
    if (conversions >= rule.max_conversions || allowed.find(conv) == std::string_view::npos) {
      return "has a conversion " + Quote(spec) + " that reads an argument the caller does not pass";
    }
    if (length && !(rule.allow_int_length && std::string_view("diouxX").find(conv) != std::string_view::npos)) {
      return "has a length modifier in " + Quote(spec);
    }
    ++conversions;
  }
  return "";
}

std::optional<uint64_t> CheckedImageBytes(Ctx& ctx, const std::vector<uint64_t>& sizes, uint64_t components,
                                          uint32_t component_bytes, std::string_view what) {
  uint64_t total = components;
  bool overflow = false;
  for (uint64_t s : sizes) overflow = overflow || !CheckedMul(total, s, &total);
  overflow = overflow || !CheckedMul(total, static_cast<uint64_t>(component_bytes), &total);
  const uint64_t limit = ctx.limits().max_image_bytes;
  std::string dims;
  for (uint64_t s : sizes) dims += (dims.empty() ? "" : "x") + std::to_string(s);
  if (overflow) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_image_bytes", limit, {},
                          std::string("by ") + std::string(what) + " sizes " + dims +
                              " (the allocation overflows 64 bits)");
    return std::nullopt;
  }
  if (total > limit) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_image_bytes", limit, {},
                          std::string("by ") + std::string(what) + " sizes " + dims + " x " +
                              std::to_string(components) + " components x " + std::to_string(component_bytes) +
                              " bytes = " + std::to_string(total) + " bytes");
    return std::nullopt;
  }
  return total;
}

// Formats `value` with one validated integer conversion (flags, width,
// precision, d/i/u/o/x/X) by hand: the file's format string never reaches printf.
static std::string FormatOne(std::string_view spec, int64_t value) {
  // spec starts after '%'.
  bool left = false, zero = false, plus = false, space = false;
  size_t i = 0;
  while (i < spec.size() && std::strchr("-+ #0", spec[i]) != nullptr && spec[i] != '\0') {
    left = left || spec[i] == '-';
    zero = zero || spec[i] == '0';
    plus = plus || spec[i] == '+';
    space = space || spec[i] == ' ';
    ++i;
  }
  size_t width = 0, precision = 0;
  bool has_precision = false;
  while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') width = width * 10 + static_cast<size_t>(spec[i++] - '0');
  if (i < spec.size() && spec[i] == '.') {
    has_precision = true;
    ++i;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') {
      precision = precision * 10 + static_cast<size_t>(spec[i++] - '0');
    }
  }
  while (i < spec.size() && std::strchr("hlLqjzt", spec[i]) != nullptr && spec[i] != '\0') ++i;
  char conv = i < spec.size() ? spec[i] : 'd';
  int base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
  bool negative = value < 0 && (conv == 'd' || conv == 'i');
  uint64_t magnitude = negative ? static_cast<uint64_t>(0) - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits;
  const char* alphabet = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits.insert(digits.begin(), alphabet[magnitude % static_cast<uint64_t>(base)]);
    magnitude /= static_cast<uint64_t>(base);
  } while (magnitude > 0);
  if (has_precision && digits.size() < precision) digits.insert(0, precision - digits.size(), '0');
  std::string sign = negative ? "-" : (plus ? "+" : (space ? " " : ""));
  std::string body = sign + digits;
  if (body.size() < width) {
    if (left) {
      body.append(width - body.size(), ' ');
    } else if (zero && !has_precision) {
      body.insert(sign.size(), width - body.size(), '0');
    } else {
      body.insert(0, width - body.size(), ' ');
    }
  }
  return body;
}

void ExpandPattern(Ctx& ctx, std::string_view format, int64_t min, int64_t max, int64_t step,
                   std::string_view field, uint32_t line) {
  FormatRule rule{.conversions = "diuoxX", .max_conversions = 1, .allow_int_length = false};
  std::string problem = FormatProblem(format, rule);
  if (!problem.empty()) {
    ctx.sink.Add(Rule::kDataFormatString, {.line = line},
                 std::string(field) + " pattern " + Quote(format) + " " + problem);
    return;
  }
  // Locate the one conversion (FormatProblem accepted at most one).
  size_t conv_start = std::string_view::npos, conv_end = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    conv_start = i;
    size_t j = i + 1;
    while (j < format.size() && std::string_view("diuoxX").find(format[j]) == std::string_view::npos) ++j;
    conv_end = j;
    break;
  }
  auto unescape = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      out += s[i];
      if (s[i] == '%' && i + 1 < s.size() && s[i + 1] == '%') ++i;
    }
    return out;
  };
  if (conv_start == std::string_view::npos) {
    ctx.sink.Add(Rule::kDataHeaderMalformed, {.line = line},
                 std::string(field) + " pattern " + Quote(format) + " has no integer conversion");
    return;
  }
  if (step == 0 || (step > 0 && max < min) || (step < 0 && max > min)) {
    ctx.sink.Add(Rule::kDataHeaderRange, {.line = line},
                 std::string(field) + " pattern range " + std::to_string(min) + ".." + std::to_string(max) +
                     " step " + std::to_string(step) + " names no file");
    return;
  }
  // count = (max - min) / step + 1, in unsigned arithmetic so nothing overflows.
  uint64_t span = step > 0 ? static_cast<uint64_t>(max) - static_cast<uint64_t>(min)
                           : static_cast<uint64_t>(min) - static_cast<uint64_t>(max);
  uint64_t abs_step = step > 0 ? static_cast<uint64_t>(step) : static_cast<uint64_t>(0) - static_cast<uint64_t>(step);
  uint64_t count = 0;
  if (!CheckedAdd(span / abs_step, static_cast<uint64_t>(1), &count)) count = UINT64_MAX;
  std::string prefix = unescape(format.substr(0, conv_start));
  std::string suffix = unescape(format.substr(conv_end + 1));
  std::string_view spec = format.substr(conv_start + 1, conv_end - conv_start);
  if (count > ctx.limits().max_detached_files) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                          {.line = line},
                          std::string("by ") + std::string(field) + " pattern " + Quote(format) + " naming " +
                              std::to_string(count) + " files");
    // Still judge where the names point: the literal parts decide that.
    AddDetached(ctx, prefix + FormatOne(spec, min) + suffix, field, line);
    return;
  }
  // Past the check's total, not one name is made (each would be looked up).
  if (!DetachedRoomLeft(ctx, count, field, line)) return;
  int64_t value = min;
  for (uint64_t k = 0; k < count; ++k) {
    // The literal parts are the same for every name: one refusal says it all.
    if (!AddDetached(ctx, prefix + FormatOne(spec, value) + suffix, field, line)) return;
    value = static_cast<int64_t>(static_cast<uint64_t>(value) + static_cast<uint64_t>(step));
  }
}

namespace {

// vtkMRMLMarkupsNode::GenerateControlPointLabel: the label format with %N
// replaced by the node name is passed to snprintf with one int.
constexpr FormatRule kLabelRule{.conversions = "diuoxX", .max_conversions = 1};

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
  return s;
}

}  // namespace

void CheckLabelFormat(Ctx& ctx, std::string_view label_format, std::string_view name, std::string_view where,
                      std::optional<uint64_t> offset) {
  std::string effective = ReplaceAll(std::string(label_format), "%N", name);
  std::string problem = FormatProblem(effective, kLabelRule);
  if (!problem.empty()) {
    ctx.Add(Rule::kDataFormatString, offset,
            std::string(where) + " label format " + Quote(label_format) + " with name " + Quote(name) + " " + problem);
  }
}

void HeaderNotTerminated(Ctx& ctx, std::string_view what) {
  if (ctx.file.prefix.size() >= ctx.limits().max_header_bytes) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_header_bytes", ctx.limits().max_header_bytes, {},
                          std::string("before the end of the ") + std::string(what) + " header");
  } else {
    ctx.Add(Rule::kDataHeaderIncomplete, ctx.file.prefix.size(),
            std::string("the ") + std::string(what) + " header does not end in the " +
                std::to_string(ctx.file.prefix.size()) + " bytes given");
  }
}

}  // namespace mrmlguard::internal::data
