// SPDX-License-Identifier: BSD-3-Clause
// Segmentation labelmaps (.seg.nrrd, or any image SegmentationStorage reads):
// what the header makes Slicer allocate and loop over, bounded from the
// header before the voxels are read.
//
// vtkMRMLSegmentationStorageNode::ReadBinaryLabelmapRepresentation:
//   - counts segments while Segment<N>_ID keys follow from N = 0;
//   - puts segment N in layer Segment<N>_Layer (vtkVariant::ToInt; the
//     segment index when absent); layers are the file's components
//     (frames), so layers outside 0..components-1 are never built;
//   - for each layer, pads the file's image to the union of the layer's
//     Segment<N>_Extent values shifted by Segmentation_ReferenceImageExtentOffset
//     (vtkImageConstantPad::SetOutputWholeExtent, then DeepCopy): the padded
//     extent is allocated whatever size the file's image is, once per layer
//     and once more in the padder's output. A missing extent means the
//     file's whole extent;
//   - without segment keys (a plain labelmap read as a segmentation), takes
//     the voxels' scalar range and runs vtkImageAccumulate with one bin per
//     value from the lowest to the highest label (a vtkIdType, 8 bytes, per
//     bin) and loops over that range. Voxel values are read after the cast of
//     vtkOrientedImageDataResample::CastSegmentationToSmallestIntegerType, so
//     the range is at most the scalar type's (2^32 for 32-bit and wider).
// vtkMRMLSegmentationsDisplayableManager2D::vtkInternal::UpdateDisplayNodePipeline
//   sizes two lookup tables (fill and outline) to max - min + 1 of the layer's
//   label values (Segment<N>_LabelValue, with 0) and builds them: an int
//   subtraction that overflows past 2^31 and 2 x 4 bytes per value.
// What voxel values alone decide (which labels a file with segment keys
// holds, the closed-surface conversion's joint-smoothing histogram) is in
// docs/notes/data.md.

#include <array>
#include <map>
#include <string>
#include <vector>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

struct SegmentKeys {
  bool has_id = false;
  std::optional<std::string_view> layer, extent, label;
};

// The "Segment<N>_<Field>:=value" and "Segmentation_<Field>:=value" pairs of
// the NRRD header in the prefix (up to the blank line that ends it).
struct SegmentationHeader {
  std::map<uint64_t, SegmentKeys> segments;
  std::optional<std::string_view> offset;
};

SegmentationHeader ReadKeys(const Ctx& ctx) {
  SegmentationHeader h;
  LineReader lines(ctx.file.prefix);
  (void)lines.Next();  // magic
  while (std::optional<std::string_view> line = lines.Next()) {
    if (line->empty()) break;
    size_t kv = line->find(":=");
    if (kv == std::string_view::npos) continue;
    std::string_view key = line->substr(0, kv), value = line->substr(kv + 2);
    if (key == "Segmentation_ReferenceImageExtentOffset") {
      h.offset = value;
      continue;
    }
    if (!StartsWith(key, "Segment") || key.size() < 9) continue;
    size_t underscore = key.find('_');
    if (underscore == std::string_view::npos || underscore == 7) continue;
    std::optional<uint64_t> index = ParseUint(key.substr(7, underscore - 7));
    // ITK's MetaDataDictionary keys are strings: "Segment01_ID" is not
    // GetSegmentMetaDataKey(1, ...), so only canonical decimal indices count.
    if (!index || std::to_string(*index) != key.substr(7, underscore - 7)) continue;
    std::string_view field = key.substr(underscore + 1);
    SegmentKeys& s = h.segments[*index];
    if (field == "ID") s.has_id = true;
    else if (field == "Layer") s.layer = value;
    else if (field == "Extent") s.extent = value;
    else if (field == "LabelValue") s.label = value;
  }
  return h;
}

