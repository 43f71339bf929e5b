#!/usr/bin/env python3
"""Every Markdown link of the README and docs/ resolves inside the repository
(the project documents itself): a relative link names an existing file (an
#anchor after it is allowed), an absolute URL points at localhost (examples)
or at a public standard. Prints every bad link and exits 1.

    python3 tests/docs/check_links.py REPO_DIR
"""
import pathlib
import re
import sys

PUBLIC_STANDARDS = (
    "https://www.rfc-editor.org/", "https://datatracker.ietf.org/", "https://www.w3.org/",
    "https://json-schema.org/", "https://spec.openapis.org/", "https://www.standardwebhooks.com/",
    "https://scim.cloud/", "http://localhost", "https://localhost",
)
# [text](target) outside code spans and fences, and <scheme://...>
INLINE = re.compile(r"\]\(([^)\s]+)\)")
ANGLE = re.compile(r"<([a-z]+://[^>\s]+)>")


def prose(text):
    """The text without fenced code blocks and code spans."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def main(repo):
    repo = pathlib.Path(repo).resolve()
    documents = [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]
    bad, count = [], 0
    for document in documents:
        text = prose(document.read_text(encoding="utf-8"))
        for target in INLINE.findall(text) + ANGLE.findall(text):
            count += 1
            where = f"{document.relative_to(repo)}: {target}"
            if re.match(r"^[a-z]+:", target):
                if not target.startswith(PUBLIC_STANDARDS):
                    bad.append(f"{where} leaves the repository")
                continue
            path = target.split("#", 1)[0]
            if not path:
                continue
            resolved = (document.parent / path).resolve()
            if repo not in resolved.parents and resolved != repo:
                bad.append(f"{where} points outside the repository")
            elif not resolved.exists():
                bad.append(f"{where} does not exist")
    for line in bad:
        print(line)
    print(f"{count} links checked in {len(documents)} documents, {len(bad)} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
