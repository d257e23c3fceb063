// SPDX-License-Identifier: BSD-3-Clause
// A header-level stand-in for the few Qt classes slicer/MrmlGuardReaders uses,
// with the same names and member signatures as Qt 5/6 (QtCore), so that the
// module's sources compile unchanged against it. Only what the module calls
// exists; anything else is a compile error, which is the point.
// Not Qt: no meta-object system, no signals, no implicit sharing.
#ifndef MRMLGUARD_SLICER_STUB_QT_STUB_H_
#define MRMLGUARD_SLICER_STUB_QT_STUB_H_

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#define Q_OBJECT
#define Q_INVOKABLE
#define Q_DISABLE_COPY(Class) \
  Class(const Class&) = delete; \
  Class& operator=(const Class&) = delete;
#define Q_UNUSED(x) (void)(x)
#define slots
#define signals public

namespace Qt {
enum CaseSensitivity { CaseInsensitive, CaseSensitive };
}

class QObject {
 public:
  explicit QObject(QObject* parent = nullptr) { setParent(parent); }
  virtual ~QObject() {
    if (parent_ != nullptr) parent_->Forget(this);
    std::vector<QObject*> children;
    children.swap(children_);
    for (QObject* child : children) {
      child->parent_ = nullptr;
      delete child;
    }
  }
  QObject* parent() const { return parent_; }
  void setParent(QObject* parent) {
    if (parent_ != nullptr) parent_->Forget(this);
    parent_ = parent;
    if (parent_ != nullptr) parent_->children_.push_back(this);
  }
  QObject(const QObject&) = delete;
  QObject& operator=(const QObject&) = delete;

 private:
  void Forget(QObject* child) { children_.erase(std::remove(children_.begin(), children_.end(), child), children_.end()); }
  QObject* parent_ = nullptr;
  std::vector<QObject*> children_;
};

template <typename T>
T qobject_cast(QObject* object) {
  return dynamic_cast<T>(object);
}

class QByteArray {
 public:
  explicit QByteArray(std::string bytes) : bytes_(std::move(bytes)) {}
  const char* constData() const { return bytes_.c_str(); }

 private:
  std::string bytes_;
};

class QString {
 public:
  QString() = default;
  QString(const char* text) : text_(text != nullptr ? text : "") {}  // NOLINT: implicit, as Qt's
  static QString fromStdString(const std::string& text) { return QString(text.c_str()); }
  static QString fromUtf8(const char* text) { return QString(text); }
  std::string toStdString() const { return text_; }
  QByteArray toUtf8() const { return QByteArray(text_); }
  bool isEmpty() const { return text_.empty(); }
  bool endsWith(const QString& suffix, Qt::CaseSensitivity cs = Qt::CaseSensitive) const {
    if (suffix.text_.size() > text_.size()) return false;
    std::string tail = text_.substr(text_.size() - suffix.text_.size());
    std::string want = suffix.text_;
    if (cs == Qt::CaseInsensitive) {
      for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (char& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return tail == want;
  }
  bool operator==(const QString& other) const { return text_ == other.text_; }
  bool operator!=(const QString& other) const { return text_ != other.text_; }
  bool operator<(const QString& other) const { return text_ < other.text_; }
  QString operator+(const QString& other) const { return QString((text_ + other.text_).c_str()); }

 private:
  std::string text_;
};

template <typename T>
class QList {
 public:
  QList() = default;
  QList& operator<<(const T& value) {
    items_.push_back(value);
    return *this;
  }
  void append(const T& value) { items_.push_back(value); }
  int size() const { return static_cast<int>(items_.size()); }
  bool isEmpty() const { return items_.empty(); }
  const T& at(int index) const { return items_.at(static_cast<size_t>(index)); }
  T& operator[](int index) { return items_.at(static_cast<size_t>(index)); }
  bool contains(const T& value) const { return std::find(items_.begin(), items_.end(), value) != items_.end(); }
  typename std::vector<T>::iterator begin() { return items_.begin(); }
  typename std::vector<T>::iterator end() { return items_.end(); }
  typename std::vector<T>::const_iterator begin() const { return items_.begin(); }
  typename std::vector<T>::const_iterator end() const { return items_.end(); }

 private:
  std::vector<T> items_;
};

class QStringList : public QList<QString> {
 public:
  QStringList& operator<<(const QString& value) {
    append(value);
    return *this;
  }
};

class QVariant {
 public:
  QVariant() = default;
  QVariant(const char* text) : kind_(kString), text_(text) {}  // NOLINT: implicit, as Qt's
  QVariant(const QString& text) : kind_(kString), text_(text) {}  // NOLINT
  QVariant(bool value) : kind_(kBool), flag_(value) {}  // NOLINT
  QVariant(const QStringList& list) : kind_(kList), list_(list) {}  // NOLINT
  QString toString() const { return kind_ == kString ? text_ : QString(); }
  bool toBool() const { return kind_ == kBool ? flag_ : (kind_ == kString && !text_.isEmpty()); }
  QStringList toStringList() const { return list_; }
  bool isValid() const { return kind_ != kNone; }

 private:
  enum Kind { kNone, kString, kBool, kList } kind_ = kNone;
  QString text_;
  bool flag_ = false;
  QStringList list_;
};

template <typename K, typename V>
class QMap {
 public:
  V& operator[](const K& key) { return items_[key]; }
  V value(const K& key, const V& fallback = V()) const {
    auto it = items_.find(key);
    return it == items_.end() ? fallback : it->second;
  }
  bool contains(const K& key) const { return items_.count(key) != 0; }
  void insert(const K& key, const V& value) { items_[key] = value; }

 private:
  std::map<K, V> items_;
};
using QVariantMap = QMap<QString, QVariant>;

template <typename T>
class QPointer {
 public:
  QPointer() = default;
  QPointer(T* pointer) : pointer_(pointer) {}  // NOLINT: implicit, as Qt's
  T* data() const { return pointer_; }
  T* operator->() const { return pointer_; }
  operator T*() const { return pointer_; }  // NOLINT

 private:
  T* pointer_ = nullptr;
};

class QFileInfo {};
using QFileInfoList = QList<QFileInfo>;

// QTemporaryDir: creates a new folder (0700) from a template ending in
// XXXXXX, removes it and its content when destroyed.
class QTemporaryDir {
 public:
  explicit QTemporaryDir(const QString& templatePath) {
    std::string name = templatePath.toStdString();
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
  }
  ~QTemporaryDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  bool isValid() const { return !path_.empty(); }
  QString path() const { return QString::fromStdString(path_); }
  QTemporaryDir(const QTemporaryDir&) = delete;
  QTemporaryDir& operator=(const QTemporaryDir&) = delete;

 private:
  std::string path_;
};

#endif  // MRMLGUARD_SLICER_STUB_QT_STUB_H_
