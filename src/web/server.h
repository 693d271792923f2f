// The HTTP server behind nd::web::Serve: Boost.Beast over Asio, one io_context and one
// Store per thread, keep-alive sessions, a request body limit and read timeouts. Split
// from Serve so tests can hand it stores without opening a database. Private to src/web.
//
// Thread-safety: ServeWithStores blocks the calling thread; `stop` may be set from any
// thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "core/status.h"
#include "store/store.h"
#include "web/web.h"

namespace nd::web {

// Opens one Store; called once per server thread before the socket is bound.
using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

// Serves like Serve(), with the stores made by `open_store`.
Status ServeWithStores(const ServeOptions& options, const StoreFactory& open_store,
                       const std::atomic<bool>& stop);

}  // namespace nd::web
