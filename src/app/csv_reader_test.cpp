#include "app/csv_reader.hpp"

#include <gtest/gtest.h>

namespace roster::app {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string error;
  while (reader.Next(fields, error)) {
    EXPECT_EQ(error, "") << "record " << records.size() + 1;
    records.push_back(fields);
  }
  return records;
}

using Records = std::vector<std::vector<std::string>>;

TEST(CsvReader, ReadsCommasQuotesAndLineEndings) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF" "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n1,\n"),
            (Records{{"a", "b"}, {"x, y", "say \"hi\""}, {"1", ""}}));
}

// Excel saves "CSV" with semicolons where the decimal mark is a comma.
TEST(CsvReader, AFirstLineOfSemicolonsAndNoCommaSeparatesBySemicolons) {
  CsvReader reader("email;name\n");
  EXPECT_EQ(reader.separator(), ';');
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF" "email;name;role\r\nann@acme.test;\"Ann; Senior\";user\r\n"),
            (Records{{"email", "name", "role"}, {"ann@acme.test", "Ann; Senior", "user"}}));
  // Commas in the fields of later lines are text, as semicolons are in a
  // comma-separated file.
  EXPECT_EQ(ReadAll("name;note\nAnn;1,5\n"), (Records{{"name", "note"}, {"Ann", "1,5"}}));
}

TEST(CsvReader, AnyCommaOrNoSemicolonOnTheFirstLineKeepsCommas) {
  EXPECT_EQ(CsvReader("email,name;x\n").separator(), ',');
  EXPECT_EQ(CsvReader("email\nann;bob\n").separator(), ',');
  // A semicolon inside quotes is text.
  EXPECT_EQ(CsvReader("\"a;b\"\n").separator(), ',');
  EXPECT_EQ(CsvReader("\"a,b\";c\n").separator(), ';');
  EXPECT_EQ(CsvReader("").separator(), ',');
}

}  // namespace
}  // namespace roster::app
