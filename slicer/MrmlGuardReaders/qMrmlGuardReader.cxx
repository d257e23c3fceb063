// SPDX-License-Identifier: BSD-3-Clause
// See qMrmlGuardReader.h.
#include "qMrmlGuardReader.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <QTemporaryDir>

#include "mrmlguard/mrmlguard.h"
#include "vtkCommand.h"
#include "vtkMRMLMessageCollection.h"
#include "vtkMRMLScene.h"
#include "vtkMRMLStorableNode.h"
#include "vtkMRMLStorageNode.h"

namespace {

// The IO manager's reader list. qSlicerCoreIOManager::readers() is protected
// and returns a const reference to the private, non-const d->Readers
// (Base/QTCore/qSlicerCoreIOManager.cxx, readers()). A pointer to that member
// function, formed through a derived class, may be called on any manager;
// const_cast is defined behaviour because the list itself is not const.
struct IOManagerAccess : qSlicerCoreIOManager {
  using ReadersFn = const QList<qSlicerFileReader*>& (qSlicerCoreIOManager::*)() const;
  static QList<qSlicerFileReader*>& Readers(qSlicerCoreIOManager* manager) {
    ReadersFn fn = &IOManagerAccess::readers;
    return const_cast<QList<qSlicerFileReader*>&>((manager->*fn)());
  }
};
// If Slicer ever returned the list by value, the swap would change a copy
// and guard nothing: the ReadersFn initialisation above then stops compiling
// (the member's type must be exactly "returns const QList<...>&").

struct PolicyDeleter {
  void operator()(mrmlguard_policy* policy) const { mrmlguard_policy_free(policy); }
};
struct ReportDeleter {
  void operator()(mrmlguard_report* report) const { mrmlguard_report_free(report); }
};
using PolicyPtr = std::unique_ptr<mrmlguard_policy, PolicyDeleter>;
using ReportPtr = std::unique_ptr<mrmlguard_report, ReportDeleter>;

PolicyPtr NewPolicy() {
  const char* profile = std::getenv("MRMLGUARD_PROFILE");
  return PolicyPtr(mrmlguard_policy_new(profile != nullptr && *profile != '\0' ? profile : "default"));
}

bool StartsWithZipHeader(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;  // mrmlguard reports why it cannot be read
  unsigned char magic[4] = {0, 0, 0, 0};
  const size_t got = std::fread(magic, 1, sizeof magic, file);
  std::fclose(file);
  return got == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

// Why a report refuses a file: the status message, or the first error finding.
std::string Reason(const mrmlguard_report* report, mrmlguard_error code) {
  if (report == nullptr) return std::string("mrmlguard failed: ") + mrmlguard_strerror(code);
  if (mrmlguard_report_status(report) != MRMLGUARD_STATUS_OK) {
    return std::string("mrmlguard could not read it (") + mrmlguard_report_status_message(report) + ")";
  }
  const size_t count = mrmlguard_report_finding_count(report);
  for (size_t i = 0; i < count; ++i) {
    if (mrmlguard_finding_severity(report, i) == MRMLGUARD_SEVERITY_ERROR) {
      return std::string("mrmlguard found an error that makes opening it unsafe: ") +
             mrmlguard_finding_message(report, i) + " [" + mrmlguard_finding_rule_id(report, i) + "]";
    }
  }
  return "mrmlguard rejected it";
}

std::string RealPath(const std::string& path) {
  std::error_code error;
  std::filesystem::path real = std::filesystem::weakly_canonical(path, error);
  return error ? path : real.string();
}

}  // namespace

qMrmlGuardReader::qMrmlGuardReader(qSlicerFileReader* inner, qSlicerCoreIOManager* manager,
                                   const QString& temporaryPath, QObject* parent)
    : Superclass(parent), Inner(inner), Manager(manager), TemporaryPath(temporaryPath) {}

bool qMrmlGuardReader::IsGuardedType(const QString& fileType) {
  return fileType == QString("SceneFile") || fileType == QString("SequenceFile");
}

int qMrmlGuardReader::WrapReaders(qSlicerCoreIOManager* manager, const QString& temporaryPath, QObject* parent) {
  if (manager == nullptr) return 0;
  int wrapped = 0;
  for (qSlicerFileReader*& reader : IOManagerAccess::Readers(manager)) {
    if (reader == nullptr || qobject_cast<qMrmlGuardReader*>(reader) != nullptr) continue;
    if (!IsGuardedType(reader->fileType())) continue;
    // The original stays alive, parented to the IO manager; only the list
    // entry changes.
    reader = new qMrmlGuardReader(reader, manager, temporaryPath, parent);
    ++wrapped;
  }
  return wrapped;
}

qSlicerFileReader* qMrmlGuardReader::inner() const { return this->Inner.data(); }

QString qMrmlGuardReader::description() const { return this->Inner ? this->Inner->description() : QString(); }
qSlicerIO::IOFileType qMrmlGuardReader::fileType() const {
  return this->Inner ? this->Inner->fileType() : qSlicerIO::IOFileType();
}
qSlicerIOOptions* qMrmlGuardReader::options() const { return this->Inner ? this->Inner->options() : nullptr; }
QStringList qMrmlGuardReader::extensions() const { return this->Inner ? this->Inner->extensions() : QStringList(); }
bool qMrmlGuardReader::canLoadFile(const QString& file) const { return this->Inner && this->Inner->canLoadFile(file); }
double qMrmlGuardReader::canLoadFileConfidence(const QString& file) const {
  return this->Inner ? this->Inner->canLoadFileConfidence(file) : 0.0;
}
bool qMrmlGuardReader::examineFileInfoList(QFileInfoList& fileInfoList, QFileInfo& archetypeFileInfo,
                                           qSlicerIO::IOProperties& ioProperties) const {
  return this->Inner && this->Inner->examineFileInfoList(fileInfoList, archetypeFileInfo, ioProperties);
}

void qMrmlGuardReader::refuse(const std::string& text) {
  this->userMessages()->AddMessage(vtkCommand::ErrorEvent, text);
}

bool qMrmlGuardReader::forward(qSlicerFileReader* reader, const qSlicerIO::IOProperties& properties) {
  reader->userMessages()->ClearMessages();
  reader->setMRMLScene(this->mrmlScene());
  const bool ok = reader->load(properties);
  this->userMessages()->AddMessages(reader->userMessages());
  this->setLoadedNodes(ok ? reader->loadedNodes() : QStringList());
  return ok;
}

bool qMrmlGuardReader::load(const qSlicerIO::IOProperties& properties) {
  this->setLoadedNodes(QStringList());
  if (!this->Inner) {
    this->refuse("mrmlguard: the wrapped reader is gone");
    return false;
  }
  const std::string file = properties.value("fileName").toString().toStdString();
  if (file.empty()) {
    this->refuse("mrmlguard: no file name was given to the reader");
    return false;
  }
  const bool sequence = this->fileType() == QString("SequenceFile");
  if (sequence && !QString::fromStdString(file).endsWith(".mrb", Qt::CaseInsensitive)) {
    return this->forward(this->Inner, properties);  // NRRD sequences: no scene, no archive
  }
  if (sequence || StartsWithZipHeader(file)) return this->loadBundle(file, properties);

  PolicyPtr policy = NewPolicy();
  mrmlguard_report* raw = nullptr;
  const mrmlguard_error code = mrmlguard_validate_file(policy.get(), file.c_str(), &raw);
  ReportPtr report(raw);
  if (code != MRMLGUARD_OK || !mrmlguard_report_accepted(report.get())) {
    this->refuse(file + " was not loaded: " + Reason(report.get(), code));
    return false;
  }
  return this->forward(this->Inner, properties);
}

qMrmlGuardReader* qMrmlGuardReader::sceneReaderFor(const QString& sceneFile) const {
  for (qSlicerFileReader* reader : IOManagerAccess::Readers(this->Manager)) {
    auto* guard = qobject_cast<qMrmlGuardReader*>(reader);
    if (guard != nullptr && guard->inner() != nullptr && guard->fileType() == QString("SceneFile") &&
        guard->inner()->canLoadFileConfidence(sceneFile) > 0.0) {
      return guard;
    }
  }
  return nullptr;
}

bool qMrmlGuardReader::loadBundle(const std::string& bundle, const qSlicerIO::IOProperties& properties) {
  QTemporaryDir folder(this->TemporaryPath + QString("/mrmlguard-XXXXXX"));
  if (!folder.isValid()) {
    this->refuse(bundle + " was not loaded: mrmlguard could not create a temporary folder");
    return false;
  }
  const std::string destination = folder.path().toStdString();
  PolicyPtr policy = NewPolicy();
  mrmlguard_report* raw = nullptr;
  const char* main_scene = nullptr;
  const mrmlguard_error code =
      mrmlguard_extract(policy.get(), bundle.c_str(), destination.c_str(), &raw, &main_scene);
  ReportPtr report(raw);
  if (code != MRMLGUARD_OK || !mrmlguard_report_accepted(report.get()) || main_scene == nullptr) {
    this->refuse(bundle + " was not loaded: " + Reason(report.get(), code));
    return false;
  }
  const QString scene = QString::fromUtf8(main_scene);
  qSlicerIO::IOProperties checked = properties;
  checked["fileName"] = scene;

  if (this->fileType() == QString("SequenceFile")) {
    // qSlicerSequencesReader::load -> AddSequence(the .mrml): SetURL + Connect.
    if (!this->forward(this->Inner, checked)) return false;
    vtkMRMLScene* mrml = this->mrmlScene();
    const std::string real_bundle = RealPath(bundle);
    for (const QString& id : this->loadedNodes()) {
      vtkMRMLStorableNode* node =
          mrml != nullptr ? vtkMRMLStorableNode::SafeDownCast(mrml->GetNodeByID(id.toUtf8().constData())) : nullptr;
      if (node != nullptr && node->GetStorageNode() != nullptr) {
        node->GetStorageNode()->SetFileName(real_bundle.c_str());
      }
    }
    return true;
  }

  qMrmlGuardReader* sceneReader = this->sceneReaderFor(scene);
  if (sceneReader == nullptr) {
    this->refuse(bundle + " was not loaded: no scene reader for its main scene");
    return false;
  }
  if (!this->forward(sceneReader->inner(), checked)) return false;
  this->rebaseScene(bundle, destination);
  return true;
}

// What vtkMRMLScene::ReadFromMRB does after loading an extracted bundle: URL
// and root directory next to the bundle, storage file names below the
// extraction folder made relative to the loaded root, storable nodes marked
// modified (the folder is removed when `folder` goes out of scope).
void qMrmlGuardReader::rebaseScene(const std::string& bundle, const std::string& folder) {
  vtkMRMLScene* scene = this->mrmlScene();
  if (scene == nullptr) return;
  const std::filesystem::path real_bundle(RealPath(bundle));
  const std::string loaded_root = RealPath(scene->GetRootDirectory() != nullptr ? scene->GetRootDirectory() : "");
  const std::string directory = real_bundle.parent_path().string();
  const std::string url = (real_bundle.parent_path() / real_bundle.stem()).string() + ".mrml";
  scene->SetURL(url.c_str());
  scene->SetRootDirectory(directory.c_str());
  const std::string prefix = RealPath(folder) + "/";
  std::vector<vtkMRMLNode*> nodes;
  scene->GetNodesByClass("vtkMRMLStorageNode", nodes);
  for (vtkMRMLNode* node : nodes) {
    vtkMRMLStorageNode* storage = vtkMRMLStorageNode::SafeDownCast(node);
    if (storage == nullptr) continue;
    for (int i = -1; i < storage->GetNumberOfFileNames(); ++i) {
      const char* name = i < 0 ? storage->GetFileName() : storage->GetNthFileName(i);
      if (name == nullptr || RealPath(name).rfind(prefix, 0) != 0) continue;
      const std::string relative = std::filesystem::path(RealPath(name)).lexically_relative(loaded_root).string();
      if (i < 0) {
        storage->SetFileName(relative.c_str());
      } else {
        storage->ResetNthFileName(i, relative.c_str());
      }
    }
  }
  scene->SetStorableNodesModifiedSinceRead();
}
