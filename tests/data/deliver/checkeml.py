#!/usr/bin/env python3
"""Check a revreport .eml with Python's email package (an independent MIME
parser): prints TAP lines "ok/not ok - ..." without a plan.
usage: checkeml.py MESSAGE PDF [expect-attachment: 1|0]"""
import email, email.policy, re, subprocess, sys

eml, pdf = sys.argv[1], sys.argv[2]
want_pdf = len(sys.argv) < 4 or sys.argv[3] == "1"
raw = open(eml, "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
def check(cond, what):
    print(("ok" if cond else "not ok") + " - " + what)

check(msg.defects == [], "no defects in the top-level message: %r" % msg.defects)
check(str(msg["Subject"]) == "Revenue marketing report \u2014 October 2026", "subject decodes: %r" % str(msg["Subject"]))
check(msg["Date"] == "Sun, 01 Nov 2026 06:00:00 +0000", "RFC 5322 date from SOURCE_DATE_EPOCH")
check(re.fullmatch(r"<[0-9a-f]{32}\.revreport@kestrel\.example>", msg["Message-ID"] or "") is not None,
      "Message-ID with the From domain")
check([a.addr_spec for a in msg["To"].addresses] == ["ceo@kestrel.example", "cfo@kestrel.example"], "To addresses")
check(msg.get_content_type() == "multipart/mixed", "multipart/mixed at the top")
lines = raw.split(b"\r\n")
check(all(len(l) <= 78 for l in lines), "no line longer than 78 octets")
check(b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings only")
parts = list(msg.walk())
defects = [(p.get_content_type(), p.defects) for p in parts if p.defects]
check(not defects, "no defects in any part: %r" % defects)
types = [p.get_content_type() for p in parts]
plain = [p for p in parts if p.get_content_type() == "text/plain"]
html = [p for p in parts if p.get_content_type() == "text/html"]
pngs = [p for p in parts if p.get_content_type() == "image/png"]
pdfs = [p for p in parts if p.get_content_type() == "application/pdf"]
check(len(plain) == 1 and len(html) == 1, "one text/plain and one text/html part: %r" % types)
text = plain[0].get_content()
h = html[0].get_content()
check("Revenue won: $3.23M" in text, "plain text carries the won revenue KPI")
check("Win rate: 57.5%" in text, "plain text carries the win rate KPI")
cids = re.findall(r'src="cid:([^"]+)"', h)
check(len(cids) > 0 and len(cids) == len(pngs), "%d cid: images, %d PNG parts" % (len(cids), len(pngs)))
pcids = sorted(p["Content-ID"].strip("<>") for p in pngs)
check(sorted(cids) == pcids, "every cid: reference has its part")
check(all(p.get_content()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs), "PNG parts decode to PNG files")
check("<svg" not in h.lower() and "data:" not in h and "<script" not in h.lower(), "no SVG, data: URI or script")
check(all('width="600"' in m for m in re.findall(r"<img[^>]*>", h)), "images displayed at 600 px")
if want_pdf:
    check(len(pdfs) == 1 and pdfs[0].get_content() == open(pdf, "rb").read(),
          "PDF attachment decodes to the same bytes as report.pdf")
    check(pdfs[0].get_filename() == "report.pdf" and pdfs[0].get_content_disposition() == "attachment",
          "attachment named report.pdf")
else:
    check(len(pdfs) == 0, "no PDF attached")
    check("was left out" in text and "was left out" in h, "both bodies say the PDF was left out")
open(eml + ".html", "w").write(h)
r = subprocess.run(["xmllint", "--html", "--noout", eml + ".html"], capture_output=True, text=True)
check(r.returncode == 0 and r.stderr == "", "xmllint --html: %s" % (r.stderr.strip()[:300] or "clean"))
