// Status and Result<T>: how every expected failure travels in McDewey (STYLE.md §2.6–2.7).
// Exceptions from third-party libraries stop at the module that calls them and become a
// Status here; HTTP/JSON-RPC codes are derived from ErrorCode at the edge only.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mcdewey {

// The one closed set of error kinds. Mapped to HTTP / JSON-RPC / exit codes in one place each.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (bad query, bad id, bad flag)
  kNotFound,         // a named thing does not exist
  kConflict,         // state does not allow it (embedder mismatch, duplicate)
  kCorrupt,          // a file or record is damaged (corrupt PDF, bad index file)
  kIo,               // the OS said no (permissions, disk full, missing file)
  kUnsupported,      // format or version we do not handle (encrypted PDF, newer schema)
  kInternal,         // a bug or an unexpected library failure
};

std::string_view error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: no chunk 'x'" — for logs; user-facing text uses message() alone.
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Status corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
inline Status io_error(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Status unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
inline Status internal_error(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok() && "Result built from an OK status has no value");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace mcdewey

// Early return on failure: MCD_TRY(store.open(path));
#define MCD_TRY(expr)                       \
  do {                                      \
    ::mcdewey::Status mcd_s_ = (expr);      \
    if (!mcd_s_.is_ok()) return mcd_s_;     \
  } while (0)
