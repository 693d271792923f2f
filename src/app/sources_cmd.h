// `newsdesk sources`: the operator manages the sources newsdesk polls without editing files.
//   sources add URL [--section S] [--lang L] [--interval 15m] [--title T] [--kind feed|page]
//   sources list [--json]
//   sources remove ID|URL
//   sources import FILE.opml
//   sources export [-o FILE]
// Adding a page URL discovers its feed (feeds::DiscoverFeed through the polite fetcher).
// Bad input (an unknown option, a bad duration, a bad OPML file, an unknown source) is one
// line on stderr naming the input and the reason, exit status 2, and nothing changed: an
// OPML import is parsed and validated whole before the first source is stored.
//
// Thread-safety: the functions use the Store they are given from the calling thread only.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/types.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace nd::app {

// Registers `sources` and its subcommands on `app`. The subcommand that runs stores its
// exit status in `*rc`: 0 done, 1 failed (store, network), 2 bad input.
void AddSourcesCommand(CLI::App& app, int* rc);

// "new" (never polled), "ok", "failing" (the last poll failed; due again) or "backing off"
// (the last poll failed; the next poll is pushed back).
std::string SourceState(const Source& source, UnixTime now);

// One line of `sources list --json`. `default_interval_s` stands in for interval_s == 0.
nlohmann::json SourceListJson(const Source& source, int default_interval_s, UnixTime now);

// The stored sources as OPML 2.0 (feeds::WriteOpml).
Result<std::string> ExportOpml(Store& store, std::string_view title);

}  // namespace nd::app
