// Building with and without C++ exceptions (-fno-exceptions): the one place that knows.
//
// vow's own code never writes `try`, `catch` or `throw` where a build without exceptions must
// compile it; it writes these macros instead:
//
//   VOW_TRY { handler(); } VOW_CATCH_ALL { reject(Error::current()); }
//   VOW_THROW(TypeError("...", "ERR_INVALID_ARG_TYPE"));
//   VOW_RETHROW;  // inside VOW_CATCH_ALL
//
// With exceptions they are try, catch (...), throw and throw;. Without them nothing can be
// thrown, so VOW_TRY's block just runs, VOW_CATCH_ALL's block is compiled but never runs, and
// VOW_THROW ends the process the way an uncaught exception would (std::terminate's message:
// the exception's type, name, code and message on stderr, then abort()). Users see
// VOW_HAS_EXCEPTIONS (1 or 0); the rest is internal.
#pragma once

#include <exception>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define VOW_HAS_EXCEPTIONS 1
#else
#define VOW_HAS_EXCEPTIONS 0
#endif

#if VOW_HAS_EXCEPTIONS
#define VOW_TRY try
#define VOW_CATCH_ALL catch (...)
#define VOW_THROW(...) throw __VA_ARGS__
#define VOW_RETHROW throw
#else
#define VOW_TRY if (true)
#define VOW_CATCH_ALL else
#define VOW_THROW(...) ::vow::internal::uncaught(__VA_ARGS__)
#define VOW_RETHROW ::vow::internal::unreachableRethrow()
#endif

namespace vow::internal {

// Without exceptions: what `throw e` would have done uncaught. Prints the exception (for a
// vow::Exception its JS name, Node's code and message) and aborts.
[[noreturn]] void uncaught(const std::exception& e) noexcept;
// Without exceptions: `throw;` in a catch block that cannot run.
[[noreturn]] void unreachableRethrow() noexcept;

}  // namespace vow::internal
