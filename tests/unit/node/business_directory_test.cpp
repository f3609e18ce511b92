#include "weiquan/node/business_directory.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "office_fixture.h"
#include "temp_dir.h"

namespace wq::node {
namespace {

using testing::make_uscc;
using testing::TempDir;

constexpr std::string_view kHeader = "uscc,name,region,address\n";

struct Directory {
  TempDir tmp;
  OfficeDb db = OfficeDb::open(tmp.file("office.db")).value();
  BusinessDirectory directory{db};

  Result<ImportReport> import(const std::string& csv, const ImportProgress& progress = {}) {
    std::istringstream in(csv);
    return directory.import_csv(in, policies::RegionTable::builtin(), progress);
  }
  ImportReport import_ok(const std::string& csv) {
    auto report = import(csv);
    INFO((report ? "" : report.error().message));
    REQUIRE(report.ok());
    return std::move(*report);
  }
  Business find(const std::string& uscc) {
    auto found = directory.find_by_uscc(uscc);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return **found;
  }
};

std::string row(unsigned n, const std::string& name, const std::string& region = "440305",
                const std::string& address = "") {
  return make_uscc(n) + "," + name + "," + region + "," + address + "\n";
}

// "line N: reason" for each listed error, to compare in one go.
std::vector<std::string> lines_of(const ImportReport& report) {
  std::vector<std::string> out;
  for (const auto& error : report.errors) out.push_back(std::to_string(error.line));
  return out;
}

TEST_CASE("a directory import adds businesses that can be found", "[business_directory]") {
  Directory d;
  const ImportReport report = d.import_ok(
      std::string(kHeader) + row(1, "深圳市某某电器有限公司", "440305", "南山区科技园1号") +
      row(2, "某某餐饮店", "440305001") + row(3, "某某电器"));
  CHECK(report.added == 3);
  CHECK(report.updated == 0);
  CHECK(report.rejected == 0);
  CHECK(report.errors.empty());

  const Business first = d.find(make_uscc(1));
  CHECK(first.name == "深圳市某某电器有限公司");
  CHECK(first.region == "440305");
  CHECK(first.address == "南山区科技园1号");
  CHECK(d.find(make_uscc(2)).region == "440305001");
  CHECK_FALSE(d.directory.find_by_uscc(make_uscc(4)).value().has_value());

  auto by_name = d.directory.find_by_name("某某餐饮店");
  REQUIRE(by_name.ok());
  REQUIRE(by_name->size() == 1);
  CHECK(by_name->front().uscc == make_uscc(2));
  CHECK(d.directory.find_by_name("某某餐饮").value().empty());
}

TEST_CASE("names are not unique: find_by_name returns every match", "[business_directory]") {
  Directory d;
  d.import_ok(std::string(kHeader) + row(1, "同名商店") + row(2, "同名商店", "440305002") +
              row(3, "别的商店"));
  auto found = d.directory.find_by_name("同名商店");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 2);
  CHECK(found->at(0).uscc == make_uscc(1));
  CHECK(found->at(1).uscc == make_uscc(2));
}

TEST_CASE("CSV quoting follows RFC 4180", "[business_directory]") {
  Directory d;
  const std::string csv = std::string(kHeader) + make_uscc(1) +
                          ",\"某某电器, 有限公司\",440305,\"南山区 \"\"科技园\"\" 1号\"\n" +
                          make_uscc(2) + ",\"\",440305,\n" +            // empty name
                          make_uscc(3) + ",\"多行\n地址\",440305,\n" +  // a line break in a name
                          make_uscc(4) + ",某某\"商店,440305,\n" +      // stray quote
                          make_uscc(5) + ",\"某某\"商店,440305,\n" +    // text after quote
                          make_uscc(6) + ",\"\"\"引号\"\"商店\",440305,\n";  // quotes only
  const ImportReport report = d.import_ok(csv);
  CHECK(report.added == 2);
  CHECK(report.rejected == 4);
  CHECK(lines_of(report) == std::vector<std::string>{"3", "4", "6", "7"});
  CHECK(d.find(make_uscc(1)).name == "某某电器, 有限公司");
  CHECK(d.find(make_uscc(1)).address == "南山区 \"科技园\" 1号");
  CHECK(d.find(make_uscc(6)).name == "\"引号\"商店");
  CHECK_THAT(report.errors[0].reason, Catch::Contains("name"));
  CHECK_THAT(report.errors[2].reason, Catch::Contains("quote"));
  CHECK_THAT(report.errors[3].reason, Catch::Contains("closing quote"));
}

TEST_CASE("CRLF, a byte-order mark, blank lines and no final newline", "[business_directory]") {
  Directory d;
  const std::string csv = "\xEF\xBB\xBFuscc,name,region,address\r\n" + make_uscc(1) +
                          ",甲商店,440305,地址一\r\n\r\n\n" + make_uscc(2) +
                          ",\"乙商店\",440305,\"地址二\"\r\n" + make_uscc(3) + ",丙商店,440305,";
  const ImportReport report = d.import_ok(csv);
  CHECK(report.added == 3);
  CHECK(report.rejected == 0);
  CHECK(d.find(make_uscc(1)).address == "地址一");
  CHECK(d.find(make_uscc(2)).address == "地址二");
  CHECK(d.find(make_uscc(3)).name == "丙商店");

  const ImportReport lone_cr =
      d.import_ok(std::string(kHeader) + make_uscc(4) + ",丁\r商店,440305,\n" + row(5, "戊商店"));
  CHECK(lone_cr.added == 1);
  CHECK(lone_cr.rejected == 1);
}

TEST_CASE("rows with bad codes, regions, lengths or field counts are rejected with their line",
          "[business_directory]") {
  Directory d;
  std::string bad_check = make_uscc(2);
  bad_check.back() = bad_check.back() == 'A' ? 'B' : 'A';
  std::string lower_case = make_uscc(3);
  lower_case[8] = 'a';
  const std::string csv = std::string(kHeader) + row(1, "好商店") +              // line 2
                          bad_check + ",坏校验码,440305,\n" +                    // 3
                          lower_case + ",小写代码,440305,\n" +                   // 4
                          row(4, "未知地区", "449999") +                         // 5
                          row(5, "省级地区", "44") +                             // 6
                          row(6, "市级地区", "4403") +                           // 7
                          row(7, std::string(201, 'n')) +                        // 8
                          row(8, "长地址", "440305", std::string(501, 'a')) +    // 9
                          make_uscc(9) + ",少一列,440305\n" +                    // 10
                          make_uscc(10) + ",多一列,440305,,\n" +                 // 11
                          row(11, "好商店二", "440305", std::string(500, 'a'));  // 12
  const ImportReport report = d.import_ok(csv);
  CHECK(report.added == 2);
  CHECK(report.rejected == 9);
  CHECK(lines_of(report) ==
        std::vector<std::string>{"3", "4", "5", "6", "7", "8", "9", "10", "11"});
  REQUIRE(report.errors.size() == 9);
  CHECK_THAT(report.errors[0].reason, Catch::Contains("check character"));
  CHECK_THAT(report.errors[1].reason, Catch::Contains("capital letter"));
  CHECK_THAT(report.errors[2].reason, Catch::Contains("449999"));
  CHECK_THAT(report.errors[3].reason, Catch::Contains("county or township"));
  CHECK_THAT(report.errors[4].reason, Catch::Contains("county or township"));
  CHECK_THAT(report.errors[5].reason, Catch::Contains("name"));
  CHECK_THAT(report.errors[6].reason, Catch::Contains("address"));
  CHECK_THAT(report.errors[7].reason, Catch::Contains("found 3"));
  CHECK_THAT(report.errors[8].reason, Catch::Contains("found 5"));
}

TEST_CASE("duplicate rows and repeated imports update the record", "[business_directory]") {
  Directory d;
  const ImportReport first = d.import_ok(std::string(kHeader) + row(1, "旧名") + row(2, "乙") +
                                         row(1, "新名", "440305001", "新地址"));
  CHECK(first.added == 2);
  CHECK(first.updated == 1);
  const Business updated = d.find(make_uscc(1));
  CHECK(updated.name == "新名");
  CHECK(updated.region == "440305001");
  CHECK(updated.address == "新地址");
  CHECK(d.directory.find_by_name("旧名").value().empty());

  const ImportReport again = d.import_ok(std::string(kHeader) + row(2, "乙") + row(3, "丙"));
  CHECK(again.added == 1);
  CHECK(again.updated == 1);
}

TEST_CASE("a file without the header line is refused whole", "[business_directory]") {
  Directory d;
  for (const std::string& csv :
       {std::string(), std::string("\n\n"), row(1, "甲"), std::string("uscc,name,region\n"),
        std::string("USCC,name,region,address\n"), std::string("uscc,name,region,address,x\n")}) {
    INFO(csv);
    auto report = d.import(csv + row(2, "乙"));
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().code == "node.bad_csv");
  }
  CHECK_FALSE(d.directory.find_by_uscc(make_uscc(2)).value().has_value());
  auto empty = d.import("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "node.bad_csv");
  CHECK(d.import_ok(std::string(kHeader)).added == 0);
}

TEST_CASE("a record over 1 MiB is rejected and the next line read", "[business_directory]") {
  Directory d;
  const std::string huge(1024 * 1024, 'a');
  const ImportReport report = d.import_ok(std::string(kHeader) + row(1, "甲", "440305", huge) +
                                          make_uscc(2) + ",\"乙" + huge + "\n" + row(3, "丙"));
  CHECK(report.added == 1);
  CHECK(report.rejected == 2);
  CHECK(lines_of(report) == std::vector<std::string>{"2", "3"});
  CHECK_THAT(report.errors[0].reason, Catch::Contains("longer than"));
  CHECK(d.find(make_uscc(3)).name == "丙");
}

TEST_CASE("an unclosed quote at the end of the file rejects that record", "[business_directory]") {
  Directory d;
  const ImportReport report =
      d.import_ok(std::string(kHeader) + row(1, "甲") + make_uscc(2) + ",\"乙,440305,\n");
  CHECK(report.added == 1);
  CHECK(report.rejected == 1);
  CHECK_THAT(report.errors[0].reason, Catch::Contains("not closed"));
}

TEST_CASE("only the first 100 errors are listed, all are counted", "[business_directory]") {
  Directory d;
  std::string csv(kHeader);
  for (unsigned i = 0; i < 150; ++i) csv += row(i, "商店", "449999");
  csv += row(1000, "好商店");
  const ImportReport report = d.import_ok(csv);
  CHECK(report.rejected == 150);
  CHECK(report.added == 1);
  CHECK(report.errors.size() == kMaxImportErrors);
  CHECK(report.errors.back().line == 101);
}

TEST_CASE("large imports go in batches and report progress", "[business_directory]") {
  Directory d;
  std::string csv(kHeader);
  constexpr unsigned kRows = 2 * kImportBatchRows + 1;
  for (unsigned i = 0; i < kRows; ++i) csv += row(i, "商店" + std::to_string(i));
  std::size_t progress_calls = 0;
  auto report = d.import(csv, [&](std::size_t) { ++progress_calls; });
  REQUIRE(report.ok());
  CHECK(report->added == kRows);
  CHECK(progress_calls == 0);  // every kImportProgressRows rows: the CLI test reaches one
  CHECK(d.find(make_uscc(kRows - 1)).name == "商店" + std::to_string(kRows - 1));
}

TEST_CASE("search finds prefixes first, then substrings, within the limit",
          "[business_directory]") {
  Directory d;
  d.import_ok(std::string(kHeader) + row(1, "华强电器商店") + row(2, "深圳华强电子") +
              row(3, "华强北数码") + row(4, "南山餐饮") + row(5, "华为授权店"));
  const auto names = [&](std::string_view text, std::size_t limit) {
    auto found = d.directory.search(text, limit);
    REQUIRE(found.ok());
    std::vector<std::string> out;
    for (const auto& business : *found) out.push_back(business.name);
    return out;
  };
  CHECK(names("华强", 10) ==
        std::vector<std::string>{"华强北数码", "华强电器商店", "深圳华强电子"});
  CHECK(names("华强", 2) == std::vector<std::string>{"华强北数码", "华强电器商店"});
  CHECK(names("华", 10).size() == 4);
  CHECK(names("电", 10) == std::vector<std::string>{"华强电器商店", "深圳华强电子"});
  CHECK(names("餐饮", 10) == std::vector<std::string>{"南山餐饮"});
  CHECK(names("不存在", 10).empty());
  CHECK(names("", 10).empty());
  CHECK(names("华", 0).empty());
  CHECK(names("华", 1'000'000).size() == 4);
}

}  // namespace
}  // namespace wq::node
