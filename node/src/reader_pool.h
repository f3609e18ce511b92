// ReaderPool: read-only store connections for the HTTP threads. A connection is taken for one
// request and given back when the lease ends; connections are opened on demand (at most one per
// concurrent request) and kept for reuse. Reads run beside the writer thanks to WAL.
//
// Threads: acquire() from any thread; a Lease is used by the thread that holds it.
// Failure codes: sync.* of opening a reader.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "weiquan/sync/store.h"

namespace wq::node {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<sync::StoreReader> reader)
        : pool_(&pool), reader_(std::move(reader)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (reader_) pool_->give_back(std::move(reader_));
    }
    const sync::StoreReader* operator->() const { return reader_.get(); }
    const sync::StoreReader& operator*() const { return *reader_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<sync::StoreReader> reader_;
  };

  explicit ReaderPool(std::filesystem::path store_path) : path_(std::move(store_path)) {}

  Result<Lease> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto reader = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(reader));
      }
    }
    auto reader = sync::StoreReader::open(path_);
    if (!reader) return reader.error();
    return Lease(*this, std::make_unique<sync::StoreReader>(std::move(*reader)));
  }

 private:
  void give_back(std::unique_ptr<sync::StoreReader> reader) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
  }

  std::filesystem::path path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<sync::StoreReader>> idle_;
};

}  // namespace wq::node
