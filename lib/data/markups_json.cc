// SPDX-License-Identifier: BSD-3-Clause
// JSON data files: markups (.mrk.json, Slicer's markups-schema-v1.0.0.json:
// labelFormat, name, measurements[].printFormat), volume property (.vp.json)
// and shader property (.sp) files, read with json_reader.h.

#include <algorithm>
#include <string>

#include "data/data_internal.h"
#include "data/json_reader.h"

namespace mrmlguard::internal::data {
namespace {

bool PathIs(const std::vector<std::string>& path, std::initializer_list<std::string_view> want) {
  if (path.size() != want.size()) return false;
  size_t i = 0;
  for (std::string_view w : want) {
    if (path[i++] != w) return false;
  }
  return true;
}

// vtkMRMLMeasurement::GetValueWithUnitsAsPrintableString: snprintf(buf, 79,
// printFormat, double value, const char* units).
constexpr FormatRule kPrintRule{.conversions = "eEfFgG", .max_conversions = 2, .second = "s"};

// The strings the checks read: shader code (any key naming a Shader) and the
// markups fields whose printf formats are checked.
bool KeepString(std::span<const std::string> path) {
  const std::string& key = path.back();
  if (key.find("Shader") != std::string::npos) return true;
  return path.front() == "markups" && (key == "name" || key == "labelFormat" || key == "printFormat");
}
// One object per markup.
constexpr std::string_view kMarkupPath[] = {"markups", "[]"};
// Each markup's control points.
constexpr std::string_view kControlPointsPath[] = {"markups", "[]", "controlPoints"};
// Load (max_scene_load_bytes): vtkMRMLMarkupsJsonStorageNode::
// UpdateMarkupsNodeFromJsonValue adds one vtkMRMLMarkupsNode::ControlPoint per
// controlPoints element: 12 doubles (position, orientation), four std::string
// (ID, Label, Description, AssociatedNodeID: 32 bytes each in libstdc++) and
// flags, 240 bytes, plus its heap block header (16) and its pointer in
// ControlPointsListType (8), plus a double point in the curve input vtkPoints
// (24): 288 bytes a control point.
constexpr uint64_t kControlPointBytes = 288;

bool IsShaderStorage(const Ctx& ctx) {
  return ctx.file.storage_tag == "ShaderPropertyStorage" || ExtensionOf(ctx.file.name) == ".sp";
}

}  // namespace

void ReadJson(Ctx& ctx) {
  if (ctx.file.total_size > ctx.limits().max_json_bytes) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_json_bytes", ctx.limits().max_json_bytes, {},
                          "by a JSON file of " + std::to_string(ctx.file.total_size) + " bytes");
    return;
  }
  ByteReader r(ctx.file.prefix);
  std::string_view text = r.Chars(ctx.file.prefix.size());
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  JsonDocument doc = ReadJsonDocument(text, {.max_depth = std::min(ctx.limits().max_json_depth, kMaxJsonRecursion),
                                               .keep = KeepString,
                                               .mark_objects_at = kMarkupPath,
                                               .count_elements_at = kControlPointsPath});
  if (!doc.ok) {
    if (doc.depth_exceeded) {
      ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_json_depth",
                            std::min(ctx.limits().max_json_depth, kMaxJsonRecursion),
                            {.offset = doc.error_offset}, "in a JSON file");
      return;
    }
    if (doc.ran_out && !ctx.whole()) {
      ctx.Add(Rule::kDataHeaderIncomplete, doc.error_offset,
              "JSON file is " + std::to_string(ctx.file.total_size) + " bytes but only " +
                  std::to_string(ctx.file.prefix.size()) + " were given; checks ran on the part read");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, doc.error_offset, "JSON does not parse: " + doc.error);
      return;
    }
  }
  const std::vector<JsonString>& strings = doc.strings;
  if (IsShaderStorage(ctx)) {
    // GLSL in a shader property is compiled by the GPU driver (research §5.2).
    std::string keys;
    for (const JsonString& s : strings) {
      if (!s.path.empty() && s.path.back().find("Shader") != std::string::npos && !s.value.empty()) {
        if (keys.find(s.path.back()) == std::string::npos) keys += (keys.empty() ? "" : ", ") + s.path.back();
      }
    }
    ctx.Add(Rule::kDataExecutable, std::nullopt,
            keys.empty() ? std::string("shader property file (GLSL that Slicer compiles)")
                         : "shader property file with shader code (" + keys + ")");
    return;
  }
  AddLoad(ctx, doc.counted * kControlPointBytes);  // < 2^64: at most one element per input byte
  // Markups: each markup's labelFormat (default "%N-%d") with its name, and
  // each measurement's printFormat.
  const std::vector<size_t>& starts = doc.marks;
  for (size_t m = 0; m < starts.size(); ++m) {
    size_t begin = starts[m], end = m + 1 < starts.size() ? starts[m + 1] : strings.size();
    std::string_view name, label_format = "%N-%d";
    std::optional<uint64_t> label_offset;
    for (size_t i = begin; i < end; ++i) {
      const JsonString& s = strings[i];
      if (PathIs(s.path, {"markups", "[]", "name"})) name = s.value;
      if (PathIs(s.path, {"markups", "[]", "labelFormat"})) {
        label_format = s.value;
        label_offset = s.offset;
      }
      if (PathIs(s.path, {"markups", "[]", "measurements", "[]", "printFormat"})) {
        std::string problem = FormatProblem(s.value, kPrintRule);
        if (!problem.empty()) {
          ctx.Add(Rule::kDataFormatString, s.offset,
                  "markups measurement printFormat " + Quote(s.value) + " " + problem);
        }
      }
    }
    CheckLabelFormat(ctx, label_format, name, "markups", label_offset);
  }
}

}  // namespace mrmlguard::internal::data
