// The site's stylesheet, compiled into the binary so one file serves the whole site.
// Private to src/web.
//
// Thread-safety: immutable data.
#pragma once

#include <string_view>

namespace nd::web {

// The contents of /static/site.css.
std::string_view SiteCss();

// The contents of /static/favicon.svg (also answered at /favicon.ico).
std::string_view FaviconSvg();

}  // namespace nd::web
