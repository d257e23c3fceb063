// SPDX-License-Identifier: BSD-3-Clause
// The MrmlGuardReaders loadable module: wraps Slicer's scene and sequence
// readers with qMrmlGuardReader at setup (after Data and Sequences, its
// dependencies, registered theirs) and again at startupCompleted (for
// readers registered by modules set up later). Built only against a Slicer
// build tree (see CMakeLists.txt); tests/embed/slicer_readers_test.cc tests
// the wrapper against a header-level stand-in.
#ifndef MRMLGUARD_SLICER_QSLICERMRMLGUARDREADERSMODULE_H_
#define MRMLGUARD_SLICER_QSLICERMRMLGUARDREADERSMODULE_H_

#include "qSlicerLoadableModule.h"

#include "qSlicerMrmlGuardReadersModuleExport.h"

class Q_SLICER_QTMODULES_MRMLGUARDREADERS_EXPORT qSlicerMrmlGuardReadersModule : public qSlicerLoadableModule {
  Q_OBJECT
  Q_PLUGIN_METADATA(IID "org.slicer.modules.loadable.qSlicerLoadableModule/1.0");
  Q_INTERFACES(qSlicerLoadableModule);

 public:
  typedef qSlicerLoadableModule Superclass;
  explicit qSlicerMrmlGuardReadersModule(QObject* parent = nullptr);
  ~qSlicerMrmlGuardReadersModule() override;

  QString title() const override;
  QStringList categories() const override;
  QStringList contributors() const override;
  QString helpText() const override;
  QString acknowledgementText() const override;
  QStringList dependencies() const override;
  bool isHidden() const override;

 protected:
  void setup() override;
  qSlicerAbstractModuleRepresentation* createWidgetRepresentation() override;
  vtkMRMLAbstractLogic* createLogic() override;

 protected slots:
  void wrapReaders();
};

#endif  // MRMLGUARD_SLICER_QSLICERMRMLGUARDREADERSMODULE_H_
