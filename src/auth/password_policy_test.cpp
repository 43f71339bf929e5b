#include "auth/password_policy.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "auth/secrets.hpp"

namespace roster {
namespace {

// Someone choosing a password who signed in with neither kind of current one.
PasswordContext Person(std::string email, std::string name,
                       std::vector<std::string> organization_names = {}) {
  PasswordContext context;
  context.email = std::move(email);
  context.name = std::move(name);
  context.organization_names = std::move(organization_names);
  return context;
}

PasswordContext John() {
  return Person("john.smith@acme-sales.com", "John Smith", {"Northwind Traders"});
}

// The messages of the errors, so a failure shows what the user would read.
std::vector<std::string> Messages(std::string_view password, const PasswordContext& context) {
  std::vector<std::string> messages;
  for (const FieldError& error : CheckNewPassword(password, context)) {
    EXPECT_EQ(error.field, "new_password");
    messages.push_back(error.message);
  }
  return messages;
}

// Asserts exactly one error, whose message contains `why`.
void ExpectOnlyError(std::string_view password, const PasswordContext& context,
                     std::string_view why) {
  const std::vector<std::string> messages = Messages(password, context);
  ASSERT_EQ(messages.size(), 1u) << "password: " << password
                                 << ", first: " << (messages.empty() ? "none" : messages.front());
  EXPECT_NE(messages.front().find(why), std::string::npos) << messages.front();
}

std::string Repeat(std::string_view piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += piece;
  return text;
}

// `count` distinct two-byte characters (Cyrillic, from U+0410).
std::string CyrillicLetters(int count) {
  std::string text;
  for (int code_point = 0x410; code_point < 0x410 + count; ++code_point) {
    text += static_cast<char>(0xC0 | (code_point >> 6));
    text += static_cast<char>(0x80 | (code_point & 0x3F));
  }
  return text;
}

TEST(AuthPasswordPolicyTest, AcceptsALongPassphrase) {
  EXPECT_TRUE(Messages("correct horse battery staple violet", John()).empty());
  EXPECT_TRUE(Messages("Xq7#vR2!pL9@wZ4", John()).empty());  // 15 random characters
}

TEST(AuthPasswordPolicyTest, CountsLengthInCodePointsNotBytes) {
  const std::string fifteen =
      "😀🐍🚀🌵🎻🧊🦉🍋🛶🪁🧭🦀🎲🗿🌋";  // four bytes each
  ASSERT_EQ(fifteen.size(), 60u);  // more than 15 bytes, yet 15 characters
  const std::string fourteen = fifteen.substr(0, 14 * 4);
  ExpectOnlyError(fourteen, John(), "at least 15 characters long; it has 14");
  EXPECT_TRUE(Messages(fifteen, John()).empty());
}

TEST(AuthPasswordPolicyTest, RefusesFourteenCharactersAcceptsFifteen) {
  ExpectOnlyError("Xq7#vR2!pL9@wZ", John(), "at least 15 characters");
}

TEST(AuthPasswordPolicyTest, AcceptsOneHundredTwentyEightCharactersRefusesMore) {
  EXPECT_TRUE(Messages(CyrillicLetters(128), John()).empty());  // 256 bytes
  ExpectOnlyError(CyrillicLetters(129), John(), "at most 128 characters long; it has 129");
}

TEST(AuthPasswordPolicyTest, RefusesInvalidUtf8) {
  const std::string padding = "correct horse battery staple ";
  for (const std::string& bad : {std::string("\xC3\x28"),          // bad continuation
                                 std::string("\xC0\xAF"),          // overlong '/'
                                 std::string("\xED\xA0\x80"),      // UTF-16 surrogate
                                 std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
                                 std::string("\xFF"), std::string("\xE2\x82")}) {  // truncated
    ExpectOnlyError(padding + bad, John(), "not valid UTF-8");
  }
}

// zxcvbn-c reads bytes: these scored as random text before they were also
// scored a character a byte.
TEST(AuthPasswordPolicyTest, RefusesNonAsciiRepeatsAndSequencesAsTheirAsciiTwins) {
  for (const std::string& weak :
       {Repeat("🔑", 15), Repeat("😀", 15), Repeat("жз", 10), Repeat("日本", 8),
        std::string("١٢٣٤٥٦٧٨٩٠١٢٣٤٥"),  // Arabic-Indic 123456789012345
        std::string("１２３４５６７８９０１２３４５"),  // full-width digits
        std::string("ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ")}) {
    ExpectOnlyError(weak, John(), "too easy to guess");
  }
  // Non-ASCII text that is not a pattern still passes.
  for (const char* fine :
       {"синий трамвай гудит у моря", "日本語のとても長いパスワードです", "Grüße aus Köln, 17 Möwen"}) {
    EXPECT_TRUE(Messages(fine, John()).empty()) << fine << ": " << Messages(fine, John()).front();
  }
}

TEST(AuthPasswordPolicyTest, RefusesGuessablePasswords) {
  ExpectOnlyError("Summer2024Summer", John(), "too easy to guess");
  ExpectOnlyError("passwordpassword", John(), "too easy to guess");
  ExpectOnlyError("qwertyuiopasdfgh", John(), "too easy to guess");
}

// "acme" and "sales" are only guessable because they are his e-mail's domain.
TEST(AuthPasswordPolicyTest, ScoresWithTheUsersContextAsDictionary) {
  PasswordContext elsewhere = John();
  elsewhere.email = "john.smith@example.org";
  EXPECT_TRUE(Messages("acmesalesacme2024", elsewhere).empty());
  ExpectOnlyError("acmesalesacme2024", John(), "too easy to guess");
}

TEST(AuthPasswordPolicyTest, RefusesTheEmailLocalPartInAnyCase) {
  PasswordContext context = Person("jsmith7@example.org", "Alice Jones");
  ExpectOnlyError("violet jsmith7 trombone glacier", context, "e-mail");
  ExpectOnlyError("violet JSmith7 trombone glacier", context, "e-mail");
}

TEST(AuthPasswordPolicyTest, RefusesTheNameAndItsWords) {
  PasswordContext context = Person("mb@example.org", "Margarethe Okonkwo-Bell");
  ExpectOnlyError("OKONKWO likes purple trombones", context, "your name");
  ExpectOnlyError("quiet margarethe marmalade glacier", context, "your name");
  // "Bell" has 4 letters; short words alone ("li" below) are allowed.
  ExpectOnlyError("violet trombone bells glacier", context, "your name");
}

// Upper and lower case beyond ASCII are one letter too.
TEST(AuthPasswordPolicyTest, RefusesTheNameInAnyCaseOfAnyScript) {
  PasswordContext emile = Person("ez@example.org", "Émile Zolanski", {"Øresund Ströme"});
  ExpectOnlyError("émile-violet-harbor-quantum", emile, "your name");
  ExpectOnlyError("ÉMILE-violet-harbor-quantum", emile, "your name");
  ExpectOnlyError("violet-harbor-øresund-quantum", emile, "organization");
  ExpectOnlyError("violet-harbor-STRÖME-quantum", emile, "organization");
  PasswordContext olga = Person("op@example.org", "Ольга Петрова");
  ExpectOnlyError("ПЕТРОВА любит синий трамвай", olga, "your name");
}

TEST(AuthPasswordPolicyTest, RefusesAShortWordedNameWrittenTogether) {
  PasswordContext context = Person("lw@example.org", "Li Wu");
  ExpectOnlyError("liwu plays violet trombone", context, "your name");
  EXPECT_TRUE(Messages("lights of violet trombones", context).empty());
}

// SPEC 6: shorter name words only feed zxcvbn.
TEST(AuthPasswordPolicyTest, AcceptsWordsThatContainAShortNameWord) {
  PasswordContext ann = Person("al@example.org", "Ann Lee", {"Ger"});
  EXPECT_TRUE(Messages("planning violet glaciers tomorrow", ann).empty());
  PasswordContext ger = Person("gr@example.org", "Ger Ryan");
  EXPECT_TRUE(Messages("tangerine trombones hum quietly", ger).empty());
  EXPECT_TRUE(Messages("tangerine trombones hum quietly", ann).empty());
  ExpectOnlyError("planning violet annlee glaciers", ann, "your name");
}

TEST(AuthPasswordPolicyTest, RefusesAnOrganizationNameButNotFillerWords) {
  ExpectOnlyError("glacier northwind marmalade", John(), "organization");
  PasswordContext context = John();
  context.organization_names = {"The Widget Company Inc."};
  EXPECT_TRUE(Messages("other violet glaciers hum", context).empty());
  ExpectOnlyError("widgets of violet glaciers", context, "organization");
}

TEST(AuthPasswordPolicyTest, RefusesTheOneTimePasswordHoweverTyped) {
  PasswordContext context = John();
  context.current_one_time_password = NewOneTimePassword();
  ExpectOnlyError(context.current_one_time_password, context, "one-time password");
  std::string typed = NormalizeOneTimePassword(context.current_one_time_password);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ExpectOnlyError(typed, context, "one-time password");
  EXPECT_TRUE(Messages(NewOneTimePassword(), context).empty());  // another one is fine
}

TEST(AuthPasswordPolicyTest, RefusesTheCurrentPasswordAsItsOwnReplacement) {
  PasswordContext context = John();
  context.current_password = "marmalade glaciers hum quietly";
  ExpectOnlyError(context.current_password, context, "current one");
  EXPECT_TRUE(Messages("Marmalade glaciers hum quietly", context).empty());  // a change is a change
}

TEST(AuthPasswordPolicyTest, ReportsEveryBrokenRule) {
  // Too short, guessable, and "smith" is in his name and his e-mail.
  EXPECT_EQ(Messages("smith123", John()).size(), 4u);
  EXPECT_EQ(Messages(Repeat("a", 200), John()).size(), 2u);  // too long and guessable
}

}  // namespace
}  // namespace roster
