// Policy documents: the time limits, refusal grounds and procedural switches of one version of the
// complaint and report rules, as data. A ticket is governed by the document in force on its receipt
// date (China Standard Time) for its region; every clock records that document's "<id>@<version>".
//
// The national documents shipped with the build are policies/data/policy-documents.json
// ({"documents": [...]}, embedded in the binary); docs/policies.md gives the legal source of every
// figure. Documents are signed by the issuing node (signing domain "weiquan/v1/policy") and flow
// down the tree; a document for a region below the nation names its parent and may only tighten it
// (check_only_tightens). A document is complete: a provincial document repeats its parent's limits,
// shortened where it is stricter, and may add limits of its own.
//
// Event kinds in starts_on / stops_on are the names of the `kind` oneof in sync/proto, optionally
// qualified by a variant after a colon ("assigned:enterprise", "transferred:up",
// "closed:not_filed"); see ClockEvent::variant for what the variant of each kind is.
//
// Thread safety: documents and sets are plain values; a loaded PolicySet is immutable unless add()
// is called, and builtin() may be used from any thread. Failure codes: policies.bad_document
// (loading; the message starts with the JSON path), policies.no_policy_in_force,
// policies.unknown_policy, policies.loosens_parent, policies.bad_signature, and those of
// compute_due.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/bytes.h"
#include "weiquan/policies/calendar.h"
#include "weiquan/policies/deadlines.h"
#include "weiquan/policies/types.h"

namespace wq::policies {

struct Limit {
  std::string name;  // "<type>.<what>", e.g. "complaint.accept_decision"; unique in a document
  TicketType type = TicketType::complaint;
  Period period;
  std::vector<std::string> starts_on;  // event kinds that start the clock unless it is running
  std::vector<std::string> stops_on;   // event kinds that stop it
  std::int64_t extension_max = 0;      // in the period's unit; only working_days and days extend
  bool real_name_only = false;         // no clock for anonymous tickets
  std::string article;                 // legal source
  bool confirmed = false;              // figure and article checked against a published text
};

struct RefusalGround {
  std::string id;  // "order20.art15.4"; the `ground` of a refused event
  std::string article;
  std::string text;
  bool confirmed = false;
};

struct Switches {
  bool return_visit_required = false;   // every handled complaint gets a return visit (回访)
  bool merge_repeated_reports = false;  // repeated reports of one matter may be merged (并案)
  bool parallel_transfer = false;       // an office may transfer sideways itself (平行移送)
  std::int64_t complaint_max_age_years = 3;
};

struct PolicyDocument {
  std::string id;       // "samr-order-20"
  std::string version;  // date of the text captured, "2022-09-29"
  std::string title;
  std::string source;  // the issuing instrument, e.g. "国家市场监督管理总局令第20号"
  std::string issuer;  // node id of the signer ("cn" for national documents)
  std::string scope;   // "cn", or the region code prefix the document governs ("37")
  std::string parent;  // "<id>@<version>" of the document tightened; empty for national ones
  CivilDate in_force_from;
  std::optional<CivilDate> in_force_until;  // last day in force, inclusive
  std::vector<Limit> limits;
  std::vector<RefusalGround> refusal_grounds;
  Switches switches;

  // One document as JSON (the form that is signed).
  static Result<PolicyDocument> parse(std::string_view json);

  std::string ref() const;  // "<id>@<version>"
  bool in_force_on(DayNumber day) const;
  bool governs(std::string_view region) const;  // scope "cn" or a prefix of region
  const Limit* limit(std::string_view name) const;
  std::vector<const Limit*> limits_for(TicketType type) const;
  const RefusalGround* refusal_ground(std::string_view id) const;
  // policies.unknown_ground, listing this document's grounds, unless `id` is one of them.
  Status check_refusal_ground(std::string_view id) const;
};

// Checks that `child` is no looser than `parent` (policies.loosens_parent, naming what loosens):
// in force only within the parent's dates; every parent limit present with the same type and
// starts_on, no stop event the parent lacks, and neither the period nor the period with its maximum
// extension longer; no refusal ground the parent lacks; a required return visit still required;
// the same complaint_max_age_years. Periods in different units compare only where the order is
// certain: N hours is no longer than M days or M working days when N <= 24 * M, and N days no
// longer than M working days when N <= M. parallel_transfer and merge_repeated_reports are local
// choices and are not compared.
Status check_only_tightens(const PolicyDocument& parent, const PolicyDocument& child);

// Verifies the issuer's signature over exactly these bytes (domain "weiquan/v1/policy"), then
// parses them. The caller checks that `signer` belongs to document.issuer's certificate.
Result<PolicyDocument> verify_signed_document(std::string_view json,
                                              const crypto::Signature& signature,
                                              const crypto::PublicKey& signer);

// Order 20 Art. 15 (4): whether a complaint received at `received_ms` comes later than
// complaint_max_age_years after the day the consumer knew or should have known of the harm.
Result<bool> past_complaint_max_age(const PolicyDocument& policy, const Calendar& calendar,
                                    std::int64_t known_ms, std::int64_t received_ms);

class PolicySet {
 public:
  // {"documents": [...]}: a document's parent must come before it.
  static Result<PolicySet> load(std::string_view json);
  // The national documents shipped with this build.
  static const PolicySet& builtin();

  // Adds a document after checking it: a national document has no parent; any other names a
  // document of this set whose scope contains its own, and only tightens it
  // (policies.loosens_parent). Documents of one scope may not be in force on the same day.
  Status add(PolicyDocument document);

  // The document governing a ticket received at `received_ms` in `region`: among those in force on
  // the CST receipt date, the one with the narrowest scope containing the region. Pointers returned
  // here and by find() stay valid until the next add().
  Result<const PolicyDocument*> in_force_on(std::int64_t received_ms,
                                            std::string_view region = "cn") const;
  // By "<id>@<version>", as recorded in a ticket (policies.unknown_policy).
  Result<const PolicyDocument*> find(std::string_view ref) const;

  const std::vector<PolicyDocument>& documents() const { return documents_; }

 private:
  std::vector<PolicyDocument> documents_;
};

}  // namespace wq::policies
