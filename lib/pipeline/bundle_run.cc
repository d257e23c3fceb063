// SPDX-License-Identifier: BSD-3-Clause
// A bundle's run: audit the directory, pick the main scene, then stream every
// entry once into the captures it needs (entry_captures.h) and judge what was
// captured: scenes, nested bundles, the data files the scenes reference.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytes/checked_math.h"
#include "data/data_file.h"
#include "findings/quote.h"
#include "pipeline/entry_captures.h"
#include "pipeline/runner.h"
#include "pipeline/sniff.h"
#include "text/ascii.h"
#include "zip/bundle_layout.h"

namespace mrmlguard::internal {
namespace {

// The scenes stream first, the main scene before the others: their storage
// paths decide which other entries' headers are captured. Every scene's
// references are data-checked (bundle.* findings of issue 17: a scene other
// than the one chosen here is what Slicer loads when the extraction differs).
std::vector<size_t> StreamOrder(const ZipDirectory& dir, std::optional<size_t> main) {
  std::vector<size_t> order;
  order.reserve(dir.entries.size());
  if (main) order.push_back(*main);
  auto is_scene = [&](size_t i) {
    return !dir.entries[i].is_directory && text::EndsWithIgnoreCase(dir.entries[i].name, ".mrml");
  };
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    if ((!main || i != *main) && is_scene(i)) order.push_back(i);
  }
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    if ((!main || i != *main) && !is_scene(i)) order.push_back(i);
  }
  return order;
}

// Slicer on Windows or macOS opens a name that differs from an entry's only
// by case or Unicode normalisation (NTFS, APFS and HFS+ fold names; Linux
// file systems do not). Such a path is judged as the entry it opens there,
// so its data is checked, and the difference is reported.
std::optional<size_t> FindAsOpened(const EntryIndex& by_name, std::string_view resolved, std::string_view what,
                                   const Location& where, FindingSink& sink) {
  if (std::optional<size_t> exact = by_name.Find(resolved)) return exact;
  std::optional<size_t> folded = by_name.FindFolded(resolved);
  if (folded) {
    sink.Add(Rule::kBundleStorageFolded, where,
             std::string(what) + " names entry " + Quote(by_name.Name(*folded)) +
                 " only on a case-insensitive or normalising file system (Windows, macOS), where Slicer reads that "
                 "entry; it is checked as that entry");
  }
  return folded;
}

}  // namespace

TeeSink& EntryPlan::Tee(EntrySink* extra) {
  if (scene) tee_.Add(&*scene);
  if (nested) tee_.Add(&*nested);
  if (prefix) tee_.Add(&*prefix);
  tee_.Add(extra);
  return tee_;
}

EntryPlan PlanEntry(const ZipEntry& entry, const Referenced* referrer, uint64_t depth, const Limits& limits,
                    FindingSink& sink) {
  EntryPlan plan;
  if (entry.is_directory) return plan;
  if (text::EndsWithIgnoreCase(entry.name, ".mrml")) {
    plan.scene.emplace(limits.max_scene_bytes, entry.declared_size);
    plan.inspected = std::min(entry.declared_size, limits.max_scene_bytes);
    plan.scene_bytes = plan.inspected;
  }
  if (text::EndsWithIgnoreCase(entry.name, ".mrb")) {
    if (depth + 1 > limits.max_bundle_depth) {
      FindingSink::EntryScope scope(&sink, entry.name);
      sink.LimitReached(Rule::kBundleNestingTooDeep, "max_bundle_depth", limits.max_bundle_depth, {},
                        "by nested bundle " + Quote(entry.name));
    } else {
      plan.nested.emplace(limits.max_nested_bundle_bytes, entry.declared_size);
      plan.inspected = std::max(plan.inspected, std::min(entry.declared_size, limits.max_nested_bundle_bytes));
    }
  }
  if (referrer != nullptr) {
    // JSON and text tables are judged whole (label formats, shader code);
    // binary formats only need their header.
    const uint64_t want = BytesToJudge(entry.name, referrer->storage_tag, entry.declared_size, limits);
    plan.prefix.emplace(want, std::min(want, entry.declared_size));
    plan.inspected = std::max(plan.inspected, want);
    if (WantsWholeFile(entry.name, referrer->storage_tag, entry.declared_size, limits)) {
      plan.text_bytes = want;
    }
  }
  return plan;
}

