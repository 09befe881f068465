// A directory entry's type from readdir's d_type, or from a stat mode when d_type is
// DT_UNKNOWN: shared by readdir (paths.cc) and Dir (dir.cc).
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "vow/fs/types.h"

namespace vow::fs::internal {

inline Dirent::Type direntType(unsigned char d_type) {
  switch (d_type) {
    case DT_REG:
      return Dirent::Type::kFile;
    case DT_DIR:
      return Dirent::Type::kDirectory;
    case DT_LNK:
      return Dirent::Type::kSymlink;
    case DT_FIFO:
      return Dirent::Type::kFifo;
    case DT_SOCK:
      return Dirent::Type::kSocket;
    case DT_BLK:
      return Dirent::Type::kBlockDevice;
    case DT_CHR:
      return Dirent::Type::kCharacterDevice;
    default:
      return Dirent::Type::kUnknown;
  }
}

inline Dirent::Type direntTypeOfMode(mode_t m) {
  if (S_ISREG(m)) return Dirent::Type::kFile;
  if (S_ISDIR(m)) return Dirent::Type::kDirectory;
  if (S_ISLNK(m)) return Dirent::Type::kSymlink;
  if (S_ISFIFO(m)) return Dirent::Type::kFifo;
  if (S_ISSOCK(m)) return Dirent::Type::kSocket;
  if (S_ISBLK(m)) return Dirent::Type::kBlockDevice;
  if (S_ISCHR(m)) return Dirent::Type::kCharacterDevice;
  return Dirent::Type::kUnknown;
}

}  // namespace vow::fs::internal
