#include "web/i18n.h"

#include <unicode/locid.h>
#include <unicode/numfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "web/escape.h"

namespace nd::web {
namespace {

constexpr Strings kEnglish = {
    .lang = "en",
    .lang_name = "English",
    .tagline = "Stories written from the original reports, with every source named.",
    .skip_to_content = "Skip to content",
    .language_nav_label = "Language",
    .sections_nav_label = "Sections",
    .top_stories = "Top stories",
    .search = "Search",
    .search_label = "Search stories",
    .search_button = "Search",
    .about = "About",
    .no_stories = "No stories yet. Add sources and run the processing step.",
    .older_stories = "Older stories",
    .first_reported_by = "First reported by",
    .updated = "Updated",
    .published = "Published",
    .timeline = "Timeline",
    .analysis = "Analysis",
    .sources = "Sources",
    .related = "Related stories",
    .disclaimer =
        "This story was written by software from the original reports listed below. It may "
        "contain errors: check the original reports before relying on it.",
    .disclaimer_sources_link = "See the original reports",
    .disclaimer_about_link = "How these stories are written",
    .untranslated_note = "This story has no English text yet; shown in its original language.",
    .no_results = "No stories match your search.",
    .not_found_title = "Page not found",
    .not_found_text =
        "There is no page at this address. It may have moved, or the link may "
        "be mistyped.",
    .bad_request_title = "Bad request",
    .error_title = "Something went wrong",
    .error_text = "The page could not be produced. Please try again in a moment.",
    .method_not_allowed = "This address only answers GET and HEAD requests.",
    .back_home = "Back to the front page",
    .feed = "Feed",
    .footer =
        "Every story links to the reports it was written from. Written by software; "
        "check the original reports.",
    .unknown_source = "Unknown source",
    .about_title = "About this site",
    .about_html = R"(<p>This site does not employ reporters. It reads news reports from the
sources its editor follows, groups the reports about one event into a story, and writes a
short article for each story in English, Simplified Chinese and Traditional Chinese.</p>
<h2>How a story is written</h2>
<p>The writer is <strong>extractive</strong>: the headline, summary, body and timeline are
built from sentences taken from the original reports, chosen so that each important fact is
stated once. No language model is needed; when one is configured, what it writes is checked
against the sources and replaced by extracted text when the check fails.</p>
<h2>Citations and sources</h2>
<p>Every factual sentence is followed by numbered citation markers that link to the list of
sources at the end of the story. Each source shows the outlet, the title of the original
report, its date and a link to it. The outlet that reported the event first is named at the
top of the story.</p>
<h2>Check before you rely on it</h2>
<p>Stories are written by software and may contain errors: a sentence can lose context, two
events can be grouped together by mistake, a translation can be imprecise. Each story page
carries this warning. Read the original reports before you rely on a story.</p>
<h2>Feeds and data</h2>
<p>The stories are available as Atom and JSON feeds and through a read-only JSON API under
<code>/api/v1/</code>.</p>)",
    .most_covered = "Most covered",
    .latest = "Latest",
    .more_in = "More in",
    .follows_up = "This story follows up",
    .follow_ups = "Follow-ups",
    .sources_title = "Sources",
    .sources_intro =
        "newsdesk reads only the sources an editor added. From each report it takes the headline, "
        "text, date and link, to write and cite from; every story links readers to the original "
        "reports. Sources whose robots.txt refuses newsdesk, or that reserve text and data mining, "
        "are not fetched.",
    .col_source = "Source",
    .col_section = "Section",
    .col_taken = "Reports taken",
    .col_last_fetch = "Last fetched",
    .col_status = "robots.txt / TDM",
    .status_ok = "Allowed; last fetch succeeded",
    .status_robots = "Refused by robots.txt",
    .status_tdm = "Text and data mining reserved",
    .status_error = "Last fetch failed",
    .status_never = "Not fetched yet",
    .no_sources = "No sources yet.",
    .col_next_poll = "Next poll",
    .consecutive_failures = "Consecutive failures: ",
};

constexpr Strings kHans = {
    .lang = "zh-Hans",
    .lang_name = "简体中文",
    .tagline = "根据原始报道撰写，注明每一个来源。",
    .skip_to_content = "跳到正文",
    .language_nav_label = "语言",
    .sections_nav_label = "栏目",
    .top_stories = "要闻",
    .search = "搜索",
    .search_label = "搜索报道",
    .search_button = "搜索",
    .about = "关于",
    .no_stories = "暂无报道。请添加来源并运行处理步骤。",
    .older_stories = "更早的报道",
    .first_reported_by = "最先报道：",
    .updated = "更新于",
    .published = "发布于",
    .timeline = "时间线",
    .analysis = "分析",
    .sources = "来源",
    .related = "相关报道",
    .disclaimer = "本文由软件根据下列原始报道自动撰写，可能存在错误，请以原始报道为准并加以核实。",
    .disclaimer_sources_link = "查看原始报道",
    .disclaimer_about_link = "本站报道如何撰写",
    .untranslated_note = "本报道暂无中文版本，以下为原文。",
    .no_results = "没有找到相关报道。",
    .not_found_title = "页面不存在",
    .not_found_text = "此地址没有页面，可能已移动，或链接有误。",
    .bad_request_title = "请求有误",
    .error_title = "出错了",
    .error_text = "暂时无法生成此页面，请稍后再试。",
    .method_not_allowed = "此地址只接受 GET 和 HEAD 请求。",
    .back_home = "返回首页",
    .feed = "订阅",
    .footer = "每篇报道都链接到其依据的原始报道。本站内容由软件撰写，请以原始报道为准。",
    .unknown_source = "未知来源",
    .about_title = "关于本站",
    .about_html =
        R"(<p>本站没有记者。它读取编辑所关注来源的新闻报道，把关于同一事件的报道归为一篇报道，
并为每篇报道用英文、简体中文和繁体中文撰写一篇短文。</p>
<h2>报道如何撰写</h2>
<p>撰写方式为<strong>抽取式</strong>：标题、摘要、正文和时间线都由原始报道中的句子组成，
每个重要事实只陈述一次。不需要语言模型；如果配置了语言模型，它写出的内容会与来源逐句核对，
核对不通过的句子会被替换为原文句子。</p>
<h2>引用与来源</h2>
<p>每个陈述事实的句子后面都有编号引用标记，链接到文末的来源列表。每个来源列出媒体名称、
原始报道标题、日期和链接。最先报道该事件的媒体在文首注明。</p>
<h2>使用前请核实</h2>
<p>报道由软件撰写，可能存在错误：句子可能脱离上下文，不同事件可能被误归为一篇，翻译可能不够准确。
每篇报道页面都附有此提示。请在引用前阅读原始报道。</p>
<h2>订阅与数据</h2>
<p>报道可通过 Atom 和 JSON 订阅源获取，也可通过 <code>/api/v1/</code> 下的只读 JSON 接口获取。</p>)",
    .most_covered = "报道最多",
    .latest = "最新",
    .more_in = "更多",
    .follows_up = "本文是以下报道的后续：",
    .follow_ups = "后续报道",
    .sources_title = "来源",
    .sources_intro =
        "newsdesk "
        "只读取编辑添加的来源。它从每篇报道中取用标题、正文、日期和链接，用于撰写和引用；每篇报道都"
        "为读者链接原文。robots.txt 拒绝 newsdesk 或保留文本与数据挖掘权利的来源不会被抓取。",
    .col_source = "来源",
    .col_section = "栏目",
    .col_taken = "已取用报道",
    .col_last_fetch = "上次抓取",
    .col_status = "robots.txt / TDM",
    .status_ok = "允许；上次抓取成功",
    .status_robots = "robots.txt 禁止",
    .status_tdm = "保留文本与数据挖掘权利",
    .status_error = "上次抓取失败",
    .status_never = "尚未抓取",
    .no_sources = "尚无来源。",
    .col_next_poll = "下次抓取",
    .consecutive_failures = "连续失败次数：",
};

