// SPDX-License-Identifier: BSD-3-Clause
// qMrmlGuardReader: wraps one of Slicer's "SceneFile" or "SequenceFile"
// readers so that no file reaches it before mrmlguard checked it.
//
// qSlicerCoreIOManager has no unregister, priority or pre-load hook:
// registerIO only appends, and loadNodes(type) tries the readers of that type
// in registration order, a refusing reader handing over to the next
// (Base/QTCore/qSlicerCoreIOManager.cxx, registerIO and loadNodes). So
// WrapReaders() replaces each such reader *in the IO manager's own list* by a
// wrapper around it: Slicer's reader is then reachable only through the
// wrapper, from every caller of loadNodes, C++ and Python alike (Load Scene,
// Add Data whatever type the user picks, recent files, Sample Data, ...).
//
// The wrapper forwards description, file type, extensions, options and
// confidence, so Slicer's dialogs are unchanged. load():
//   - a ZIP file (a bundle): mrmlguard_extract() into a fresh folder below
//     the temporary path; refused: error messages, false; accepted: the
//     checked main scene is loaded by Slicer's *scene* reader (a wrapped
//     "SceneFile" reader whose own reader accepts the .mrml, never the bundle
//     reader, so libarchive never reads the file), the scene re-pointed at the
//     bundle's folder as vtkMRMLScene::ReadFromMRB does, the folder removed.
//     For "SequenceFile" the main scene goes to the wrapped Sequences reader
//     (vtkSlicerSequencesLogic::AddSequence reads a .mrml with SetURL +
//     Connect), and the sequence's storage node is pointed at the bundle;
//   - anything else of type "SceneFile" (a .mrml): mrmlguard_validate_file();
//     accepted: forwarded to the wrapped reader;
//   - "SequenceFile" that is not a .mrb (NRRD sequences): forwarded unchecked.
// A refusal returns false; the next readers of the type are wrappers too, so
// nothing falls through to an unchecked reader.
#ifndef MRMLGUARD_SLICER_QMRMLGUARDREADER_H_
#define MRMLGUARD_SLICER_QMRMLGUARDREADER_H_

#include <string>

#include <QPointer>
#include <QString>
#include <QStringList>

#include "qSlicerCoreIOManager.h"
#include "qSlicerFileReader.h"

class qMrmlGuardReader : public qSlicerFileReader {
  Q_OBJECT
 public:
  typedef qSlicerFileReader Superclass;
  // `inner` stays owned by the IO manager (its parent); the wrapper is owned by `parent`.
  qMrmlGuardReader(qSlicerFileReader* inner, qSlicerCoreIOManager* manager, const QString& temporaryPath,
                   QObject* parent = nullptr);

  // Replaces every "SceneFile" and "SequenceFile" reader of `manager` that is
  // not wrapped yet by a wrapper owned by `parent`. Returns how many it
  // wrapped. Call it at module setup (after Data and Sequences registered
  // theirs) and again at startupCompleted (for readers registered later).
  static int WrapReaders(qSlicerCoreIOManager* manager, const QString& temporaryPath, QObject* parent);
  // True for the file types this wrapper guards.
  static bool IsGuardedType(const QString& fileType);

  qSlicerFileReader* inner() const;

  QString description() const override;
  qSlicerIO::IOFileType fileType() const override;
  qSlicerIOOptions* options() const override;
  QStringList extensions() const override;
  bool canLoadFile(const QString& file) const override;
  double canLoadFileConfidence(const QString& file) const override;
  bool examineFileInfoList(QFileInfoList& fileInfoList, QFileInfo& archetypeFileInfo,
                           qSlicerIO::IOProperties& ioProperties) const override;
  bool load(const qSlicerIO::IOProperties& properties) override;

 private:
  bool loadBundle(const std::string& bundle, const qSlicerIO::IOProperties& properties);
  bool forward(qSlicerFileReader* reader, const qSlicerIO::IOProperties& properties);
  qMrmlGuardReader* sceneReaderFor(const QString& sceneFile) const;
  void refuse(const std::string& text);
  void rebaseScene(const std::string& bundle, const std::string& folder);

  QPointer<qSlicerFileReader> Inner;
  qSlicerCoreIOManager* Manager;
  QString TemporaryPath;
};

#endif  // MRMLGUARD_SLICER_QMRMLGUARDREADER_H_
