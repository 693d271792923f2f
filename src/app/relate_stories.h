// Related stories after a process run, bounded: instead of re-relating the whole archive,
// an index is built over the newest stories (at most kRelateWindow, plus the changed ones)
// and Story::related is recomputed for the stories that changed and for the stories they
// now list or share a thread with (so an older story gains its new follow-ups and
// neighbours). The cost depends on the window, not on the archive size.
//
// Thread-safety: as Store (one thread per Store).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "relate/relate.h"
#include "store/store.h"

namespace nd::app {

inline constexpr int kRelateWindow = 3000;
inline constexpr std::size_t kRelatedPerStory = 6;

// The RelateDoc of a story: terms of its text in its own language plus its reports'
// titles, language-independent keys of the same text, and its follow-up link.
relate::RelateDoc StoryRelateDoc(const Story& story, const std::vector<Article>& reports);

// Recomputes Story::related for `changed` stories and the stories around them; saves the
// stories whose list changed. Returns how many were saved.
Result<std::size_t> UpdateRelatedStories(Store& store, const std::set<std::int64_t>& changed);

}  // namespace nd::app
