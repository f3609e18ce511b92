#include "csv_reader.h"

namespace wq::node {
namespace {

constexpr int kEof = -1;

}  // namespace

CsvReader::CsvReader(std::istream& in, std::size_t max_record_bytes, std::size_t max_lines)
    : in_(in), max_record_bytes_(max_record_bytes), max_lines_(max_lines) {}

int CsvReader::peek() {
  if (pos_ == end_ && in_) {
    in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
    pos_ = 0;
    end_ = static_cast<std::size_t>(in_.gcount());
  }
  if (pos_ == end_) return kEof;
  if (lines_ >= max_lines_) {
    too_many_lines_ = true;
    return kEof;
  }
  return static_cast<unsigned char>(chunk_[pos_]);
}

int CsvReader::get() {
  const int c = peek();
  if (c == kEof) return kEof;
  ++pos_;
  if (c == '\n') ++lines_;
  return c;
}

void CsvReader::skip_line() {
  for (int c = get(); c != kEof && c != '\n'; c = get()) {
  }
}

Result<std::optional<CsvRecord>> CsvReader::finish(CsvRecord record) {
  if (too_many_lines_) {
    return make_error("node.bad_csv", "more than " + std::to_string(max_lines_) +
                                          " lines; the rest of the file was not read");
  }
  if (in_.bad()) return make_error("node.io", "the CSV stream cannot be read");
  return std::optional<CsvRecord>(std::move(record));
}

Result<std::optional<CsvRecord>> CsvReader::next() {
  if (!started_) {
    started_ = true;
    if (peek() == 0xEF) {
      get();
      if (get() != 0xBB || get() != 0xBF) {
        CsvRecord broken{1, {}, "the file starts with a broken byte-order mark"};
        skip_line();
        return finish(std::move(broken));
      }
    }
  }
  enum class State { field_start, unquoted, quoted, after_quote };
  CsvRecord record;
  std::string field;
  State state = State::field_start;
  std::size_t bytes = 0;
  // Rejects the record and resumes on the next line (unless `c` just ended this one).
  const auto fail = [&](int c, std::string reason) {
    record.fields.clear();
    record.error = std::move(reason);
    if (c != '\n') skip_line();
    return finish(std::move(record));
  };
  const auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    state = State::field_start;
  };
  record.line = lines_ + 1;
  for (;;) {
    const int c = get();
    if (c == kEof) {
      if (state == State::quoted) {
        record.error = "a quoted field is not closed before the end of the file";
        return finish(std::move(record));
      }
      if (bytes == 0) {
        if (too_many_lines_ || in_.bad()) return finish(std::move(record));
        return std::optional<CsvRecord>();
      }
      end_field();
      return finish(std::move(record));
    }
    if (++bytes > max_record_bytes_) {
      return fail(c, "the record is longer than " + std::to_string(max_record_bytes_) + " bytes");
    }
    if (state == State::quoted) {
      if (c == '"') {
        state = State::after_quote;
      } else {
        field.push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == '\r') {
      if (peek() != '\n') return fail(c, "a carriage return that does not end the line");
      --bytes;  // part of the line end, like the line feed that follows
      continue;
    }
    if (c == '\n') {
      if (bytes == 1 && record.fields.empty() && state == State::field_start) {
        bytes = 0;  // a blank line
        record.line = lines_ + 1;
        continue;
      }
      end_field();
      return finish(std::move(record));
    }
    if (c == ',') {
      end_field();
      continue;
    }
    switch (state) {
      case State::field_start:
        if (c == '"') {
          state = State::quoted;
          continue;
        }
        state = State::unquoted;
        field.push_back(static_cast<char>(c));
        continue;
      case State::unquoted:
        if (c == '"') return fail(c, "a quote inside an unquoted field (quote the whole field)");
        field.push_back(static_cast<char>(c));
        continue;
      case State::after_quote:
        if (c != '"') return fail(c, "text after the closing quote of a field");
        field.push_back('"');
        state = State::quoted;
        continue;
      case State::quoted:
        break;  // handled above
    }
  }
}

}  // namespace wq::node
