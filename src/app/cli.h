// The `newsdesk` command line: run, ingest, process, serve, export and the batch tools
// extract, cluster, summarize, related, feed (DESIGN.md). Every command has --help and
// --config. Exit status: 0 when the work was done (possibly with some inputs failing,
// each reported on one line), 1 when nothing could be done, 2 for bad usage.
#pragma once

namespace nd::app {

int RunCli(int argc, char** argv);

}  // namespace nd::app
