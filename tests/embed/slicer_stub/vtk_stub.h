// SPDX-License-Identifier: BSD-3-Clause
// A header-level stand-in for the VTK and MRML classes slicer/MrmlGuardReaders
// uses, with the member signatures of Slicer 5.x main (Libs/MRML/Core/*.h) and
// VTK 9 (vtkCommand). No reference counting: the scene owns its nodes.
#ifndef MRMLGUARD_SLICER_STUB_VTK_STUB_H_
#define MRMLGUARD_SLICER_STUB_VTK_STUB_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class vtkCommand {
 public:
  enum EventIds { WarningEvent = 38, ErrorEvent = 39 };
};

// Libs/MRML/Core/vtkMRMLMessageCollection.h
class vtkMRMLMessageCollection {
 public:
  void AddMessage(unsigned long messageType, const std::string& messageText) {
    messages_.emplace_back(messageType, messageText);
  }
  void AddMessages(vtkMRMLMessageCollection* source, const std::string& prefix = std::string()) {
    if (source == nullptr) return;
    for (const auto& message : source->messages_) messages_.emplace_back(message.first, prefix + message.second);
  }
  void ClearMessages() { messages_.clear(); }
  int GetNumberOfMessages() const { return static_cast<int>(messages_.size()); }
  int GetNumberOfMessagesOfType(unsigned long type) const {
    int count = 0;
    for (const auto& message : messages_) count += message.first == type ? 1 : 0;
    return count;
  }
  std::string GetAllMessagesAsString() const {
    std::string all;
    for (const auto& message : messages_) all += message.second + "\n";
    return all;
  }

 private:
  std::vector<std::pair<unsigned long, std::string>> messages_;
};

class vtkMRMLScene;

class vtkMRMLNode {
 public:
  virtual ~vtkMRMLNode() = default;
  const char* GetID() const { return id_.c_str(); }
  void SetID(const std::string& id) { id_ = id; }
  vtkMRMLScene* GetScene() const { return scene_; }
  void SetScene(vtkMRMLScene* scene) { scene_ = scene; }

 private:
  std::string id_;
  vtkMRMLScene* scene_ = nullptr;
};

// Libs/MRML/Core/vtkMRMLStorageNode.h: the file-name accessors ReadFromMRB uses.
class vtkMRMLStorageNode : public vtkMRMLNode {
 public:
  static vtkMRMLStorageNode* SafeDownCast(vtkMRMLNode* node) { return dynamic_cast<vtkMRMLStorageNode*>(node); }
  const char* GetFileName() const { return file_name_.empty() ? nullptr : file_name_.c_str(); }
  void SetFileName(const char* name) { file_name_ = name != nullptr ? name : ""; }
  int GetNumberOfFileNames() const { return static_cast<int>(names_.size()); }
  const char* GetNthFileName(int n) const { return names_.at(static_cast<size_t>(n)).c_str(); }
  void ResetNthFileName(int n, const char* name) { names_.at(static_cast<size_t>(n)) = name; }
  void AddFileName(const char* name) { names_.emplace_back(name); }

 private:
  std::string file_name_;
  std::vector<std::string> names_;
};

// Libs/MRML/Core/vtkMRMLStorableNode.h
class vtkMRMLStorableNode : public vtkMRMLNode {
 public:
  static vtkMRMLStorableNode* SafeDownCast(vtkMRMLNode* node) { return dynamic_cast<vtkMRMLStorableNode*>(node); }
  vtkMRMLStorageNode* GetStorageNode() const { return storage_; }
  void SetStorageNode(vtkMRMLStorageNode* storage) { storage_ = storage; }

 private:
  vtkMRMLStorageNode* storage_ = nullptr;
};

// Libs/MRML/Core/vtkMRMLScene.h: what ReadFromMRB's re-pointing uses.
class vtkMRMLScene {
 public:
  const char* GetURL() const { return url_.c_str(); }
  void SetURL(const char* url) { url_ = url != nullptr ? url : ""; }
  const char* GetRootDirectory() const { return root_.c_str(); }
  void SetRootDirectory(const char* root) { root_ = root != nullptr ? root : ""; }
  void SetStorableNodesModifiedSinceRead() { storable_modified_ = true; }
  bool storable_modified_for_test() const { return storable_modified_; }
  vtkMRMLNode* AddNode(std::unique_ptr<vtkMRMLNode> node, const std::string& class_name) {
    node->SetID(class_name + std::to_string(++count_[class_name]));
    node->SetScene(this);
    nodes_.push_back(std::move(node));
    return nodes_.back().get();
  }
  vtkMRMLNode* GetNodeByID(const char* id) const {
    for (const auto& node : nodes_) {
      if (id != nullptr && std::string(node->GetID()) == id) return node.get();
    }
    return nullptr;
  }
  int GetNodesByClass(const char* className, std::vector<vtkMRMLNode*>& nodes) const {
    nodes.clear();
    for (const auto& node : nodes_) {
      if (std::string(className) == "vtkMRMLStorageNode" && vtkMRMLStorageNode::SafeDownCast(node.get()))
        nodes.push_back(node.get());
    }
    return static_cast<int>(nodes.size());
  }
  size_t node_count_for_test() const { return nodes_.size(); }

 private:
  std::string url_, root_;
  bool storable_modified_ = false;
  std::vector<std::unique_ptr<vtkMRMLNode>> nodes_;
  std::map<std::string, int> count_;
};

#endif  // MRMLGUARD_SLICER_STUB_VTK_STUB_H_