constexpr Strings kHant = {
    .lang = "zh-Hant",
    .lang_name = "繁體中文",
    .tagline = "根據原始報導撰寫，註明每一個來源。",
    .skip_to_content = "跳到正文",
    .language_nav_label = "語言",
    .sections_nav_label = "欄目",
    .top_stories = "要聞",
    .search = "搜尋",
    .search_label = "搜尋報導",
    .search_button = "搜尋",
    .about = "關於",
    .no_stories = "暫無報導。請新增來源並執行處理步驟。",
    .older_stories = "更早的報導",
    .first_reported_by = "最先報導：",
    .updated = "更新於",
    .published = "發布於",
    .timeline = "時間線",
    .analysis = "分析",
    .sources = "來源",
    .related = "相關報導",
    .disclaimer = "本文由軟體根據下列原始報導自動撰寫，可能有誤，請以原始報導為準並加以查證。",
    .disclaimer_sources_link = "查看原始報導",
    .disclaimer_about_link = "本站報導如何撰寫",
    .untranslated_note = "本報導暫無中文版本，以下為原文。",
    .no_results = "沒有找到相關報導。",
    .not_found_title = "頁面不存在",
    .not_found_text = "此網址沒有頁面，可能已移動，或連結有誤。",
    .bad_request_title = "請求有誤",
    .error_title = "發生錯誤",
    .error_text = "暫時無法產生此頁面，請稍後再試。",
    .method_not_allowed = "此網址只接受 GET 和 HEAD 請求。",
    .back_home = "返回首頁",
    .feed = "訂閱",
    .footer = "每篇報導都連結到其依據的原始報導。本站內容由軟體撰寫，請以原始報導為準。",
    .unknown_source = "未知來源",
    .about_title = "關於本站",
    .about_html =
        R"(<p>本站沒有記者。它讀取編輯所關注來源的新聞報導，把關於同一事件的報導歸為一篇報導，
並為每篇報導以英文、簡體中文和繁體中文撰寫一篇短文。</p>
<h2>報導如何撰寫</h2>
<p>撰寫方式為<strong>擷取式</strong>：標題、摘要、正文和時間線都由原始報導中的句子組成，
每個重要事實只陳述一次。不需要語言模型；如果設定了語言模型，它寫出的內容會與來源逐句核對，
核對不通過的句子會被替換為原文句子。</p>
<h2>引用與來源</h2>
<p>每個陳述事實的句子後面都有編號引用標記，連結到文末的來源列表。每個來源列出媒體名稱、
原始報導標題、日期和連結。最先報導該事件的媒體在文首註明。</p>
<h2>使用前請查證</h2>
<p>報導由軟體撰寫，可能有誤：句子可能脫離上下文，不同事件可能被誤歸為一篇，翻譯可能不夠準確。
每篇報導頁面都附有此提示。請在引用前閱讀原始報導。</p>
<h2>訂閱與資料</h2>
<p>報導可透過 Atom 和 JSON 訂閱源取得，也可透過 <code>/api/v1/</code> 下的唯讀 JSON 介面取得。</p>)",
    .most_covered = "報導最多",
    .latest = "最新",
    .more_in = "更多",
    .follows_up = "本文是以下報導的後續：",
    .follow_ups = "後續報導",
    .sources_title = "來源",
    .sources_intro =
        "newsdesk "
        "只讀取編輯加入的來源。它從每篇報導中取用標題、內文、日期和連結，用於撰寫和引用；每篇報導都"
        "為讀者連結原文。robots.txt 拒絕 newsdesk 或保留文字與資料探勘權利的來源不會被抓取。",
    .col_source = "來源",
    .col_section = "欄目",
    .col_taken = "已取用報導",
    .col_last_fetch = "上次抓取",
    .col_status = "robots.txt / TDM",
    .status_ok = "允許；上次抓取成功",
    .status_robots = "robots.txt 禁止",
    .status_tdm = "保留文字與資料探勘權利",
    .status_error = "上次抓取失敗",
    .status_never = "尚未抓取",
    .no_sources = "尚無來源。",
    .col_next_poll = "下次抓取",
    .consecutive_failures = "連續失敗次數：",
};

