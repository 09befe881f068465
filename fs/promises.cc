#include "vow/fs/promises.h"

#include <unistd.h>

namespace vow::fs::promises {

FileHandle::State::~State() {
  if (fd >= 0) ::close(fd);
}

}  // namespace vow::fs::promises