uint64_t Runner::InspectCost(const ZipEntry& entry, const EntryPlan& plan) const {
  uint64_t cost = plan.inspected;
  // An entry stored in a bundle read from disk costs what a plain file of
  // its size costs: its bytes are the input's own.
  const bool inflated = entry.method != 0 || inflated_bundles_ > 0;
  if (!inflated) return cost;
  uint64_t extra = 0;
  if (!CheckedMul(plan.scene_bytes, kSceneWeight - 1, &extra) || !CheckedAdd(cost, extra, &cost)) return UINT64_MAX;
  if (!CheckedMul(plan.text_bytes, kTextWeight - 1, &extra) || !CheckedAdd(cost, extra, &cost)) return UINT64_MAX;
  if (plan.nested) {
    const uint64_t bytes = std::min(entry.declared_size, policy_.limits.max_nested_bundle_bytes);
    const uint64_t paid = inflated_bundles_ > 0 ? 0 : entry.compressed_size;  // read from the input itself
    const uint64_t hidden = bytes > paid ? bytes - paid : 0;
    if (!CheckedMul(hidden, kNestedWeight - 1, &extra) || !CheckedAdd(cost, extra, &cost)) return UINT64_MAX;
  }
  return cost;
}

bool CaptureComplete(const CaptureSink& capture, const ZipEntry& entry, Rule rule, std::string_view limit,
                     uint64_t limit_value, std::string_view what, FindingSink& sink) {
  if (capture.complete()) return true;
  FindingSink::EntryScope scope(&sink, entry.name);
  sink.LimitReached(rule, limit, limit_value, {},
                    "by " + std::string(what) + " of " + std::to_string(capture.total()) + " bytes");
  return false;
}

// Storage paths resolve against the scene's own folder, as Slicer sets
// RootDirectory to it (for the main scene and for nested .seq.mrml).
std::vector<std::pair<size_t, Referenced>> ResolveStorage(const SceneSummary& summary, std::string_view scene_entry,
                                                          const EntryIndex& by_name, FindingSink& sink) {
  std::vector<std::pair<size_t, Referenced>> out;
  const std::vector<bool> members = ListMembersOnly(summary);
  for (size_t i = 0; i < summary.storage.size(); ++i) {
    const StorageRef& ref = summary.storage[i];
    if (ref.path.empty()) continue;
    Location where{.line = ref.line, .column = ref.column, .node_id = ref.node_id, .attribute = ref.attribute};
    std::optional<std::string> resolved = ResolveInBundle(scene_entry, ref.path);
    if (!resolved) {
      // vtkMRMLStorableNode::UpdateScene reads the storage nodes of a node's
      // "storage" role and nothing else: a storage node no node uses is never
      // read (Slicer 4 kept such nodes, with the temporary folders of earlier
      // bundle loads, when it saved a scene again). A SceneView's copy counts
      // as used: restoring it reads the file.
      if (ref.users == 0) {
        sink.Add(Rule::kBundleStorageOutsideUnused, where,
                 "storage path " + Quote(ref.path) +
                     " resolves outside the bundle; no node of the scene uses this storage node, so Slicer "
                     "does not read it (vtkMRMLStorableNode::UpdateScene reads only a node's storage role)");
      } else {
        sink.Add(Rule::kBundleStorageOutside, where,
                 "storage path " + Quote(ref.path) + " resolves outside the bundle");
      }
      continue;
    }
    std::optional<size_t> target = FindAsOpened(by_name, *resolved, "storage path " + Quote(ref.path), where, sink);
    if (!target) {
      sink.Add(
          Rule::kBundleStorageMissing, where,
          "storage path " + Quote(ref.path) + " names no entry of the bundle (looked for " + Quote(*resolved) + ")");
      continue;
    }
    out.emplace_back(*target, Referenced{ref.tag, ref.node_id, ref.users, members[i]});
  }
  return out;
}

// What an entry would feed has its own budget (a scene, a nested bundle held
// in memory): an entry that declares more is refused from that declared size
// and never inflated.
bool Runner::DeclaredOverCapture(const ZipEntry& entry, uint64_t depth) {
  const Limits& limits = policy_.limits;
  if (entry.is_directory) return false;
  if (text::EndsWithIgnoreCase(entry.name, ".mrml") && entry.declared_size > limits.max_scene_bytes) {
    FindingSink::EntryScope scope(&sink_, entry.name);
    sink_.LimitReached(Rule::kXmlLimitExceeded, "max_scene_bytes", limits.max_scene_bytes, {},
                       "by scene entry of " + std::to_string(entry.declared_size) + " bytes");
    return true;
  }
  if (text::EndsWithIgnoreCase(entry.name, ".mrb") && depth + 1 <= limits.max_bundle_depth &&
      entry.declared_size > limits.max_nested_bundle_bytes) {
    FindingSink::EntryScope scope(&sink_, entry.name);
    sink_.LimitReached(Rule::kZipLimitExceeded, "max_nested_bundle_bytes", limits.max_nested_bundle_bytes, {},
                       "by nested bundle of " + std::to_string(entry.declared_size) + " bytes");
    return true;
  }
  return false;
}

