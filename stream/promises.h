// Node's require('stream/promises'): vow::stream::promises::pipeline and
// vow::stream::promises::finished (declared in pipeline.h and finished.h, next to their
// callback forms).
#pragma once

#include "vow/stream/finished.h"  // IWYU pragma: export
#include "vow/stream/pipeline.h"  // IWYU pragma: export
