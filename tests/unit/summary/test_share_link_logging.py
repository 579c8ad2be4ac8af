"""The key of a share link never reaches the server's access log (#21)."""

from __future__ import annotations

import datetime

from pgo.server import AccessLogger
from pgo.summary.sharing import without_link_keys

KEY = "q0vF3b9xkK2m1xW8oZ4yT7uPpL5sR6nA1cD2eF3gH4i"


def test_link_keys_are_taken_out_of_log_text():
    line = f"GET /summary/shared/AbC_12-xyz/{KEY}?x=1 HTTP/1.1"
    assert without_link_keys(line) == "GET /summary/shared/AbC_12-xyz/[key]?x=1 HTTP/1.1"
    assert without_link_keys("GET /summary/share HTTP/1.1") == "GET /summary/share HTTP/1.1"


def test_gunicorns_access_line_has_no_key():
    class Config:
        errorlog = "-"
        loglevel = "info"
        accesslog = None
        syslog = False
        logconfig = logconfig_dict = logconfig_json = None
        disable_redirect_access_to_syslog = True
        capture_output = False
        access_log_format = '%(h)s "%(r)s" %(U)s "%(f)s"'
        user = group = 0
        umask = 0

    class Response:
        status, sent, headers = "200 OK", 10, ()

    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/summary/shared/abc/{KEY}", "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/summary/shared/abc/{KEY}", "HTTP_REFERER": f"http://x/summary/shared/abc/{KEY}",
        "REMOTE_ADDR": "127.0.0.1",
    }  # fmt: skip
    logger = AccessLogger.__new__(AccessLogger)
    logger.cfg = Config()
    atoms = logger.atoms(Response(), {}, environ, datetime.timedelta(seconds=0))
    assert KEY not in " ".join(str(v) for v in atoms.values())
    assert atoms["U"] == "/summary/shared/abc/[key]"
