#include "web/openapi.h"

namespace nd::web {

std::string_view OpenApiJson() {
  static constexpr std::string_view kDoc = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "newsdesk API",
    "version": "1.0.0",
    "description": "Stories written by newsdesk from original news reports, with citations, verification verdicts and sources. Text is in en, zh-Hans or zh-Hant (?lang=, default en)."
  },
  "servers": [{"url": "/"}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer",
                 "description": "The token named by [server] api_token_env in newsdesk.toml."}
    },
    "parameters": {
      "lang": {"name": "lang", "in": "query", "required": false,
               "description": "Language of the text returned.",
               "schema": {"type": "string", "enum": ["en", "zh-Hans", "zh-Hant"]}}
    },
    "schemas": {
      "Error": {
        "type": "object", "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}
      },
      "StorySummary": {
        "type": "object",
        "required": ["id", "headline", "dek", "section", "lang", "sources", "first_published", "updated", "url"],
        "properties": {
          "id": {"type": "integer"},
          "headline": {"type": "string"},
          "dek": {"type": "string"},
          "section": {"type": "string"},
          "lang": {"type": "string", "description": "Dominant language of the story's reports."},
          "sources": {"type": "integer", "description": "Number of source reports."},
          "first_published": {"type": "string", "description": "ISO 8601, empty when unknown."},
          "updated": {"type": "string", "description": "ISO 8601, empty when unknown."},
          "url": {"type": "string"}
        }
      },
      "StoryList": {
        "type": "object", "required": ["stories", "lang", "offset", "limit", "total"],
        "properties": {
          "stories": {"type": "array", "items": {"$ref": "#/components/schemas/StorySummary"}},
          "lang": {"type": "string"},
          "offset": {"type": "integer"},
          "limit": {"type": "integer"},
          "total": {"type": "integer", "description": "Stories matching the filters."},
          "next": {"type": "string", "description": "The next page, when there is one."}
        }
      },
      "CitedSentence": {
        "type": "object", "required": ["text", "cites", "verdict"],
        "properties": {
          "text": {"type": "string"},
          "cites": {"type": "array", "items": {"type": "integer"},
                    "description": "0-based indexes into the story's sources."},
          "verdict": {"type": "string", "description": "verified, extractive or unverified."}
        }
      },
      "Paragraph": {
        "type": "object", "required": ["sentences"],
        "properties": {"sentences": {"type": "array", "items": {"$ref": "#/components/schemas/CitedSentence"}}}
      },
      "TimelineEntry": {
        "type": "object", "required": ["text"],
        "properties": {
          "when": {"type": "integer"},
          "label": {"type": "string"},
          "text": {"type": "string"},
          "cites": {"type": "array", "items": {"type": "integer"}}
        }
      },
      "StoryText": {
        "type": "object", "required": ["lang", "headline", "dek", "body"],
        "properties": {
          "lang": {"type": "string"},
          "headline": {"type": "string"},
          "dek": {"type": "array", "items": {"$ref": "#/components/schemas/CitedSentence"}},
          "body": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}},
          "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineEntry"}},
          "analysis": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}},
          "writer": {"type": "string"},
          "untranslated": {"type": "boolean"},
          "content_lang": {"type": "string"}
        }
      },
      "Source": {
        "type": "object", "required": ["n", "article_id"],
        "properties": {
          "n": {"type": "integer", "description": "1-based number used by citation markers."},
          "article_id": {"type": "integer"},
          "outlet": {"type": "string"},
          "title": {"type": "string"},
          "url": {"type": "string"},
          "published": {"type": "string"},
          "lang": {"type": "string"}
        }
      },
      "StoryLink": {
        "type": "object", "required": ["id", "headline", "url"],
        "properties": {
          "id": {"type": "integer"},
          "headline": {"type": "string"},
          "dek": {"type": "string"},
          "url": {"type": "string"}
        }
      },
      "Story": {
        "type": "object",
        "required": ["id", "section", "version", "lang", "first_published", "updated", "url", "first_reported_by", "text", "sources", "related"],
        "properties": {
          "id": {"type": "integer"},
          "section": {"type": "string"},
          "version": {"type": "integer"},
          "lang": {"type": "string"},
          "first_published": {"type": "string"},
          "updated": {"type": "string"},
          "url": {"type": "string"},
          "first_reported_by": {
            "type": "object", "nullable": true, "required": ["outlet", "url"],
            "properties": {"outlet": {"type": "string"}, "url": {"type": "string"}}
          },
          "text": {"allOf": [{"$ref": "#/components/schemas/StoryText"}], "nullable": true},
          "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}},
          "related": {"type": "array", "items": {"$ref": "#/components/schemas/StoryLink"}},
          "follows": {"$ref": "#/components/schemas/StoryLink"},
          "follow_ups": {"type": "array", "items": {"$ref": "#/components/schemas/StoryLink"}}
        }
      },
      "FeedSource": {
        "type": "object", "required": ["id", "url", "title", "kind", "section", "lang", "last_fetch", "last_error", "articles_taken"],
        "properties": {
          "id": {"type": "integer"},
          "url": {"type": "string"},
          "title": {"type": "string"},
          "kind": {"type": "string"},
          "section": {"type": "string"},
          "lang": {"type": "string"},
          "last_fetch": {"type": "string"},
          "last_error": {"type": "string"},
          "articles_taken": {"type": "integer"},
          "interval_s": {"type": "integer", "description": "poll interval; 0 = the [poll] interval_s default"},
          "failures": {"type": "integer", "description": "consecutive failed polls (back-off)"},
          "next_poll": {"type": "string", "description": "when `newsdesk run` polls it next; empty = due now"},
          "access": {"type": "string", "enum": ["", "allowed", "robots-disallowed", "tdm-reserved"]}
        }
      },
      "SourceList": {
        "type": "object", "required": ["sources"],
        "properties": {"sources": {"type": "array", "items": {"$ref": "#/components/schemas/FeedSource"}}}
      },
      "NewSource": {
        "type": "object", "required": ["url"],
        "properties": {
          "url": {"type": "string"},
          "title": {"type": "string"},
          "kind": {"type": "string", "enum": ["feed", "page"]},
          "section": {"type": "string"},
          "lang": {"type": "string"},
          "interval": {"description": "Poll interval: a duration (\"90s\", \"15m\", \"2h\", \"1d\", \"1h30m\") or seconds, 10 s to 10 years; absent: the [poll] default.", "oneOf": [{"type": "string"}, {"type": "integer"}]}
        }
      },
      "SourceChanges": {
        "type": "object",
        "properties": {
          "title": {"type": "string"},
          "kind": {"type": "string", "enum": ["feed", "page"]},
          "section": {"type": "string"},
          "lang": {"type": "string"},
          "interval": {"description": "As in NewSource.", "oneOf": [{"type": "string"}, {"type": "integer"}]}
        }
      },
      "SourceImport": {
        "type": "object", "required": ["added", "updated"],
        "properties": {
          "added": {"type": "integer"},
          "updated": {"type": "integer", "description": "Sources whose URL was stored already."}
        }
      }
    }
  },
  "paths": {
    "/api/v1/stories": {
      "get": {
        "summary": "Stories, newest first, with paging and filters.",
        "parameters": [
          {"$ref": "#/components/parameters/lang"},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
          {"name": "section", "in": "query", "schema": {"type": "string"}},
          {"name": "story_lang", "in": "query", "description": "Only stories whose reports are mostly in this language (en, zh-Hans, zh-Hant, or zh for either script).", "schema": {"type": "string"}},
          {"name": "since", "in": "query", "description": "First published at or after: YYYY-MM-DD, ISO 8601 or Unix seconds.", "schema": {"type": "string"}},
          {"name": "until", "in": "query", "description": "First published before: YYYY-MM-DD, ISO 8601 or Unix seconds.", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "A page of stories.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StoryList"}}}},
          "400": {"description": "A bad parameter.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/stories/{id}": {
      "get": {
        "summary": "One story: text with citations and verdicts, sources, related stories.",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
          {"$ref": "#/components/parameters/lang"}
        ],
        "responses": {
          "200": {"description": "The story.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Story"}}}},
          "404": {"description": "No such story.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/search": {
      "get": {
        "summary": "Full-text search over stories in every language and script.",
        "parameters": [
          {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/lang"}
        ],
        "responses": {
          "200": {"description": "Results, best first.", "content": {"application/json": {"schema": {"type": "object", "required": ["query", "results"], "properties": {"query": {"type": "string"}, "results": {"type": "array", "items": {"type": "object", "required": ["id", "headline"], "properties": {"id": {"type": "integer"}, "headline": {"type": "string"}, "snippet": {"type": "string"}}}}}}}}},
          "400": {"description": "No query.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/sources": {
      "get": {
        "summary": "The sources newsdesk reads, with their poll state.",
        "responses": {
          "200": {"description": "Sources.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SourceList"}}}}
        }
      },
      "post": {
        "summary": "Adds (or updates, by URL) a source.",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSource"}}}},
        "responses": {
          "201": {"description": "The source as stored.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedSource"}}}},
          "400": {"description": "Bad body.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "401": {"description": "No or wrong bearer token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "403": {"description": "Writes are disabled (no token configured).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/sources/{id}": {
      "delete": {
        "summary": "Removes a source (its stored articles stay).",
        "security": [{"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {
          "204": {"description": "Removed."},
          "401": {"description": "No or wrong bearer token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "404": {"description": "No such source.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "patch": {
        "summary": "Changes a source's title, kind, section, language or poll interval; the other fields stay.",
        "security": [{"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SourceChanges"}}}},
        "responses": {
          "200": {"description": "The source as stored.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedSource"}}}},
          "400": {"description": "Bad body (the error names the field).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "401": {"description": "No or wrong bearer token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "403": {"description": "Writes are disabled (no token configured).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "404": {"description": "No such source.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/sources.opml": {
      "get": {
        "summary": "The sources as an OPML 2.0 subscription list (folders and category = section).",
        "responses": {
          "200": {"description": "OPML 2.0.", "content": {"text/x-opml": {"schema": {"type": "string"}}}}
        }
      }
    },
    "/api/v1/sources/import": {
      "post": {
        "summary": "Adds (or updates, by URL) the sources of an OPML list, all or nothing: a list with any bad entry stores nothing.",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"text/x-opml": {"schema": {"type": "string"}}}},
        "responses": {
          "200": {"description": "Stored.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SourceImport"}}}},
          "400": {"description": "Not OPML, not well-formed, or an entry without a usable URL (the error names the line).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "401": {"description": "No or wrong bearer token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "403": {"description": "Writes are disabled (no token configured).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "summary": "This document.",
        "responses": {"200": {"description": "OpenAPI 3 document.", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  }
}
)json";
  return kDoc;
}

}  // namespace nd::web
