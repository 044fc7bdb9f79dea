"""Sends one message with Python's smtplib; prints the outcome as one line. Used by RealClientsTest.

usage: smtplib_send.py MODE PORT CAFILE FROM TO[,TO...] [USER PASSWORD]
MODE: plain (port-25 style), starttls (submission: STARTTLS then AUTH), lmtp (smtplib.LMTP, one reply per
recipient: the first comes from sendmail(), the others are read with getreply()).
"""
import smtplib
import ssl
import sys
from email.message import EmailMessage

mode, port, cafile, sender, rcpts = sys.argv[1:6]
rcpts = rcpts.split(",")
msg = EmailMessage()
msg["From"] = sender
msg["To"] = ", ".join(rcpts)
msg["Subject"] = "smtplib " + mode
msg.set_content("Hello from Python smtplib.\n.leading dot line\n")

try:
    if mode == "lmtp":
        with smtplib.LMTP("127.0.0.1", int(port)) as c:
            refused_at_rcpt = {}
            c.ehlo_or_helo_if_needed()
            c.mail(sender)
            accepted = []
            for r in rcpts:
                code, _ = c.rcpt(r)
                if code == 250:
                    accepted.append(r)
                else:
                    refused_at_rcpt[r] = code
            code, resp = c.data(msg.as_string())  # a str gets CRLF line ends; bytes would keep bare LFs
            codes = [code] + [c.getreply()[0] for _ in accepted[1:]]
            print("lmtp data=" + ",".join(map(str, codes)) + " refused=" + ",".join(
                f"{r}:{v}" for r, v in refused_at_rcpt.items()))
    else:
        with smtplib.SMTP("127.0.0.1", int(port)) as c:
            if mode == "starttls":
                c.starttls(context=ssl.create_default_context(cafile=cafile))
                c.login(sys.argv[6], sys.argv[7])
            refused = c.send_message(msg, from_addr=sender, to_addrs=rcpts)
            print("sent refused=" + ",".join(refused.keys()))
except smtplib.SMTPRecipientsRefused as e:
    print("recipients-refused " + " ".join(f"{r}:{v[0]}" for r, v in e.recipients.items()))
except smtplib.SMTPAuthenticationError as e:
    print(f"auth-failed {e.smtp_code}")
except smtplib.SMTPResponseException as e:
    print(f"error {e.smtp_code} {e.smtp_error!r}")
