// The newsdesk binary: everything lives in the libraries; see src/app/cli.h.
#include "app/cli.h"

int main(int argc, char** argv) { return nd::app::RunCli(argc, argv); }
