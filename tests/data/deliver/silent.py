#!/usr/bin/env python3
"""A TCP listener on 127.0.0.1 that accepts connections and never answers
(an SMTP server that hangs): usage silent.py PORTFILE; stops after 30 s."""
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
end = time.time() + 30
s.settimeout(1)
while time.time() < end:
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
