// The OpenAPI 3.0 document of /api/v1, served at /api/v1/openapi.json. The API tests
// validate every response against the schemas in it, so it is the contract of the API.
// Private to src/web.
//
// Thread-safety: immutable data.
#pragma once

#include <string_view>

namespace nd::web {

// The document, JSON text.
std::string_view OpenApiJson();

}  // namespace nd::web
