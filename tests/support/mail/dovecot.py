"""A real Dovecot IMAP server started from a temporary folder (its own config, Maildir).

Users log in with one static password (PLAIN/LOGIN) or with XOAUTH2/OAUTHBEARER bearer
tokens that Dovecot checks against the fake OAuth provider's tokeninfo endpoint. It listens
on `port` (plain, STARTTLS offered) and `tls_port` (implicit TLS) with the test CA's
certificate. Mail is delivered the way an MTA does (tmp/ then rename into new/), so IDLE
clients are told at once; `flags` reads flags back over IMAP to prove a reader only peeked.
"""

from __future__ import annotations

import ctypes
import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.support.mail.certs import TestCerts
from tests.support.processes import free_port, stop, wait_for

BINARY = "dovecot"
DH_FILE = Path("/usr/share/dovecot/dh.pem")
PR_SET_PDEATHSIG = 1  # linux/prctl.h

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = test-dovecot-{unique}
log_path = {dir}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
{dh}
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:{dir}/mail/%u
first_valid_uid = 1
first_valid_gid = 1
default_internal_user = dovecot
default_login_user = dovenull
imap_idle_notify_interval = 2 mins
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {dir}/oauth2.conf.ext
}}
passdb {{
  driver = static
  mechanisms = plain login
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
# No growing delay after failed logins from 127.0.0.1 (tests fail logins on purpose).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  # Named as Outlook names it: clients must find it by its \\Sent flag, not by "Sent".
  mailbox "Sent Items" {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
}}
"""

OAUTH2_CONF = """\
tokeninfo_url = {oauth_url}/tokeninfo?access_token=
username_attribute = email
"""


def _die_with_parent() -> None:
    """Dovecot's master gets SIGTERM if the test process dies without stopping it (a killed
    pytest must not leave an IMAP server running)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def available() -> bool:
    """Whether Dovecot is installed (scripts/ci-mail-deps.sh installs it)."""
    return shutil.which(BINARY) is not None


class Dovecot:
    """One Dovecot instance; `password` is every user's password."""

    def __init__(self, certs: TestCerts, oauth_url: str, password: str = "imap-secret"):
        self.certs, self.oauth_url, self.password = certs, oauth_url, password
        self.port = self.tls_port = 0
        self.dir: Path | None = None
        self.process: subprocess.Popen | None = None
        self._names = itertools.count(1)
        nobody = pwd.getpwnam("nobody")
        self.uid, self.gid = nobody.pw_uid, nobody.pw_gid

    def start(self) -> Dovecot:
        # Not pytest's tmp_path: Dovecot's unprivileged processes must reach the folder.
        self.dir = Path(tempfile.mkdtemp(prefix="outreach-dovecot-"))
        self.dir.chmod(0o755)
        for name in ("run", "state", "mail"):
            (self.dir / name).mkdir(mode=0o755)
        os.chown(self.dir / "mail", self.uid, self.gid)
        self.port, self.tls_port = free_port(), free_port()
        (self.dir / "oauth2.conf.ext").write_text(OAUTH2_CONF.format(oauth_url=self.oauth_url))
        config = self.dir / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                dir=self.dir,
                unique=uuid.uuid4().hex[:12],
                cert=self.certs.cert_file,
                key=self.certs.key_file,
                dh=f"ssl_dh = <{DH_FILE}" if DH_FILE.exists() else "",
                password=self.password,
                uid=self.uid,
                gid=self.gid,
                port=self.port,
                tls_port=self.tls_port,
            )
        )
        self.process = subprocess.Popen(
            [BINARY, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() ends its whole process group
            preexec_fn=_die_with_parent,
        )
        wait_for(self._greets, 20, every=0.05)
        return self

    def _greets(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"dovecot exited early:\n{self.log()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                return sock.recv(100).startswith(b"* OK")
        except OSError:
            return False

    def log(self) -> str:
        path = self.dir / "dovecot.log" if self.dir else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=10, group=True)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- mail -------------------------------------------------------------------------
    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        """The user's Maildir for `folder` (made as Dovecot would, owned by its uid)."""
        root = self.dir / "mail" / user
        path = root if folder == "INBOX" else root / f".{folder}"
        for sub in (root, path, path / "tmp", path / "new", path / "cur"):
            if not sub.exists():
                sub.mkdir(mode=0o700)
                os.chown(sub, self.uid, self.gid)
        return path

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX") -> str:
        """Deliver one message like an MTA: write into tmp/, then rename into new/."""
        path = self.maildir(user, folder)
        name = f"{time.time_ns()}.P{os.getpid()}Q{next(self._names)}.outreach-test"
        temp = path / "tmp" / name
        temp.write_bytes(raw)
        os.chown(temp, self.uid, self.gid)
        os.rename(temp, path / "new" / name)
        return name

    def login(self, user: str) -> imaplib.IMAP4:
        """A plain imaplib session as `user` (the test's own view of the mailbox)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(user, self.password)
        return imap

    def flags(self, user: str, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID -> flags of every message in the folder, read with EXAMINE (changes nothing)."""
        imap = self.login(user)
        try:
            typ, data = imap.select(f'"{folder}"', readonly=True)
            assert typ == "OK", data
            typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS)")
            assert typ == "OK", data
            return {
                int(re.search(rb"UID (\d+)", line).group(1)): {
                    flag.decode() for flag in imaplib.ParseFlags(line)
                }
                for line in data
                if isinstance(line, bytes) and b"UID" in line
            }
        finally:
            imap.logout()
