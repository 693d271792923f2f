// Serve and ExportSite: the two doors of the web stage.

#include "web/web.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>
#include <vector>

#include "web/i18n.h"
#include "web/pages.h"
#include "web/router.h"
#include "web/server.h"
#include "web/site_css.h"

namespace nd::web {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLangs[] = {kLangEnglish, kLangHans, kLangHant};
constexpr int kExportPage = 200;

Status WriteFile(const fs::path& path, std::string_view body) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return Status::IOError(path.parent_path().string() +
                           ": cannot create directory: " + ec.message());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError(path.string() + ": cannot open for writing");
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.close();
  if (!out) return Status::IOError(path.string() + ": write failed");
  return Status::Ok();
}

// Renders `target` through the router as a static page whose links are relative to
// `prefix`, and writes it to out_dir/file.
Status ExportOne(Store& store, const SiteOptions& base, const fs::path& out_dir,
                 const std::string& target, const std::string& prefix, const std::string& file) {
  SiteOptions site = base;
  site.static_prefix = prefix;
  Request request;
  request.target = target;
  Response response = Handle(request, store, site, nullptr);
  if (response.status != 200) {
    return Status::Internal(out_dir.string() + ": exporting " + target + " gave HTTP " +
                            std::to_string(response.status) + ": " + response.body.substr(0, 200));
  }
  return WriteFile(out_dir / file, response.body);
}

}  // namespace

Status Serve(const ServeOptions& options, const std::atomic<bool>& stop) {
  return ServeWithStores(
      options, [&options]() { return Store::Open(options.db); }, stop);
}

Status ExportSite(Store& store, const std::string& out_dir, const std::string& site_title,
                  const std::function<void(std::size_t done, std::size_t total)>& progress) {
  const fs::path root(out_dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return Status::IOError(out_dir + ": cannot create export directory: " + ec.message());
  if (!fs::is_directory(root, ec)) return Status::IOError(out_dir + ": not a directory");

  SectionCache sections;
  SiteOptions site;
  site.title = site_title;
  site.static_export = true;
  site.sections = &sections;
  for (const char* lang : kLangs) {
    const std::string l = lang;
    Status s = ExportOne(store, site, root, "/?lang=" + l, "", Links::HomeFile(l));
    if (s.ok()) s = ExportOne(store, site, root, "/about?lang=" + l, "", Links::AboutFile(l));
    if (s.ok()) {
      s = ExportOne(store, site, root, "/sources?lang=" + l, "", Links::SourcesFile(l));
    }

    if (s.ok())
      s = ExportOne(store, site, root, "/feed.atom?lang=" + l, "", Links::FeedAtomFile(l));
    if (s.ok())
      s = ExportOne(store, site, root, "/feed.json?lang=" + l, "", Links::FeedJsonFile(l));
    if (!s.ok()) return s;
  }
  std::set<std::string> all_sections;
  for (const std::string& section : sections.Get(store)) all_sections.insert(section);
  if (Status s = WriteFile(root / "static" / "site.css", SiteCss()); !s.ok()) return s;
  if (Status s = WriteFile(root / "static" / "favicon.svg", FaviconSvg()); !s.ok()) return s;
  if (Status s =
          ExportOne(store, site, root, "/api/v1/stories?limit=100000", "", "api/v1/stories.json");
      !s.ok()) {
    return s;
  }
  if (Status s = ExportOne(store, site, root, "/api/v1/openapi.json", "", "api/v1/openapi.json");
      !s.ok()) {
    return s;
  }

  auto total = store.CountStories();
  std::size_t done = 0;
  for (int offset = 0;; offset += kExportPage) {
    StoryListOptions options;
    options.offset = offset;
    options.limit = kExportPage;
    auto stories = store.ListStories(options);
    if (!stories.ok()) {
      return Status(stories.status().code(),
                    out_dir + ": listing stories: " + stories.status().message());
    }
    for (const Story& story : *stories) {
      if (!story.section.empty()) all_sections.insert(story.section);
      const std::string id = std::to_string(story.id);
      for (const char* lang : kLangs) {
        const std::string l = lang;
        Status s = ExportOne(store, site, root, "/story/" + id + "?lang=" + l, "../",
                             Links::StoryFile(story.id, l));
        if (!s.ok()) return s;
      }
      Status s = ExportOne(store, site, root, "/api/v1/stories/" + id, "",
                           "api/v1/stories/" + id + ".json");
      if (!s.ok()) return s;
      if (progress) progress(++done, total.ok() ? static_cast<std::size_t>(*total) : 0);
    }
    if (static_cast<int>(stories->size()) < kExportPage) break;
  }

  // A page and feeds per section (those of the nav and of every story, file-safe keys).
  for (const std::string& section : all_sections) {
    if (!Links::IsFileSafe(section)) continue;
    for (const char* lang : kLangs) {
      const std::string l = lang;
      const std::string q = "?lang=" + l + "&section=" + section;
      Status s = ExportOne(store, site, root, "/" + q, "../", Links::SectionFile(section, l));
      if (s.ok()) {
        s = ExportOne(store, site, root, "/feed.atom" + q, "../", Links::FeedAtomFile(l, section));
      }
      if (s.ok()) {
        s = ExportOne(store, site, root, "/feed.json" + q, "../", Links::FeedJsonFile(l, section));
      }
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace nd::web