struct SectionName {
  const char* key;
  const char* en;
  const char* hans;
  const char* hant;
};

constexpr SectionName kSections[] = {
    {"world", "World", "国际", "國際"},       {"business", "Business", "商业", "商業"},
    {"economy", "Economy", "经济", "經濟"},   {"technology", "Technology", "科技", "科技"},
    {"tech", "Technology", "科技", "科技"},   {"science", "Science", "科学", "科學"},
    {"politics", "Politics", "政治", "政治"}, {"health", "Health", "健康", "健康"},
    {"sports", "Sports", "体育", "體育"},     {"culture", "Culture", "文化", "文化"},
    {"opinion", "Opinion", "观点", "觀點"},   {"china", "China", "中国", "中國"},
    {"asia", "Asia", "亚洲", "亞洲"},         {"europe", "Europe", "欧洲", "歐洲"},
    {"us", "U.S.", "美国", "美國"},           {"climate", "Climate", "气候", "氣候"},
    {"local", "Local", "本地", "本地"},
};

// Accept-Language entry -> page language; empty when it is none of ours.
std::string PageLangForTag(std::string_view tag) {
  const std::string t = AsciiLower(tag);
  if (t == "en" || t.starts_with("en-")) return kLangEnglish;
  if (t == "zh" || t.starts_with("zh-")) {
    if (t.find("hant") != std::string::npos || t.find("-tw") != std::string::npos ||
        t.find("-hk") != std::string::npos || t.find("-mo") != std::string::npos) {
      return kLangHant;
    }
    return kLangHans;
  }
  return "";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A per-thread date formatter for one language and pattern.
icu::SimpleDateFormat* Formatter(std::string_view lang, bool with_time) {
  thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
  std::string key = std::string(lang) + (with_time ? "|t" : "|d");
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  const bool zh = lang.starts_with("zh");
  const char* pattern = zh ? (with_time ? "y年M月d日 HH:mm 'UTC'" : "y年M月d日")
                           : (with_time ? "MMM d, y, HH:mm 'UTC'" : "MMM d, y");
  const icu::Locale locale = lang == kLangHant   ? icu::Locale("zh", "TW")
                             : lang == kLangHans ? icu::Locale("zh", "CN")
                                                 : icu::Locale("en", "US");
  UErrorCode status = U_ZERO_ERROR;
  auto fmt = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString::fromUTF8(pattern), locale,
                                                     status);
  if (U_FAILURE(status)) fmt.reset();
  if (fmt) fmt->adoptTimeZone(icu::TimeZone::createTimeZone("UTC"));
  return cache.emplace(std::move(key), std::move(fmt)).first->second.get();
}

