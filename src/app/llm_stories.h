// The LLM writer in processing: built from [llm] (the key read from the environment
// variable named by api_key_env), with its answer cache in the store, and a retry pass
// for recent stories whose texts fell back to the extractive writer because the model was
// unreachable, over budget or answered nonsense.
//
// Thread-safety: the writer's cache calls use `store`, so the store must not be used by
// another thread while the writer works (Processor::Run uses both from one thread).
#pragma once

#include <cstddef>
#include <memory>

#include "app/config.h"
#include "core/status.h"
#include "store/store.h"
#include "write/llm_writer.h"

namespace nd::app {

// The LLM writer for `config`, or null when [llm] base_url is empty.
std::unique_ptr<write::LlmWriter> MakeLlmWriter(const Config& config, Store& store);

// Writes again, with the model, the newest `limit` stories that have a text the model did
// not write; saves a story only when it gained a model-written text. Returns how many were
// saved. Quick when the endpoint is down: the client fails fast once it is marked down.
Result<std::size_t> RetryLlmStories(write::LlmWriter& writer, Store& store, int limit);

}  // namespace nd::app
