#include "http/static_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "http/mime_types.hpp"
#include "http/problem_json.hpp"
#include "http/url.hpp"

namespace roster::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when Accept-Encoding lists gzip (or "*") with a non-zero quality.
bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  while (!accept_encoding.empty()) {
    std::size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    std::size_t semicolon = item.find(';');
    std::string_view coding = Trim(item.substr(0, semicolon));
    bool acceptable = true;
    if (semicolon != std::string_view::npos) {
      std::string_view parameter = Trim(item.substr(semicolon + 1));
      if (parameter.starts_with("q=")) {
        std::string quality(parameter.substr(2));
        acceptable = std::strtod(quality.c_str(), nullptr) > 0;
      }
    }
    if (coding == "gzip") gzip = acceptable;
    if (coding == "*") any = acceptable;
  }
  return gzip.value_or(any.value_or(false));
}

// The file path below the root for a decoded URL path ("/" and "/dir/" name
// their index.html), or nullopt when a segment is "." or "..", hidden
// (".env", ".git"), or holds a backslash.
std::optional<fs::path> SafeRelativePath(std::string_view url_path) {
  fs::path relative;
  std::string_view rest = url_path.substr(url_path.starts_with('/') ? 1 : 0);
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    relative /= segment;
  }
  if (relative.empty() || url_path.ends_with('/')) relative /= "index.html";
  return relative;
}

// `candidate` resolved through symlinks, when it is a regular file inside `root`.
std::optional<fs::path> ResolveInside(const fs::path& root, const fs::path& candidate) {
  std::error_code error;
  fs::path resolved = fs::weakly_canonical(candidate, error);
  if (error || !fs::is_regular_file(resolved, error)) return std::nullopt;
  auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  if (root_end != root.end()) return std::nullopt;
  return resolved;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(contents).str();
}

std::string ETagOf(const fs::path& path) {
  std::error_code error;
  auto size = fs::file_size(path, error);
  auto modified = fs::last_write_time(path, error).time_since_epoch().count();
  return "W/\"" + std::to_string(size) + "-" + std::to_string(modified) + "\"";
}

class StaticFiles {
 public:
  explicit StaticFiles(fs::path root) : root_(std::move(root)) {}

  Response operator()(Request& request) const {
    if (request.method != "GET" && request.method != "HEAD") {
      return Response::FromProblem(MakeProblem(ProblemCode::kMethodNotAllowed, "method_not_allowed",
                                               "Only GET and HEAD are supported here."))
          .AddHeader("Allow", "GET, HEAD");
    }
    if (IsApiReferencePath(request.path)) {
      if (std::optional<fs::path> page = ResolveInside(root_, root_ / "api-docs.html")) {
        return Serve(request, *page, false);
      }
      return Response::FromProblem(Problem::NotFound());
    }
    std::optional<fs::path> relative = SafeRelativePath(request.path);
    if (!relative || IsApiPath(request.path)) {
      return Response::FromProblem(Problem::NotFound());
    }
    if (std::optional<fs::path> file = ResolveInside(root_, root_ / *relative)) {
      return Serve(request, *file, request.path.starts_with("/assets/"));
    }
    std::string_view last_segment =
        std::string_view(request.path).substr(request.path.rfind('/') + 1);
    bool looks_like_file =
        last_segment.find('.') != std::string_view::npos || request.path.starts_with("/assets/");
    if (!looks_like_file) {
      if (std::optional<fs::path> index = ResolveInside(root_, root_ / "index.html")) {
        return Serve(request, *index, false);
      }
    }
    return Response::FromProblem(Problem::NotFound());
  }

 private:
  Response Serve(const Request& request, const fs::path& file, bool immutable) const {
    Response response;
    fs::path gzipped = file;
    gzipped += ".gz";
    std::optional<fs::path> variant = ResolveInside(root_, gzipped);
    if (variant) response.AddHeader("Vary", "Accept-Encoding");
    bool send_gzip = variant && AcceptsGzip(request.Header("accept-encoding"));
    const fs::path& source = send_gzip ? *variant : file;

    std::string etag = ETagOf(source);
    response.AddHeader("ETag", etag);
    response.AddHeader("Cache-Control", std::string(immutable ? kImmutable : "no-cache"));
    if (send_gzip) response.AddHeader("Content-Encoding", "gzip");
    if (request.Header("if-none-match") == etag) {
      response.status = 304;
      return response;
    }
    std::optional<std::string> body = ReadFile(source);
    if (!body) return Response::FromProblem(Problem::Internal("cannot read " + source.string()));
    response.content_type = std::string(MimeTypeOf(file.extension().string()));
    response.body = std::move(*body);
    return response;
  }

  fs::path root_;
};

}  // namespace

Handler MakeStaticFiles(std::string directory) {
  std::error_code error;
  fs::path root = fs::weakly_canonical(fs::absolute(directory, error), error);
  if (error) root = fs::absolute(directory);
  return StaticFiles(std::move(root));
}

}  // namespace roster::http
