#!/usr/bin/env python3
"""A loopback SMTP server for tests/deliver_smtp.sh, on Debian's aiosmtpd.
usage: smtpd.py MAILDIR PORTFILE [auth|flaky|greylist|drop|reject]
Listens on 127.0.0.1 (port chosen by the kernel, written to PORTFILE), saves
each message as MAILDIR/N.eml (the bytes as received) and MAILDIR/N.env
(MAIL FROM and RCPT TO lines); refuses any recipient starting with
"refused@" (550); with "auth", requires AUTH PLAIN/LOGIN as rr / s3cret
(without TLS: loopback only).  Failure modes for the retry tests:
flaky (451 after DATA in the first two transactions: nothing kept), greylist
(450 on RCPT in the first transaction), drop (keeps the message, then closes
the connection without the final reply), reject (554 after DATA).  Each
transaction is logged to MAILDIR/log.  Stops after 60 s whatever happens."""
import asyncio, os, socket, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

maildir, portfile = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else ""
auth = mode == "auth"

def log(line):
    with open(os.path.join(maildir, "log"), "a") as f:
        f.write(line + "\n")

class Handler:
    n = 0
    tries = 0
    rcpts = 0
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        Handler.tries += 1
        envelope.mail_from = address
        return "250 OK"
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if mode == "greylist" and Handler.tries == 1:
            log("450 RCPT %s" % address)
            return "450 4.2.0 <%s>: greylisted, try again later" % address
        if address.startswith("refused@"):
            return "550 5.1.1 <%s>: recipient unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        if mode == "flaky" and Handler.tries <= 2:
            log("451 DATA try %d" % Handler.tries)
            return "451 4.3.0 temporary local problem, try again"
        if mode == "reject":
            log("554 DATA")
            return "554 5.6.0 message refused"
        Handler.n += 1
        base = os.path.join(maildir, str(Handler.n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("rcpt %s\n" % r)
        if mode == "drop":
            log("drop after DATA")
            server.transport.abort()
            return "250 never seen"
        log("250 DATA")
        return "250 Message accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = getattr(auth_data, "login", None) == b"rr" and getattr(auth_data, "password", None) == b"s3cret"
    return AuthResult(success=ok, handled=False)

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
kw = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False) if auth else {}
c = Controller(Handler(), hostname="127.0.0.1", port=port, **kw)
c.start()
with open(portfile + ".tmp", "w") as f:
    f.write(str(port))
os.rename(portfile + ".tmp", portfile)
threading.Event().wait(60)
c.stop()
