// PostgreSQL databases for tests that run against the private cluster ctest starts with
// tests/support/pg_cluster.sh (fixture "postgres"): its admin URL is read from
// $ND_TEST_PG_STATE/url, or taken from $ND_TEST_PG_URL. Header-only; link libpq.
//
// Thread-safety: the functions are; a TestDatabase belongs to one test.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace nd::pgtest {

// The admin URL of the test cluster, or "" with the reason in `why`.
inline std::string PgAdminUrl(std::string* why) {
  if (const char* url = std::getenv("ND_TEST_PG_URL"); url != nullptr && *url != '\0') {
    return url;
  }
  const char* state = std::getenv("ND_TEST_PG_STATE");
  if (state == nullptr || *state == '\0') {
    *why =
        "neither ND_TEST_PG_URL nor ND_TEST_PG_STATE is set (run through ctest, which "
        "starts the cluster with tests/support/pg_cluster.sh)";
    return {};
  }
  std::ifstream in(std::filesystem::path(state) / "url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) *why = std::string("no cluster URL in ") + state + "/url (did it start?)";
  return url;
}

// Runs SQL on a PostgreSQL database; returns the first value of the first row, or "" and
// an error in `error`.
inline std::string PgValue(const std::string& url, const std::string& sql, std::string* error) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string value;
  if (PQstatus(conn) != CONNECTION_OK) {
    *error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      value = PQgetvalue(r, 0, 0);
    } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      *error = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return value;
}

// The URL of another database on the same server as `admin_url`.
inline std::string PgDatabaseUrl(const std::string& admin_url, const std::string& database) {
  const size_t authority = admin_url.find("://") + 3;
  const size_t slash = admin_url.find('/', authority);
  return admin_url.substr(0, slash == std::string::npos ? admin_url.size() : slash) + "/" +
         database;
}

// A new empty database of its own for one test (named after `prefix`, the process and a
// counter), dropped by Drop().
class TestDatabase {
 public:
  // Creates the database; "" on success, else why it could not.
  std::string Create(const std::string& prefix) {
    std::string why;
    admin_ = PgAdminUrl(&why);
    if (admin_.empty()) return "PostgreSQL tests need a server: " + why;
    static std::atomic<int> counter{0};
    name_ = prefix + std::to_string(getpid()) + "_" + std::to_string(counter++);
    std::string error;
    PgValue(admin_, "DROP DATABASE IF EXISTS " + name_, &error);
    PgValue(admin_, "CREATE DATABASE " + name_, &error);
    if (!error.empty()) return "cannot create a test database: " + error;
    return {};
  }
  // Drops the database (connections to it are closed); "" or the error.
  std::string Drop() {
    std::string error;
    if (!name_.empty())
      PgValue(admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", &error);
    name_.clear();
    return error;
  }
  std::string url() const { return PgDatabaseUrl(admin_, name_); }
  const std::string& admin_url() const { return admin_; }
  const std::string& name() const { return name_; }

 private:
  std::string admin_;
  std::string name_;
};

}  // namespace nd::pgtest
