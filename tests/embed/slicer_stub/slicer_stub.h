// SPDX-License-Identifier: BSD-3-Clause
// A header-level stand-in for the Slicer classes slicer/MrmlGuardReaders uses,
// with the shapes of Slicer 5.x main (cited per class): qSlicerIO,
// qSlicerFileReader, qSlicerCoreIOManager (readers() protected and returning
// a const reference to the private list; loadNodes trying the readers of a
// type in registration order, re-checking confidence, a refusing reader
// falling through to the next).
#ifndef MRMLGUARD_SLICER_STUB_SLICER_STUB_H_
#define MRMLGUARD_SLICER_STUB_SLICER_STUB_H_

#include <sys/stat.h>

#include <memory>
#include <string>

#include "qt_stub.h"
#include "vtk_stub.h"

class qSlicerIOOptions;

// Base/QTCore/qSlicerObject.h
class qSlicerObject {
 public:
  virtual ~qSlicerObject() = default;
  vtkMRMLScene* mrmlScene() const { return scene_; }
  virtual void setMRMLScene(vtkMRMLScene* scene) { scene_ = scene; }

 private:
  vtkMRMLScene* scene_ = nullptr;
};

// Base/QTCore/qSlicerIO.h
class qSlicerIO : public QObject, public qSlicerObject {
  Q_OBJECT
 public:
  typedef QObject Superclass;
  typedef QString IOFileType;
  typedef QVariantMap IOProperties;
  explicit qSlicerIO(QObject* parent = nullptr) : QObject(parent), messages_(new vtkMRMLMessageCollection) {}
  Q_INVOKABLE virtual QString description() const = 0;
  Q_INVOKABLE virtual qSlicerIO::IOFileType fileType() const = 0;
  Q_INVOKABLE virtual qSlicerIOOptions* options() const { return nullptr; }
  Q_INVOKABLE vtkMRMLMessageCollection* userMessages() const { return messages_.get(); }

 private:
  std::unique_ptr<vtkMRMLMessageCollection> messages_;
};

// Base/QTCore/qSlicerFileReader.h
class qSlicerFileReader : public qSlicerIO {
  Q_OBJECT
 public:
  typedef qSlicerIO Superclass;
  explicit qSlicerFileReader(QObject* parent = nullptr) : qSlicerIO(parent) {}
  Q_INVOKABLE virtual QStringList extensions() const { return QStringList(); }
  Q_INVOKABLE virtual bool canLoadFile(const QString& file) const { return canLoadFileConfidence(file) > 0; }
  // qSlicerFileReader::canLoadFileConfidence: 0.5 + 0.01 x the longest
  // matching "*.ext" of extensions(), for an existing regular file only.
  Q_INVOKABLE virtual double canLoadFileConfidence(const QString& file) const {
    struct stat info;
    if (stat(file.toStdString().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return 0.0;
    size_t longest = 0;
    for (const QString& filter : extensions()) {
      std::string text = filter.toStdString();
      for (size_t star = text.find("*."); star != std::string::npos; star = text.find("*.", star + 1)) {
        size_t end = text.find_first_of(" )", star);
        QString suffix = QString::fromStdString(text.substr(star + 1, end - star - 1));
        if (file.endsWith(suffix, Qt::CaseInsensitive)) longest = std::max(longest, suffix.toStdString().size());
      }
    }
    return longest == 0 ? 0.0 : 0.5 + 0.01 * static_cast<double>(longest);
  }
  Q_INVOKABLE virtual bool load(const IOProperties& properties) {
    Q_UNUSED(properties);
    return false;
  }
  Q_INVOKABLE virtual QStringList loadedNodes() const { return loaded_; }
  Q_INVOKABLE virtual bool examineFileInfoList(QFileInfoList& fileInfoList, QFileInfo& archetypeFileInfo,
                                               qSlicerIO::IOProperties& ioProperties) const {
    Q_UNUSED(fileInfoList);
    Q_UNUSED(archetypeFileInfo);
    Q_UNUSED(ioProperties);
    return false;
  }

 protected:
  virtual void setLoadedNodes(const QStringList& nodes) { loaded_ = nodes; }

 private:
  QStringList loaded_;
};

// Base/QTCore/qSlicerCoreIOManager.h. registerIO only appends; the list is
// private (d->Readers); the accessors are protected.
class qSlicerCoreIOManager : public QObject {
  Q_OBJECT
 public:
  explicit qSlicerCoreIOManager(QObject* parent = nullptr) : QObject(parent), d_(new Private) {}
  ~qSlicerCoreIOManager() override { delete d_; }
  void registerIO(qSlicerFileReader* io) {
    d_->Readers << io;
    io->setParent(this);
  }
  void setScene(vtkMRMLScene* scene) { d_->Scene = scene; }
  // qSlicerCoreIOManager::loadNodes (qSlicerCoreIOManager.cxx), one file.
  Q_INVOKABLE virtual bool loadNodes(const qSlicerIO::IOFileType& fileType, const qSlicerIO::IOProperties& parameters,
                                     QStringList* loadedNodes = nullptr,
                                     vtkMRMLMessageCollection* userMessages = nullptr) {
    const QString fileName = parameters.value("fileName").toString();
    for (qSlicerFileReader* const reader : this->readers(fileType)) {
      reader->userMessages()->ClearMessages();
      reader->setMRMLScene(d_->Scene);
      if (reader->canLoadFileConfidence(fileName) <= 0.0) continue;
      const bool ok = reader->load(parameters);
      if (userMessages != nullptr) userMessages->AddMessages(reader->userMessages());
      if (!ok) continue;
      if (loadedNodes != nullptr) *loadedNodes = reader->loadedNodes();
      return true;
    }
    return false;
  }

 protected:
  const QList<qSlicerFileReader*>& readers() const { return d_->Readers; }
  QList<qSlicerFileReader*> readers(const qSlicerIO::IOFileType& fileType) const {
    QList<qSlicerFileReader*> result;
    for (qSlicerFileReader* const io : d_->Readers) {
      if (io->fileType() == fileType) result << io;
    }
    return result;
  }

 private:
  struct Private {
    QList<qSlicerFileReader*> Readers;
    vtkMRMLScene* Scene = nullptr;
  };
  Private* d_;
  Q_DISABLE_COPY(qSlicerCoreIOManager)
};

#endif  // MRMLGUARD_SLICER_STUB_SLICER_STUB_H_
