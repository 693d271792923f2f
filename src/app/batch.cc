#include "app/batch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/progress.h"
#include "cluster/cluster.h"
#include "core/json.h"
#include "core/time.h"
#include "core/url.h"
#include "extract/extract.h"
#include "feeds/feeds.h"
#include "fetch/fetch.h"
#include "relate/relate.h"
#include "text/text.h"
#include "write/write.h"

namespace nd::app {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Result<std::string> ReadInput(const std::string& file) {
  if (file == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  return fetch::ReadFile(file);
}

// Reads JSON lines; calls `fn(line_number, object)` for each valid object and reports the
// others on `err`.
template <typename Fn>
Status ForEachJsonLine(const std::string& path, std::ostream& err, Fn fn) {
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (path != "-") {
    in_file.open(path, std::ios::binary);
    if (!in_file) return Status::NotFound(path + ": cannot open");
    in = &in_file;
  }
  std::string line;
  int n = 0;
  while (std::getline(*in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      err << path << ":" << n << ": not a JSON object, skipped\n";
      continue;
    }
    if (!j.contains("id")) {
      err << path << ":" << n << ": no \"id\", skipped\n";
      continue;
    }
    fn(n, j);
  }
  return Status::Ok();
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

UnixTime TimeField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  if (it->is_number()) return it->get<UnixTime>();
  if (it->is_string()) return ParseDateTime(it->get<std::string>());
  return 0;
}

json ArticleJson(const Article& a) {
  json j = a;
  j.erase("id");
  j.erase("source_id");
  j.erase("story_id");
  j.erase("duplicate_of");
  j.erase("fetched_unix");
  return j;
}

// Articles as the batch tools read them: id, title, text, lang?, published?.
struct BatchArticle {
  json id;
  Article article;
};

std::vector<BatchArticle> ReadArticles(const std::string& path, std::ostream& err, Status* st) {
  std::vector<BatchArticle> out;
  *st = ForEachJsonLine(path, err, [&](int, const json& j) {
    BatchArticle b;
    b.id = j["id"];
    b.article.title = StringField(j, "title");
    std::string body = StringField(j, "text");
    std::istringstream lines(body);
    for (std::string l; std::getline(lines, l);) {
      if (!l.empty()) b.article.blocks.push_back({BlockKind::kParagraph, l});
    }
    b.article.lang = StringField(j, "lang");
    if (b.article.lang.empty()) {
      b.article.lang = text::DetectLanguage(b.article.title + "\n" + body);
    }
    b.article.published = TimeField(j, "published");
    out.push_back(std::move(b));
  });
  return out;
}

}  // namespace

Status ExtractOne(const std::string& file, const std::string& url, std::ostream& out) {
  auto bytes = ReadInput(file);
  if (!bytes.ok()) return bytes.status();
  std::string where = url.empty() ? (file == "-" ? "" : FileUrlFromPath(file)) : url;
  std::string html = fetch::DecodeToUtf8(*bytes, "", true);
  auto a = extract::ExtractArticle(html, where);
  if (!a.ok()) return Status(a.status().code(), file + ": " + a.status().message());
  out << ArticleJson(*a).dump() << "\n";
  return Status::Ok();
}

Status ExtractBatch(const std::string& dir, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir + ": not a directory");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".html" || ext == ".htm")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  Progress progress("extract", files.size());
  for (const fs::path& p : files) {
    progress.Tick();
    json j;
    j["id"] = p.stem().string();
    auto bytes = fetch::ReadFile(p.string());
    if (!bytes.ok()) {
      err << bytes.status().message() << "\n";
      j["text"] = "";
      j["error"] = bytes.status().message();
      out << j.dump() << "\n";
      continue;
    }
    std::string html = fetch::DecodeToUtf8(*bytes, "", true);
    std::string page_url = FileUrlFromPath(p.string());
    auto a = extract::ExtractArticle(html, page_url);
    if (!a.ok()) {
      err << p.string() << ": " << a.status().message() << "\n";
      j["text"] = "";
      j["error"] = a.status().message();
      // The reason alone, as Article::reason gives it for pages with an empty body.
      std::string reason = a.status().message();
      if (reason.rfind(page_url + ": ", 0) == 0) reason.erase(0, page_url.size() + 2);
      j["reason"] = reason;
    } else {
      j.update(ArticleJson(*a));
      j["id"] = p.stem().string();
    }
    out << j.dump() << "\n";
  }
  return Status::Ok();
}