// vtkVariant(string).ToInt(): 0 when the text is not a number. nullopt when
// the number does not fit an int (refused: no writer makes one).
std::optional<int64_t> VariantInt(std::string_view text) {
  std::optional<int64_t> v = ParseInt(Trim(text));
  if (!v) return 0;
  if (*v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
  return v;
}

// GetImageExtentFromString: six ints read with operator>>, defaults
// 0 -1 0 -1 0 -1 for those not read. nullopt when a value does not fit an int.
std::optional<std::array<int64_t, 6>> ParseExtent(std::string_view text) {
  std::array<int64_t, 6> e = {0, -1, 0, -1, 0, -1};
  std::vector<std::string_view> w = SplitWords(text, 7);
  for (size_t i = 0; i < w.size() && i < 6; ++i) {
    std::optional<int64_t> v = ParseInt(w[i]);
    if (!v) break;  // the stream fails; the rest keep their defaults
    if (*v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
    e[i] = *v;
  }
  return e;
}

bool Empty(const std::array<int64_t, 6>& e) { return e[0] > e[1] || e[2] > e[3] || e[4] > e[5]; }

// Values a scalar type can hold once cast to an integer type Slicer keeps
// (IsImageScalarTypeValid / CastSegmentationToSmallestIntegerType).
uint64_t TypeLabelValues(ComponentType t) {
  switch (ComponentBytes(t)) {
    case 1: return 1ull << 8;
    case 2: return 1ull << 16;
    default: return 1ull << 32;
  }
}

// Segments 0, 1, ... up to the first without an ID: the ones the reader builds.
uint64_t CountSegments(const SegmentationHeader& h) {
  uint64_t count = 0;
  while (true) {
    auto it = h.segments.find(count);
    if (it == h.segments.end() || !it->second.has_id) break;
    ++count;
  }
  return count;
}

// No segment keys: one histogram bin per value in the voxels' range.
void CheckUnlabelledRange(Ctx& ctx, const ImageInfo& image, uint64_t limit) {
  const uint64_t values = TypeLabelValues(image.component);
  if (values > limit) {
    ctx.sink.LimitReached(Rule::kDataSegmentationLabels, "max_segmentation_label_values", limit, {},
                          "by a labelmap without segment metadata of type " +
                              std::string(ComponentTypeName(image.component)) + ": its voxels can span " +
                              std::to_string(values) + " label values, which Slicer histograms one bin each");
  }
}

// The file's own extent (0..size-1 per axis). False when a size is 0 or
// past the int range: the image reader refused the file already.
bool FileExtent(const ImageInfo& image, std::array<int64_t, 6>* file_extent) {
  *file_extent = {0, 0, 0, 0, 0, 0};
  for (size_t a = 0; a < 3 && a < image.sizes.size(); ++a) {
    if (image.sizes[a] == 0 || image.sizes[a] - 1 > INT32_MAX) return false;
    (*file_extent)[2 * a + 1] = static_cast<int64_t>(image.sizes[a] - 1);
  }
  return true;
}

// Segmentation_ReferenceImageExtentOffset: up to three ints. False (after
// the finding) when one does not fit an int.
bool ReadReferenceOffset(Ctx& ctx, const SegmentationHeader& h, std::array<int64_t, 3>* offset) {
  *offset = {0, 0, 0};
  if (!h.offset) return true;
  std::vector<std::string_view> w = SplitWords(*h.offset, 4);
  for (size_t i = 0; i < w.size() && i < 3; ++i) {
    std::optional<int64_t> v = ParseInt(w[i]);
    if (!v) break;
    if (*v < INT32_MIN || *v > INT32_MAX) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "Segmentation_ReferenceImageExtentOffset " + Quote(*h.offset) + " does not fit an int");
      return false;
    }
    (*offset)[i] = *v;
  }
  return true;
}

// Segments by layer; only layers 0..components-1 are built. False (after
// the finding) when a layer number does not fit an int.
bool GroupLayers(Ctx& ctx, SegmentationHeader& h, uint64_t count, const ImageInfo& image,
                 std::map<int64_t, std::vector<uint64_t>>* layers) {
  for (uint64_t i = 0; i < count; ++i) {
    const SegmentKeys& s = h.segments[i];
    std::optional<int64_t> layer = s.layer ? VariantInt(*s.layer) : static_cast<int64_t>(i);
    if (!layer) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "Segment" + std::to_string(i) + "_Layer " + Quote(*s.layer) + " does not fit an int");
      return false;
    }
    if (*layer >= 0 && static_cast<uint64_t>(*layer) < image.components) (*layers)[*layer].push_back(i);
  }
  return true;
}

// One layer's label values (with 0) and extent, merged over its segments.
struct LayerSpan {
  int64_t low = 0, high = 0;  // UpdateDisplayNodePipeline starts both at 0
  std::array<int64_t, 6> extent = {0, -1, 0, -1, 0, -1};
  bool whole = false;  // a segment without an extent: the reader uses the file's whole extent
};

