// Progress for long work: a bar with counts and rate on a terminal (stderr), periodic
// count lines when stderr is not a terminal or the log format is JSON (through
// app/logging.h, so they are log lines). The period is 5 s, or $NEWSDESK_PROGRESS_INTERVAL
// seconds (a decimal, e.g. 0.2).
//
// Thread-safety: Tick() and Finish() are safe from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace nd::app {

class Progress {
 public:
  // `total` may be 0 when unknown.
  Progress(std::string label, std::size_t total);
  ~Progress();
  void Tick(std::size_t n = 1);
  void SetTotal(std::size_t total);
  void Finish();

 private:
  void Draw(bool final_line);

  std::mutex mu_;
  std::string label_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool tty_;
  std::chrono::milliseconds log_every_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace nd::app
