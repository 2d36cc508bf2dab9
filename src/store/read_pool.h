// Store::read(): searches on a pool of read-only connections (internal to the store module;
// included by the files that define Store's read methods).
#pragma once

#include <algorithm>
#include <thread>

#include "store/fts_rank.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace mcdewey::store {

template <typename F>
auto Store::read(F&& f) -> decltype(f(std::declval<Db&>())) {
  if (path_ == ":memory:" || path_.empty()) {
    std::lock_guard lock(mu_);
    return f(*db_);
  }
  std::unique_ptr<Db> reader;
  {
    std::unique_lock lock(pool_mu_);
    if (max_readers_ == 0) max_readers_ = 2 * std::max(1u, std::thread::hardware_concurrency());
    pool_cv_.wait(lock, [&] { return !readers_.empty() || open_readers_ < max_readers_; });
    if (!readers_.empty()) {
      reader = std::move(readers_.back());
      readers_.pop_back();
    } else {
      ++open_readers_;  // opened below, outside the lock
    }
  }
  if (!reader) {
    auto fresh = std::make_unique<Db>();
    Status st = fresh->open(path_, /*read_only=*/true);
    if (st.is_ok()) st = fresh->exec("PRAGMA temp_store=MEMORY");
    if (st.is_ok()) st = register_rank_function(fresh->handle());
    if (!st.is_ok()) {
      std::lock_guard lock(pool_mu_);
      --open_readers_;
      pool_cv_.notify_one();
      return st;
    }
    reader = std::move(fresh);
  }
  auto result = f(*reader);
  {
    std::lock_guard lock(pool_mu_);
    readers_.push_back(std::move(reader));
  }
  pool_cv_.notify_one();
  return result;
}

}  // namespace mcdewey::store
