#include "vow/fs/system_error.h"

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace vow {
namespace {

struct ErrnoEntry {
  int errnum;  // positive (Linux)
  const char* name;
  const char* description;
};

// libuv's names and uv_strerror texts for Linux errnos (what Node prints).
constexpr ErrnoEntry kErrnos[] = {
    {1, "EPERM", "operation not permitted"},
    {2, "ENOENT", "no such file or directory"},
    {3, "ESRCH", "no such process"},
    {4, "EINTR", "interrupted system call"},
    {5, "EIO", "i/o error"},
    {6, "ENXIO", "no such device or address"},
    {7, "E2BIG", "argument list too long"},
    {9, "EBADF", "bad file descriptor"},
    {11, "EAGAIN", "resource temporarily unavailable"},
    {12, "ENOMEM", "not enough memory"},
    {13, "EACCES", "permission denied"},
    {14, "EFAULT", "bad address in system call argument"},
    {16, "EBUSY", "resource busy or locked"},
    {17, "EEXIST", "file already exists"},
    {18, "EXDEV", "cross-device link not permitted"},
    {19, "ENODEV", "no such device"},
    {20, "ENOTDIR", "not a directory"},
    {21, "EISDIR", "illegal operation on a directory"},
    {22, "EINVAL", "invalid argument"},
    {23, "ENFILE", "file table overflow"},
    {24, "EMFILE", "too many open files"},
    {25, "ENOTTY", "inappropriate ioctl for device"},
    {26, "ETXTBSY", "text file is busy"},
    {27, "EFBIG", "file too large"},
    {28, "ENOSPC", "no space left on device"},
    {29, "ESPIPE", "invalid seek"},
    {30, "EROFS", "read-only file system"},
    {31, "EMLINK", "too many links"},
    {32, "EPIPE", "broken pipe"},
    {34, "ERANGE", "result too large"},
    {36, "ENAMETOOLONG", "name too long"},
    {38, "ENOSYS", "function not implemented"},
    {39, "ENOTEMPTY", "directory not empty"},
    {40, "ELOOP", "too many symbolic links encountered"},
    {49, "EUNATCH", "protocol driver not attached"},
    {61, "ENODATA", "no data available"},
    {64, "ENONET", "machine is not on the network"},
    {71, "EPROTO", "protocol error"},
    {75, "EOVERFLOW", "value too large for defined data type"},
    {84, "EILSEQ", "illegal byte sequence"},
    {88, "ENOTSOCK", "socket operation on non-socket"},
    {89, "EDESTADDRREQ", "destination address required"},
    {90, "EMSGSIZE", "message too long"},
    {91, "EPROTOTYPE", "protocol wrong type for socket"},
    {92, "ENOPROTOOPT", "protocol not available"},
    {93, "EPROTONOSUPPORT", "protocol not supported"},
    {94, "ESOCKTNOSUPPORT", "socket type not supported"},
    {95, "ENOTSUP", "operation not supported on socket"},
    {97, "EAFNOSUPPORT", "address family not supported"},
    {98, "EADDRINUSE", "address already in use"},
    {99, "EADDRNOTAVAIL", "address not available"},
    {100, "ENETDOWN", "network is down"},
    {101, "ENETUNREACH", "network is unreachable"},
    {103, "ECONNABORTED", "software caused connection abort"},
    {104, "ECONNRESET", "connection reset by peer"},
    {105, "ENOBUFS", "no buffer space available"},
    {106, "EISCONN", "socket is already connected"},
    {107, "ENOTCONN", "socket is not connected"},
    {108, "ESHUTDOWN", "cannot send after transport endpoint shutdown"},
    {110, "ETIMEDOUT", "connection timed out"},
    {111, "ECONNREFUSED", "connection refused"},
    {112, "EHOSTDOWN", "host is down"},
    {113, "EHOSTUNREACH", "host is unreachable"},
    {114, "EALREADY", "connection already in progress"},
    {121, "EREMOTEIO", "remote I/O error"},
    {125, "ECANCELED", "operation canceled"},
};

const ErrnoEntry* findErrno(int errnum) {
  int e = errnum < 0 ? -errnum : errnum;
  for (const ErrnoEntry& entry : kErrnos) {
    if (entry.errnum == e) return &entry;
  }
  return nullptr;
}

std::string buildMessage(int errnum, const std::string& syscall,
                         const std::optional<std::string>& path,
                         const std::optional<std::string>& dest) {
  std::string m = errnoName(errnum);
  m += ": ";
  m += errnoDescription(errnum);
  m += ", ";
  m += syscall;
  if (path) {
    m += " '";
    m += *path;
    m += '\'';
  }
  if (dest) {
    m += " -> '";
    m += *dest;
    m += '\'';
  }
  return m;
}

}  // namespace

std::string errnoName(int errnum) {
  if (const ErrnoEntry* e = findErrno(errnum)) return e->name;
  return "Unknown system error " + std::to_string(errnum < 0 ? errnum : -errnum);
}

std::string errnoDescription(int errnum) {
  if (const ErrnoEntry* e = findErrno(errnum)) return e->description;
  return "Unknown system error " + std::to_string(errnum < 0 ? errnum : -errnum);
}

SystemError::SystemError(int errnum, std::string syscall, std::optional<std::string> path,
                         std::optional<std::string> dest)
    : Exception(buildMessage(errnum, syscall, path, dest), errnoName(errnum)),
      errnum_(errnum > 0 ? -errnum : errnum),
      syscall_(std::move(syscall)),
      path_(std::move(path)),
      dest_(std::move(dest)) {}

SystemError::SystemError(std::string code, std::string message, int errnum, std::string syscall,
                         std::optional<std::string> path)
    : Exception(std::move(message), std::move(code)),
      errnum_(errnum),
      syscall_(std::move(syscall)),
      path_(std::move(path)),
      explicit_code_(true) {}

const std::string& SystemError::empty() noexcept {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

absl::Status SystemError::toStatus() const {
  int e = errnum_ < 0 ? -errnum_ : errnum_;
  const std::string& msg = message();
  switch (e) {
    case ENOENT:
    case ENXIO:
    case ENODEV:
    case ESRCH:
      return absl::NotFoundError(msg);
    case EEXIST:
      return absl::AlreadyExistsError(msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(msg);
    case EISDIR:
    case ENOTDIR:
    case ENOTEMPTY:
    case EBUSY:
    case ETXTBSY:
    case EXDEV:
    case EBADF:
    case ESPIPE:
      return absl::FailedPreconditionError(msg);
    case EINVAL:
    case ENAMETOOLONG:
    case ELOOP:
    case E2BIG:
    case EFAULT:
    case EILSEQ:
    case ENOTTY:
      return absl::InvalidArgumentError(msg);
    case ENOSPC:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EMLINK:
    case ENOBUFS:
    case EDQUOT:
      return absl::ResourceExhaustedError(msg);
    case EAGAIN:
    case EINTR:
    case ECONNREFUSED:
    case ECONNRESET:
    case ENETDOWN:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EPIPE:
      return absl::UnavailableError(msg);
    case ETIMEDOUT:
      return absl::DeadlineExceededError(msg);
    case ECANCELED:
      return absl::CancelledError(msg);
    case ENOSYS:
    case ENOTSUP:
      return absl::UnimplementedError(msg);
    case ERANGE:
    case EOVERFLOW:
    case EFBIG:
      return absl::OutOfRangeError(msg);
    case EIO:
      return absl::DataLossError(msg);
    default:
      return absl::UnknownError(msg);
  }
}

}  // namespace vow