Status ClusterJsonl(const std::string& in_path, std::ostream& out, std::ostream& err) {
  Status st;
  std::vector<BatchArticle> articles = ReadArticles(in_path, err, &st);
  if (!st.ok()) return st;
  std::stable_sort(articles.begin(), articles.end(), [](const auto& x, const auto& y) {
    return x.article.published < y.article.published;
  });
  std::int64_t next = 1;
  cluster::Clusterer clusterer({}, [&] { return next++; });
  Progress progress("cluster", articles.size());
  // Stories merge when later evidence bridges them, so lines are printed at the end, with
  // each merged story's id replaced by the id of the story it merged into.
  std::vector<cluster::Assignment> assigned;
  assigned.reserve(articles.size());
  std::unordered_map<std::int64_t, std::int64_t> merged_into;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    progress.Tick();
    cluster::ClusterDoc doc = cluster::MakeClusterDoc(articles[i].article);
    doc.id = static_cast<std::int64_t>(i + 1);
    assigned.push_back(clusterer.Add(doc));
    if (assigned.back().merged != 0) merged_into[assigned.back().merged] = assigned.back().cluster;
  }
  auto resolve = [&](std::int64_t id) {
    for (auto it = merged_into.find(id); it != merged_into.end(); it = merged_into.find(id)) {
      id = it->second;
    }
    return id;
  };
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const std::int64_t story = resolve(assigned[i].cluster);
    json line{{"id", articles[i].id}, {"cluster", story}};
    const std::int64_t follows = assigned[i].follows != 0 ? resolve(assigned[i].follows) : 0;
    if (follows != 0 && follows != story) line["follows"] = follows;
    out << line.dump() << "\n";
  }
  return Status::Ok();
}

Status SummarizeJsonl(const std::string& in_path, int words, std::ostream& out,
                      std::ostream& err) {
  Progress progress("summarize", 0);
  return ForEachJsonLine(in_path, err, [&](int, const json& j) {
    progress.Tick();
    std::vector<std::string> texts;
    if (j.contains("texts") && j["texts"].is_array()) {
      for (const json& t : j["texts"]) {
        if (t.is_string()) texts.push_back(t.get<std::string>());
      }
    } else {
      texts.push_back(StringField(j, "text"));
    }
    std::string lang = StringField(j, "lang");
    if (lang.empty()) lang = text::DetectLanguage(texts.empty() ? "" : texts.front());
    out << json{{"id", j["id"]}, {"summary", write::Summarize(texts, lang, words)}}.dump()
        << "\n";
  });
}

Status RelatedJsonl(const std::string& in_path, int k, std::ostream& out, std::ostream& err) {
  Status st;
  std::vector<BatchArticle> articles = ReadArticles(in_path, err, &st);
  if (!st.ok()) return st;
  relate::RelatedIndex index;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i].article;
    const std::string all = a.title + "\n" + a.Text();
    index.Add({static_cast<std::int64_t>(i), a.published, text::MatchTerms(all, a.lang),
               relate::CrossLingualKeys(all, a.lang), 0});
  }
  Progress progress("related", articles.size());
  for (std::size_t i = 0; i < articles.size(); ++i) {
    progress.Tick();
    json ids = json::array();
    for (std::int64_t r : index.Related(static_cast<std::int64_t>(i), k)) {
      ids.push_back(articles[static_cast<std::size_t>(r)].id);
    }
    out << json{{"id", articles[i].id}, {"related", ids}}.dump() << "\n";
  }
  return Status::Ok();
}

Status FeedOne(const std::string& file, const std::string& base, std::ostream& out) {
  auto bytes = ReadInput(file);
  if (!bytes.ok()) return bytes.status();
  std::string where = !base.empty() ? base : (file == "-" ? "" : FileUrlFromPath(file));
  std::string text = fetch::DecodeToUtf8(*bytes, "", !feeds::LooksLikeFeed(*bytes));
  if (!feeds::LooksLikeFeed(text)) {
    std::vector<std::string> found = feeds::DiscoverFeeds(text, where);
    if (found.empty()) return Status::ParseError(file + ": not a feed, and no feed advertised");
    out << json{{"feeds", found}}.dump() << "\n";
    return Status::Ok();
  }
  auto feed = feeds::ParseFeed(text, where);
  if (!feed.ok()) return Status(feed.status().code(), file + ": " + feed.status().message());
  json items = json::array();
  for (const FeedItem& it : feed->items) {
    items.push_back({{"title", it.title},
                     {"link", it.link},
                     {"published", FormatIso8601(it.published)},
                     {"guid", it.guid}});
  }
  out << json{{"title", feed->title}, {"format", feed->format}, {"items", items}}.dump() << "\n";
  return Status::Ok();
}

}  // namespace nd::app
