// SPDX-License-Identifier: BSD-3-Clause
// See qSlicerMrmlGuardReadersModule.h.
#include "qSlicerMrmlGuardReadersModule.h"

#include <QDebug>

#include "qMrmlGuardReader.h"
#include "qSlicerApplication.h"
#include "qSlicerCoreIOManager.h"

qSlicerMrmlGuardReadersModule::qSlicerMrmlGuardReadersModule(QObject* parent) : Superclass(parent) {}
qSlicerMrmlGuardReadersModule::~qSlicerMrmlGuardReadersModule() = default;

QString qSlicerMrmlGuardReadersModule::title() const { return "MrmlGuard Readers"; }
QStringList qSlicerMrmlGuardReadersModule::categories() const { return QStringList() << "Utilities"; }
QStringList qSlicerMrmlGuardReadersModule::contributors() const { return QStringList() << "mrmlguard"; }
QString qSlicerMrmlGuardReadersModule::helpText() const {
  return "Checks every scene and sequence file with mrmlguard before Slicer's own readers see it.";
}
QString qSlicerMrmlGuardReadersModule::acknowledgementText() const { return QString(); }
// Set up after the modules whose readers it wraps (qSlicerModuleFactoryManager
// loads and sets up dependencies first).
QStringList qSlicerMrmlGuardReadersModule::dependencies() const { return QStringList() << "Data" << "Sequences"; }
bool qSlicerMrmlGuardReadersModule::isHidden() const { return true; }
qSlicerAbstractModuleRepresentation* qSlicerMrmlGuardReadersModule::createWidgetRepresentation() { return nullptr; }
vtkMRMLAbstractLogic* qSlicerMrmlGuardReadersModule::createLogic() { return nullptr; }

void qSlicerMrmlGuardReadersModule::setup() {
  this->Superclass::setup();
  this->wrapReaders();
  // Readers registered by modules set up after this one.
  connect(qSlicerApplication::application(), SIGNAL(startupCompleted()), this, SLOT(wrapReaders()));
}

void qSlicerMrmlGuardReadersModule::wrapReaders() {
  qSlicerCoreApplication* app = qSlicerCoreApplication::application();
  const int wrapped = qMrmlGuardReader::WrapReaders(app->coreIOManager(), app->temporaryPath(), this);
  qDebug() << "MrmlGuardReaders: wrapped" << wrapped << "scene/sequence reader(s)";
}
