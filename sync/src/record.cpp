#include "weiquan/sync/record.h"

namespace wq::sync {

std::string_view record_type_name(RecordType type) {
  switch (type) {
    case RecordType::certificate:
      return "certificate";
    case RecordType::revocation:
      return "revocation";
    case RecordType::event:
      return "event";
  }
  return "";
}

}  // namespace wq::sync
