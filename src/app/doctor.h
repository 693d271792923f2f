// `newsdesk doctor`: checks what newsdesk needs before it runs and says in words what is
// wrong and what to do: the configuration (parses, known keys, types), the database (opens,
// schema version against this binary's, migrations pending, writable), the LLM endpoint
// when one is configured (GET {base_url}/models), the runtime data (ICU converters,
// OpenCC dictionaries, language detection) and the sources (how many, how many failing).
//
// Thread-safety: RunDoctor is a plain function; run it from one thread.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace nd::app {

struct DoctorCheck {
  enum class Level { kOk, kWarn, kFail };
  std::string name;  // "config", "database", "llm", "runtime", "sources"
  Level level = Level::kOk;
  std::string detail;  // what was found and, when not ok, what to do
};

struct DoctorOptions {
  std::string config_path;  // --config (may be empty: $NEWSDESK_CONFIG, ./newsdesk.toml)
  std::string db;           // --db override (may be empty)
  int llm_timeout_s = 5;    // for the LLM endpoint check
};

// Runs every check, in the order above. Never modifies an existing database: a SQLite
// file is read through a read-only connection.
std::vector<DoctorCheck> RunDoctor(const DoctorOptions& options);

// Prints one line per check ("ok    config: ..."), returns the exit status: 1 when any
// check failed, else 0 (warnings included).
int PrintDoctorReport(const std::vector<DoctorCheck>& checks, std::ostream& out);

}  // namespace nd::app