std::string FormatWith(std::string_view lang, UnixTime t, bool with_time) {
  if (t == 0) return "";
  icu::SimpleDateFormat* fmt = Formatter(lang, with_time);
  if (fmt == nullptr) return "";
  icu::UnicodeString out;
  fmt->format(static_cast<UDate>(t) * 1000.0, out);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace

const Strings& StringsFor(std::string_view lang) {
  if (lang == kLangHans) return kHans;
  if (lang == kLangHant) return kHant;
  return kEnglish;
}

bool IsPageLang(std::string_view lang) {
  return lang == kLangEnglish || lang == kLangHans || lang == kLangHant;
}

std::string CanonicalPageLang(std::string_view value) {
  const std::string v = AsciiLower(value);
  if (v == "en") return kLangEnglish;
  if (v == "zh-hans") return kLangHans;
  if (v == "zh-hant") return kLangHant;
  return "";
}

std::string PickLang(std::string_view query_lang, std::string_view accept_language) {
  std::string lang = CanonicalPageLang(query_lang);
  if (!lang.empty()) return lang;
  // Accept-Language: "zh-TW,zh;q=0.9,en;q=0.8". Best q first; ties keep header order.
  struct Choice {
    double q;
    size_t order;
    std::string lang;
  };
  std::vector<Choice> choices;
  size_t order = 0;
  while (!accept_language.empty()) {
    const size_t comma = accept_language.find(',');
    std::string_view item = accept_language.substr(0, comma);
    accept_language =
        comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    double q = 1.0;
    const size_t semi = item.find(';');
    if (semi != std::string_view::npos) {
      std::string_view params = Trim(item.substr(semi + 1));
      if (params.starts_with("q=") || params.starts_with("Q=")) {
        q = std::strtod(std::string(params.substr(2)).c_str(), nullptr);
      }
      item = item.substr(0, semi);
    }
    std::string page = PageLangForTag(Trim(item));
    if (!page.empty() && q > 0) choices.push_back({q, order, std::move(page)});
    ++order;
  }
  std::stable_sort(choices.begin(), choices.end(),
                   [](const Choice& a, const Choice& b) { return a.q > b.q; });
  return choices.empty() ? std::string(kLangEnglish) : choices.front().lang;
}

std::string SourcesCount(std::string_view lang, int n) {
  const std::string num = std::to_string(n);
  if (lang == kLangHans) return num + " 个来源";
  if (lang == kLangHant) return num + " 個來源";
  return num + (n == 1 ? " source" : " sources");
}

std::string ResultsCount(std::string_view lang, int n) {
  const std::string num = std::to_string(n);
  if (lang == kLangHans) return num + " 条结果";
  if (lang == kLangHant) return num + " 筆結果";
  return num + (n == 1 ? " result" : " results");
}

std::string SectionLabel(std::string_view lang, std::string_view section) {
  const std::string key = AsciiLower(section);
  for (const SectionName& s : kSections) {
    if (key == s.key) {
      if (lang == kLangHans) return s.hans;
      if (lang == kLangHant) return s.hant;
      return s.en;
    }
  }
  std::string label(section);
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') {
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
  }
  return label;
}

std::string FormatDate(std::string_view lang, UnixTime t) { return FormatWith(lang, t, false); }

std::string FormatDateTime(std::string_view lang, UnixTime t) { return FormatWith(lang, t, true); }

bool JoinsWithoutSpaces(std::string_view lang) {
  return lang.starts_with("zh") || lang.starts_with("ja") || lang.starts_with("th");
}

std::string FormatNumber(std::string_view lang, std::int64_t n) {
  // One formatter per thread and language: ICU formatters are not thread-safe to share.
  thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> formatters;
  auto& f = formatters[std::string(lang)];
  if (!f) {
    UErrorCode status = U_ZERO_ERROR;
    const char* locale = lang == kLangHans   ? "zh_Hans_CN"
                         : lang == kLangHant ? "zh_Hant_TW"
                                             : "en_US";
    f.reset(icu::NumberFormat::createInstance(icu::Locale(locale), status));
    if (U_FAILURE(status)) f.reset();
  }
  if (!f) return std::to_string(n);
  icu::UnicodeString out;
  f->format(static_cast<int64_t>(n), out);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace nd::web