// Merges the label values and extents of a layer's segments. False (after
// the finding) when one does not fit an int.
bool MergeLayerSegments(Ctx& ctx, SegmentationHeader& h, const std::vector<uint64_t>& members, LayerSpan* span) {
  for (uint64_t i : members) {
    const SegmentKeys& s = h.segments[i];
    std::optional<int64_t> label = s.label ? VariantInt(*s.label) : 1;  // vtkSegment's default LabelValue
    if (!label) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "Segment" + std::to_string(i) + "_LabelValue " + Quote(*s.label) + " does not fit an int");
      return false;
    }
    span->low = std::min(span->low, *label);
    span->high = std::max(span->high, *label);
    if (!s.extent) {
      span->whole = true;
      continue;
    }
    std::optional<std::array<int64_t, 6>> e = ParseExtent(*s.extent);
    if (!e) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "Segment" + std::to_string(i) + "_Extent " + Quote(*s.extent) + " has a value that does not fit an int");
      return false;
    }
    if (Empty(*e)) continue;  // AddToExtent skips empty extents
    if (Empty(span->extent)) {
      span->extent = *e;
    } else {
      for (size_t a = 0; a < 3; ++a) {
        span->extent[2 * a] = std::min(span->extent[2 * a], (*e)[2 * a]);
        span->extent[2 * a + 1] = std::max(span->extent[2 * a + 1], (*e)[2 * a + 1]);
      }
    }
  }
  return true;
}

// What one layer costs.
enum class LayerCost {
  kBytes,  // *bytes holds the layer's labelmap size
  kEmpty,  // an empty layer allocates nothing
  kStop,   // a finding or a limit: stop
};

LayerCost CostOfLayer(Ctx& ctx, int64_t layer, LayerSpan& span, const std::array<int64_t, 6>& file_extent,
                      const std::array<int64_t, 3>& offset, uint32_t voxel_bytes, uint64_t limit, uint64_t* bytes) {
  const uint64_t values = static_cast<uint64_t>(span.high - span.low) + 1;
  if (values > limit) {
    ctx.sink.LimitReached(Rule::kDataSegmentationLabels, "max_segmentation_label_values", limit, {},
                          "by layer " + std::to_string(layer) + ": segment label values " + std::to_string(span.low) +
                              ".." + std::to_string(span.high) + " (with 0) span " + std::to_string(values) +
                              " values, the size of the lookup tables Slicer builds for the layer");
    return LayerCost::kStop;
  }
  if (span.whole) span.extent = file_extent;
  std::vector<uint64_t> dims;
  for (size_t a = 0; a < 3; ++a) {
    int64_t lo = span.extent[2 * a] + offset[a], hi = span.extent[2 * a + 1] + offset[a];
    if (lo < INT32_MIN || lo > INT32_MAX || hi < INT32_MIN || hi > INT32_MAX) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "segmentation layer " + std::to_string(layer) + " extent shifted by the reference offset leaves the "
              "int range Slicer computes it in");
      return LayerCost::kStop;
    }
    dims.push_back(hi >= lo ? static_cast<uint64_t>(hi - lo + 1) : 0);
  }
  if (Empty(span.extent)) return LayerCost::kEmpty;
  std::optional<uint64_t> checked = CheckedImageBytes(ctx, dims, 1, voxel_bytes, "segmentation layer extent");
  if (!checked) return LayerCost::kStop;
  *bytes = *checked;
  return LayerCost::kBytes;
}

}  // namespace

void CheckSegmentation(Ctx& ctx, bool nrrd) {
  if (!ctx.result.image) return;
  const ImageInfo& image = *ctx.result.image;
  const uint64_t limit = ctx.limits().max_segmentation_label_values;
  SegmentationHeader h = nrrd ? ReadKeys(ctx) : SegmentationHeader{};
  const uint64_t count = CountSegments(h);
  if (count == 0) {
    CheckUnlabelledRange(ctx, image, limit);
    return;
  }
  std::array<int64_t, 6> file_extent;
  if (!FileExtent(image, &file_extent)) return;
  std::array<int64_t, 3> offset;
  if (!ReadReferenceOffset(ctx, h, &offset)) return;
  std::map<int64_t, std::vector<uint64_t>> layers;
  if (!GroupLayers(ctx, h, count, image, &layers)) return;
  const uint32_t voxel_bytes = std::min<uint32_t>(ComponentBytes(image.component), 4);
  uint64_t total = 0, largest = 0;
  for (const auto& [layer, members] : layers) {
    LayerSpan span;
    if (!MergeLayerSegments(ctx, h, members, &span)) return;
    uint64_t bytes = 0;
    const LayerCost cost = CostOfLayer(ctx, layer, span, file_extent, offset, voxel_bytes, limit, &bytes);
    if (cost == LayerCost::kStop) return;
    if (cost == LayerCost::kEmpty) continue;
    if (!CheckedAdd(total, bytes, &total)) total = UINT64_MAX;
    largest = std::max(largest, bytes);
  }
  // Each layer's labelmap stays; the padder's output holds one more layer.
  AddLoad(ctx, total);
  AddLoad(ctx, largest);
}

}  // namespace mrmlguard::internal::data
