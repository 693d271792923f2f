#include "app/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/logging.h"

namespace nd::app {
namespace {

std::chrono::milliseconds LogInterval() {
  const char* env = std::getenv("NEWSDESK_PROGRESS_INTERVAL");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    const double secs = std::strtod(env, &end);
    if (end != env && *end == '\0' && secs > 0 && secs < 86400) {
      return std::chrono::milliseconds(static_cast<long long>(secs * 1000));
    }
  }
  return std::chrono::milliseconds(5000);
}

}  // namespace

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      tty_(isatty(STDERR_FILENO) == 1 && !log::JsonMode()),
      log_every_(LogInterval()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::SetTotal(std::size_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  total_ = total;
}

void Progress::Tick(std::size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ += n;
  auto now = std::chrono::steady_clock::now();
  // Redraw a terminal bar 10 times a second; log a count line every log_every_.
  auto every = tty_ ? std::chrono::milliseconds(100) : log_every_;
  if (now - last_draw_ >= every) {
    last_draw_ = now;
    Draw(false);
  }
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (done_ > 0 || tty_) Draw(true);
}

void Progress::Draw(bool final_line) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = secs > 0 ? done_ / secs : 0.0;
  if (tty_) {
    char bar[31] = {0};
    int filled = total_ ? static_cast<int>(30.0 * done_ / total_) : 0;
    for (int i = 0; i < 30; ++i) bar[i] = i < filled ? '#' : (total_ ? '.' : ' ');
    if (total_) {
      std::fprintf(stderr, "\r%s [%s] %zu/%zu  %.1f/s", label_.c_str(), bar, done_, total_, rate);
    } else {
      std::fprintf(stderr, "\r%s %zu  %.1f/s", label_.c_str(), done_, rate);
    }
    if (final_line) std::fprintf(stderr, "\n");
  } else {
    char counts[96];
    if (total_) {
      std::snprintf(counts, sizeof counts, ": %zu/%zu done (%.1f/s)", done_, total_, rate);
    } else {
      std::snprintf(counts, sizeof counts, ": %zu done (%.1f/s)", done_, rate);
    }
    log::Note(label_ + counts);
  }
  std::fflush(stderr);
}

}  // namespace nd::app
