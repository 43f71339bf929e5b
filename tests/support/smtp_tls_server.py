#!/usr/bin/env python3
"""aiosmtpd with TLS and one login, for the tests of SMTP with credentials.

aiosmtpd's command line offers STARTTLS but no way to accept a login, so
this starts the same server (aiosmtpd.smtp.SMTP with the Mailbox handler)
with an authenticator. TLS is required before AUTH and AUTH before MAIL:
a message in the maildir was sent over TLS by a client that logged in.

Like a relay, it refuses one sender address at MAIL FROM (553, as for an
address the login may not send as) and one recipient at RCPT TO (550).

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

REFUSED_SENDER = "refused-sender@example.com"
REFUSED_RECIPIENT = "refused@example.com"


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


class Relay(Mailbox):
    """The Mailbox handler, with a relay's refusals of a sender and a recipient."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address == REFUSED_SENDER:
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED_RECIPIENT:
            return "550 5.1.1 Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"


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

    handler = Relay(str(directory / "maildir"))
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
