// Requests no HTTP client library would send, over a plain TCP connection.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace roster::testing {

struct RawAnswer {
  bool answered = false;  // a complete status line and head arrived
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Connects to `base_url` ("http://127.0.0.1:PORT"), sends `bytes` as they
// are, and reads one response until its end, the server's close, or `wait`.
// A server that closes without answering gives answered == false.
RawAnswer RawExchange(const std::string& base_url, const std::string& bytes,
                      std::chrono::milliseconds wait = std::chrono::seconds(5));

}  // namespace roster::testing
