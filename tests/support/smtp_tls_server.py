#!/usr/bin/env python3
"""aiosmtpd with TLS and one login, for the tests of SMTP with credentials.

aiosmtpd's command line offers STARTTLS but no way to accept a login, so
this starts the same server (aiosmtpd.smtp.SMTP with the Mailbox handler)
with an authenticator. TLS is required before AUTH and AUTH before MAIL:
a message in the maildir was sent over TLS by a client that logged in.

The certificates are made once per directory with the openssl command: a
certificate authority (DIR/ca.pem, the file a client is told to trust) and
a server certificate it signed for the name "localhost" only.

Usage: smtp_tls_server.py DIR PORT starttls|implicit LOGIN PASSWORD
(messages go to DIR/maildir)
"""

import asyncio
import pathlib
import ssl
import subprocess
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def openssl(*arguments):
    subprocess.run(["openssl", *arguments], check=True, capture_output=True)


def make_certificates(directory):
    ca, ca_key = directory / "ca.pem", directory / "ca.key"
    cert, key = directory / "server.pem", directory / "server.key"
    if cert.exists():
        return cert, key
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Roster test CA", "-keyout", ca_key, "-out", ca)
    request = directory / "server.csr"
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", key, "-out", request)
    extensions = directory / "server.ext"
    extensions.write_text("subjectAltName = DNS:localhost\n")
    openssl("x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key,
            "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", cert)
    return cert, key


def main():
    directory, port, mode, login, password = sys.argv[1:6]
    directory = pathlib.Path(directory)
    cert, key = make_certificates(directory)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        accepted = (isinstance(auth_data, LoginPassword)
                    and auth_data.login == login.encode()
                    and auth_data.password == password.encode())
        return AuthResult(success=accepted, handled=False)

    handler = Mailbox(str(directory / "maildir"))
    implicit = mode == "implicit"

    def protocol():
        return SMTP(handler,
                    tls_context=None if implicit else context,
                    require_starttls=not implicit,
                    authenticator=authenticator,
                    auth_required=True,
                    auth_require_tls=not implicit)

    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(
        protocol, "127.0.0.1", int(port), ssl=context if implicit else None))
    loop.run_forever()


if __name__ == "__main__":
    main()
