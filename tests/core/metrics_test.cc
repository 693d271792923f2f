#include "core/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace nd::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountersAddUpAcrossThreadsAndLabelSetsAreDistinct) {
  Registry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&r] {
      for (int i = 0; i < 1000; ++i) {
        r.GetCounter("nd_test_total", "Test.", {{"result", "ok"}}).Inc();
      }
    });
  }
  for (auto& t : threads) t.join();
  r.GetCounter("nd_test_total", "Test.", {{"result", "timeout"}}).Inc(2);
  EXPECT_EQ(r.GetCounter("nd_test_total", "", {{"result", "ok"}}).Value(), 4000);
  const std::string out = r.Render();
  EXPECT_THAT(out, HasSubstr("nd_test_total{result=\"ok\"} 4000\n"));
  EXPECT_THAT(out, HasSubstr("nd_test_total{result=\"timeout\"} 2\n"));
  EXPECT_THAT(out, HasSubstr("# HELP nd_test_total Test.\n# TYPE nd_test_total counter\n"));
}

TEST(MetricsTest, LabelOrderDoesNotMakeANewSeries) {
  Registry r;
  r.GetGauge("nd_g", "G.", {{"a", "1"}, {"b", "2"}}).Set(5);
  r.GetGauge("nd_g", "G.", {{"b", "2"}, {"a", "1"}}).Add(1);
  EXPECT_THAT(r.Render(), HasSubstr("nd_g{a=\"1\",b=\"2\"} 6\n"));
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.GetCounter("nd_esc_total", "Line one\\two\nthree \"q\"", {{"path", "a\"b\\c\nd"}}).Inc();
  const std::string out = r.Render();
  EXPECT_THAT(out, HasSubstr("nd_esc_total{path=\"a\\\"b\\\\c\\nd\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("# HELP nd_esc_total Line one\\\\two\\nthree \"q\"\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry r;
  Histogram& h = r.GetHistogram("nd_latency_seconds", "L.", {{"route", "story"}}, {0.1, 1.0});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(3.0);
  const std::string out = r.Render();
  EXPECT_THAT(out, HasSubstr("# TYPE nd_latency_seconds histogram\n"));
  EXPECT_THAT(out, HasSubstr("nd_latency_seconds_bucket{route=\"story\",le=\"0.1\"} 2\n"));
  EXPECT_THAT(out, HasSubstr("nd_latency_seconds_bucket{route=\"story\",le=\"1\"} 3\n"));
  EXPECT_THAT(out, HasSubstr("nd_latency_seconds_bucket{route=\"story\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(out, HasSubstr("nd_latency_seconds_sum{route=\"story\"} 3.65\n"));
  EXPECT_THAT(out, HasSubstr("nd_latency_seconds_count{route=\"story\"} 4\n"));
}

TEST(MetricsTest, ANameReusedWithAnotherTypeIsNotRendered) {
  Registry r;
  r.GetCounter("nd_twice", "C.", {}).Inc();
  r.GetGauge("nd_twice", "G.", {}).Set(7);
  const std::string out = r.Render();
  EXPECT_THAT(out, HasSubstr("nd_twice 1\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("nd_twice 7")));
}

TEST(MetricsTest, ValuesAreFormattedAsPrometheusReadsThem) {
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(0.0 / 0.0), "NaN");
}

}  // namespace
}  // namespace nd::metrics