bool Runner::CheckBundle(InputSource& source, uint64_t depth, BundleWriter* writer) {
  size_t errors_before = sink_.error_count();
  ZipDirectory dir = AuditZip(source, sink_, {}, &budget_);
  report_->stats.entries += dir.entries.size();
  if (IoFailed(source)) return false;
  if (!dir.structure_ok) return true;     // findings say why; no data is trusted
  if (dir.total_over_limit) return true;  // refused from the declared sizes: nothing is inflated
  // A bundle the header pass already refuses (an unsafe name, say) is still
  // streamed for a complete report, but nothing of it is written.
  if (sink_.error_count() > errors_before) writer = nullptr;

  // Every scene entry is parsed: their declared sizes together are bounded
  // before any is inflated, as each one is by max_scene_bytes.
  uint64_t scene_bytes = 0;
  for (const ZipEntry& entry : dir.entries) {
    if (entry.is_directory || entry.declared_over_limit || !text::EndsWithIgnoreCase(entry.name, ".mrml")) continue;
    if (entry.declared_size > policy_.limits.max_scene_bytes) continue;  // refused alone (DeclaredOverCapture)
    if (!CheckedAdd(scene_bytes, entry.declared_size, &scene_bytes)) scene_bytes = UINT64_MAX;
  }
  if (scene_bytes > 0 && !ClaimSceneBytes(scene_bytes, "the scene entries of this bundle")) return true;

  std::optional<size_t> main = SelectMainScene(dir, sink_);
  if (depth == 0 && main) report_->main_scene = dir.entries[*main].name;

  BundleState bundle{dir, EntryIndex(dir), {}, std::vector<bool>(dir.entries.size(), false), {}};
  bool io_ok = true;
  for (size_t index : StreamOrder(dir, main)) {
    const ZipEntry& entry = dir.entries[index];
    if (entry.declared_over_limit) continue;  // refused from its declared size or ratio: never inflated
    if (DeclaredOverCapture(entry, depth)) continue;
    // Copied, not an iterator: the map grows while scenes are checked.
    std::optional<Referenced> referrer;
    if (auto it = bundle.referenced.find(index); it != bundle.referenced.end()) referrer = it->second;

    EntryPlan plan = PlanEntry(entry, referrer ? &*referrer : nullptr, depth, policy_.limits, sink_);
    if (!ClaimInspectedBytes(plan.inspected, InspectCost(entry, plan), entry.name)) continue;  // not inflated
    bool data_ok = false;
    if (!StreamPlanned(source, entry, plan, writer, &data_ok)) return false;
    bundle.streamed[index] = true;
    if (!data_ok) continue;  // the entry's bytes are not what the headers say; findings are recorded

    if (plan.scene) FinishScene(entry, *plan.scene, main && index == *main, bundle);
    if (plan.nested) io_ok = FinishNested(entry, *plan.nested, depth) && io_ok;
    if (plan.prefix) FinishData(source, entry, *referrer, *plan.prefix, bundle);
  }
  // Scenes a scene references as data streamed before anyone asked for
  // their header: read it again, its own findings already given.
  for (size_t index : bundle.late) {
    const ZipEntry& entry = dir.entries[index];
    const Referenced& ref = bundle.referenced.at(index);
    const uint64_t want = BytesToJudge(entry.name, ref.storage_tag, entry.declared_size, policy_.limits);
    EntryPlan reread;
    reread.inspected = want;
    if (WantsWholeFile(entry.name, ref.storage_tag, entry.declared_size, policy_.limits)) reread.text_bytes = want;
    if (!ClaimInspectedBytes(want, InspectCost(entry, reread), entry.name)) continue;
    CaptureSink prefix(want, std::min(want, entry.declared_size));
    FindingSink already_judged(policy_);
    bool data_ok = StreamEntry(source, entry, nullptr, already_judged, &prefix);
    if (IoFailed(source)) return false;
    if (data_ok) FinishData(source, entry, ref, prefix, bundle);
  }
  return io_ok;
}

