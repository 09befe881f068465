// vow: JavaScript's Promise and Node's event loop, timers and fs for C++20.
//
// One include for everything; depend on @vow//:vow.
#ifndef VOW_VOW_H_
#define VOW_VOW_H_

#include "vow/buffer/buffer.h"             // IWYU pragma: export
#include "vow/fs/fs.h"                     // IWYU pragma: export
#include "vow/loop/abort_controller.h"     // IWYU pragma: export
#include "vow/loop/async_local_storage.h"  // IWYU pragma: export
#include "vow/loop/loop.h"                 // IWYU pragma: export
#include "vow/loop/perf_hooks.h"           // IWYU pragma: export
#include "vow/loop/trace.h"                // IWYU pragma: export
#include "vow/promise/async_generator.h"   // IWYU pragma: export
#include "vow/promise/async_stack.h"       // IWYU pragma: export
#include "vow/promise/combinators.h"       // IWYU pragma: export
#include "vow/promise/for_await.h"         // IWYU pragma: export
#include "vow/promise/promise.h"           // IWYU pragma: export
#include "vow/promise/promisify.h"         // IWYU pragma: export
#include "vow/readline/readline.h"         // IWYU pragma: export
#include "vow/stream/finished.h"           // IWYU pragma: export
#include "vow/stream/pipeline.h"           // IWYU pragma: export
#include "vow/stream/promises.h"           // IWYU pragma: export
#include "vow/stream/readable.h"           // IWYU pragma: export
#include "vow/stream/transform.h"          // IWYU pragma: export
#include "vow/stream/writable.h"           // IWYU pragma: export

#endif  // VOW_VOW_H_
