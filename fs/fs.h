// vow::fs: Node's fs module for C++. Include this header for all of it:
//  * the callback API (callback.h): fs::readFile(path, [](vow::Error err, vow::Buffer data) {...}),
//    fs::readFile(path, "utf8", [](vow::Error err, std::string text) {...})
//  * fs::promises (promises.h), derived from the callback API with vow::promisify
//  * the sync API (sync.h): fs::readFileSync(path)
//  * streams (stream.h): fs::createReadStream / fs::createWriteStream
//  * directories read a few entries at a time (dir.h): fs::opendir, fs::Dir
//  * vow::SystemError (system_error.h) and the value types (types.h)
//
//   vow::fs::readFile("a.txt", "utf8", [](vow::Error err, std::string text) {
//     if (err) { std::puts(err.message().c_str()); return; }
//     ...
//   });
//   vow::run();
#pragma once

#include "vow/fs/callback.h"      // IWYU pragma: export
#include "vow/fs/dir.h"           // IWYU pragma: export
#include "vow/fs/promises.h"      // IWYU pragma: export
#include "vow/fs/stream.h"        // IWYU pragma: export
#include "vow/fs/sync.h"          // IWYU pragma: export
#include "vow/fs/system_error.h"  // IWYU pragma: export
#include "vow/fs/types.h"         // IWYU pragma: export
