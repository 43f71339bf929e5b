#include "http/api/csv_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/csv_reader.hpp"

namespace roster::http {
namespace {

std::string Record(const std::vector<std::string>& fields) {
  std::string out;
  CsvWriter csv(out);
  for (const auto& field : fields) csv.Field(field);
  csv.End();
  return out;
}

TEST(CsvWriter, WritesPlainFieldsAsTheyAreWithCrlf) {
  EXPECT_EQ(Record({"Ada", "ada@acme.test", ""}), "Ada,ada@acme.test,\r\n");
}

TEST(CsvWriter, QuotesFieldsWithSeparatorsQuotesAndLineBreaks) {
  EXPECT_EQ(Record({"Acme, Inc", "say \"hi\"", "two\nlines", "cr\rhere"}),
            "\"Acme, Inc\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n");
}

// A spreadsheet that separates fields with ';' keeps a quoted field whole:
// unquoted, "Nick;=1+2;-3" became the cells Nick, =1+2 (a formula) and -3.
TEST(CsvWriter, QuotesFieldsWithSemicolons) {
  EXPECT_EQ(Record({"Nick;=1+2;-3", "plain"}), "\"Nick;=1+2;-3\",plain\r\n");
}

struct FormulaCase {
  std::string field, written;
};

TEST(CsvWriter, PrefixesCellsThatASpreadsheetWouldRunAsFormulas) {
  const std::vector<FormulaCase> cases = {
      {"=1+2", "'=1+2"},       {"+1", "'+1"},     {"-1", "'-1"},
      {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"}, {"\rx", "\"'\rx\""},
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"a=b", "a=b"},          {"", ""},         {"'quoted", "'quoted"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    EXPECT_EQ(Record({c.field}), c.written + "\r\n");
  }
}

TEST(CsvWriter, ReplacesInvalidUtf8) {
  EXPECT_EQ(Record({std::string("a\xff") + "b"}), "a\xEF\xBF\xBD" "b\r\n");
  EXPECT_EQ(Record({"Zoë 日本"}), "Zoë 日本\r\n");
}

TEST(CsvWriter, WritesWhatTheProjectsCsvReaderReadsBack) {
  const std::vector<std::string> fields = {"a,b", "\"q\"", "multi\r\nline", "plain", "=x"};
  std::string text = Record(fields) + Record({"1", "2", "3", "4", "5"});
  app::CsvReader reader(text);
  std::vector<std::string> read;
  std::string error;
  ASSERT_TRUE(reader.Next(read, error));
  EXPECT_EQ(error, "");
  EXPECT_EQ(read, (std::vector<std::string>{"a,b", "\"q\"", "multi\r\nline", "plain", "'=x"}));
  ASSERT_TRUE(reader.Next(read, error));
  EXPECT_EQ(read.size(), 5u);
  EXPECT_FALSE(reader.Next(read, error));
}

}  // namespace
}  // namespace roster::http
