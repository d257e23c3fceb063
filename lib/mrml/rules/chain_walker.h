// SPDX-License-Identifier: BSD-3-Clause
// File: rules/chain_walker.h
//
// One walker for every parent chain of a scene: transforms, legacy
// hierarchies (cross_node.cc) and subject hierarchy items
// (subject_hierarchy.cc). Slicer walks these chains without a cycle check or a
// depth bound (vtkMRMLTransformNode::GetParentTransformNode loops,
// vtkMRMLHierarchyNode::GetTopParentNode, vtkSubjectHierarchyItem recursion),
// so a cycle hangs it and a long chain overflows the stack.

#ifndef MRMLGUARD_LIB_MRML_RULES_CHAIN_WALKER_H_
#define MRMLGUARD_LIB_MRML_RULES_CHAIN_WALKER_H_

#include <cstdint>
#include <vector>

#include "mrml/scene_state.h"

namespace mrmlguard::internal::mrml {

// What to do with the chains that run into a cycle once the cycle is reported.
enum class PastCycle : uint8_t {
  kMeasure,  // the cycle's members count as roots: a long chain into it is still too deep
  kSkip,     // chains into a cycle are not measured
};

// Walks the chain of every element 0..n-1 once (memoised: linear in n).
// parent_of(i) returns i's parent or kNone; it is called exactly once per
// element, when the walk first reaches it, so it may report a parent it
// cannot resolve. on_cycle(i) is called once per cycle, with the element at
// which the walk came back to its own path; on_too_deep(i) once per walk that
// finds an element whose chain (itself included) is longer than max_depth.
template <class ParentOf, class OnCycle, class OnTooDeep>
void WalkChains(uint32_t n, uint64_t max_depth, PastCycle past_cycle, ParentOf&& parent_of, OnCycle&& on_cycle,
                OnTooDeep&& on_too_deep) {
  constexpr uint32_t kUnvisited = 0, kInProgress = kNone, kInCycle = kNone - 1, kMaxCount = kNone - 2;
  std::vector<uint32_t> depth(n, kUnvisited);  // chain length including the element, or a marker
  std::vector<uint32_t> path;
  for (uint32_t start = 0; start < n; ++start) {
    if (depth[start] != kUnvisited) continue;
    path.clear();
    uint32_t cur = start;
    uint32_t base = 0;
    bool cycle = false;
    while (cur != kNone) {
      if (depth[cur] == kInProgress) {
        cycle = true;
        break;
      }
      if (depth[cur] != kUnvisited) {
        base = depth[cur];
        break;
      }
      depth[cur] = kInProgress;
      path.push_back(cur);
      cur = parent_of(cur);
    }
    if (cycle) {
      on_cycle(cur);
      for (uint32_t p : path) depth[p] = past_cycle == PastCycle::kMeasure ? 1 : kInCycle;  // not reported again
      continue;
    }
    // Assign depths from the top of the path down.
    uint32_t d = base;
    bool reported = false;
    for (size_t k = path.size(); k-- > 0;) {
      if (d != kInCycle && d < kMaxCount) ++d;
      depth[path[k]] = d;
      if (d != kInCycle && d == max_depth + 1 && !reported) {
        reported = true;
        on_too_deep(path[k]);
      }
    }
  }
}

}  // namespace mrmlguard::internal::mrml

#endif  // MRMLGUARD_LIB_MRML_RULES_CHAIN_WALKER_H_
