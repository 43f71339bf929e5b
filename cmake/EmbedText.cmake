# Writes OUTPUT, a C++ file defining `std::string_view SYMBOL()` that returns
# the contents of INPUT, so the executable carries the file.
file(READ ${INPUT} text)
file(WRITE ${OUTPUT}
  "// Generated from ${INPUT} by EmbedText.cmake.\n"
  "#include <string_view>\n\n"
  "std::string_view ${SYMBOL}() {\n"
  "  static constexpr std::string_view text = R\"roster_embedded(${text})roster_embedded\";\n"
  "  return text;\n}\n")