bool Runner::StreamPlanned(InputSource& source, const ZipEntry& entry, EntryPlan& plan, BundleWriter* writer,
                           bool* data_ok) {
  std::unique_ptr<WriterSink> writer_sink;
  if (writer != nullptr) {
    if (!writer->BeginEntry(entry)) {
      SetIoError(writer->error());
      return false;
    }
    writer_sink = std::make_unique<WriterSink>(writer);
  }
  *data_ok = StreamEntry(source, entry, &budget_, sink_, &plan.Tee(writer_sink.get()));
  if (IoFailed(source)) return false;
  if (writer != nullptr && (!writer_sink->ok() || !writer->EndEntry())) {
    SetIoError(writer->error());
    return false;
  }
  return true;
}

void Runner::FinishScene(const ZipEntry& entry, const CaptureSink& capture, bool is_main, BundleState& bundle) {
  const Limits& limits = policy_.limits;
  if (!CaptureComplete(capture, entry, Rule::kXmlLimitExceeded, "max_scene_bytes", limits.max_scene_bytes,
                       "scene entry", sink_)) {
    return;
  }
  FindingSink::EntryScope scope(&sink_, entry.name);
  SceneOptions scene_options;
  scene_options.in_bundle = true;
  scene_options.scene_name = entry.name;
  SceneSummary summary;
  MemorySource scene_source(capture.bytes());
  CheckSceneBytes(scene_source, scene_options, &summary);
  for (auto& [target, ref] : ResolveStorage(summary, entry.name, bundle.by_name, sink_)) {
    // Each entry is data-checked once, as the first storage node that names
    // it reads it; what Slicer loads is counted per reference of the main
    // scene (max_scene_load_bytes).
    const uint64_t loads = is_main ? std::max<uint64_t>(1, ref.loads) : 0;
    ref.loads = loads;
    auto [it, inserted] = bundle.referenced.emplace(target, std::move(ref));
    if (!inserted) {
      it->second.loads += loads;
      it->second.list_member = it->second.list_member && ref.list_member;  // a fileName anywhere wins
    } else if (bundle.streamed[target]) {
      bundle.late.push_back(target);
    }
  }
}

bool Runner::FinishNested(const ZipEntry& entry, const CaptureSink& capture, uint64_t depth) {
  const Limits& limits = policy_.limits;
  if (!CaptureComplete(capture, entry, Rule::kZipLimitExceeded, "max_nested_bundle_bytes",
                       limits.max_nested_bundle_bytes, "nested bundle", sink_)) {
    return true;
  }
  FindingSink::EntryScope scope(&sink_, entry.name);
  MemorySource nested(capture.bytes());
  ancestors_.push_back(entry.name);
  const int inflated = entry.method != 0 ? 1 : 0;  // its stored entries were inflated with it
  inflated_bundles_ += inflated;
  bool io_ok = CheckBundle(nested, depth + 1, nullptr);
  inflated_bundles_ -= inflated;
  ancestors_.pop_back();
  return io_ok;
}

void Runner::FinishData(InputSource& source, const ZipEntry& entry, const Referenced& ref, const CaptureSink& prefix,
                        const BundleState& bundle) {
  FindingSink::EntryScope scope(&sink_, entry.name);
  size_t errors_before = sink_.error_count();
  DataFileView view{.name = entry.name,
                    .storage_tag = ref.storage_tag,
                    .prefix = prefix.bytes(),
                    .total_size = prefix.total(),
                    .list_member = ref.list_member};
  DataFileResult result = CheckData(view);
  std::optional<uint64_t> first_detached_size;
  for (const std::string& detached : result.detached) {
    if (!ClaimDetachedLookup()) break;
    std::optional<std::string> resolved = ResolveInBundle(entry.name, detached);
    if (!resolved) {
      sink_.Add(Rule::kDataDetachedOutside, {},
                "detached data file " + Quote(detached) + " resolves outside the bundle");
      continue;
    }
    std::optional<size_t> target =
        FindAsOpened(bundle.by_name, *resolved, "detached data file " + Quote(detached), {}, sink_);
    if (!target) {
      sink_.Add(Rule::kBundleStorageMissing, {},
                "detached data file " + Quote(detached) + " names no entry of the bundle");
      continue;
    }
    // The entry's declared size is verified when the entry streams.
    uint64_t size = bundle.dir.entries[*target].declared_size;
    if (!first_detached_size) first_detached_size = size;
    CheckDetachedSize(result, detached, size);
  }
  CheckLoad(result, ref.loads, first_detached_size);
  if (policy_.deep && result.image && sink_.error_count() == errors_before) {
    DeepCheckEntry(source, entry, prefix, result, bundle);
  }
}

}  // namespace mrmlguard::internal
