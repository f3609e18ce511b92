// CsvReader: the records of an RFC 4180 CSV stream, one at a time, in memory bounded by the
// largest record allowed. Skips a leading UTF-8 byte-order mark and blank lines; accepts LF and
// CRLF line ends; a quoted field may span lines. A malformed record (stray quote, text after a
// closing quote, a lone CR, over the size limit, unclosed quote at the end) comes back with an
// error and no fields, and reading resumes on the next line.
//
// Ownership: refers to the stream, which must outlive it. Thread safety: one thread at a time.
// Failure codes: node.bad_csv (more lines than allowed), node.io (the stream failed).
#pragma once

#include <array>
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "weiquan/result.h"

namespace wq::node {

struct CsvRecord {
  std::size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
  std::string error;  // why the record is malformed; empty when it is not
};

class CsvReader {
 public:
  CsvReader(std::istream& in, std::size_t max_record_bytes, std::size_t max_lines);

  // The next record, or nothing at the end of the stream.
  Result<std::optional<CsvRecord>> next();

 private:
  int get();
  int peek();
  void skip_line();
  Result<std::optional<CsvRecord>> finish(CsvRecord record);

  std::istream& in_;
  std::array<char, 64 * 1024> chunk_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t max_record_bytes_;
  std::size_t max_lines_;
  std::size_t lines_ = 0;  // line ends consumed
  bool started_ = false;   // the byte-order mark has been looked for
  bool too_many_lines_ = false;
};

}  // namespace wq::node
