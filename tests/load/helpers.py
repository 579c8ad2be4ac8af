"""What the load and fault tests do as a person would: sign in, read pages, change consent."""

from __future__ import annotations

import re

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(base: str, email: str, password: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/sign-in", timeout=30).text).group(1)
    response = browser.post(
        f"{base}/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"{email}: sign-in answered {response.status_code}"
    return browser


def toggle_consent(browser: requests.Session, base: str, team_id: int, grant: bool) -> requests.Response:
    token = CSRF.search(browser.get(f"{base}/consent", timeout=30).text).group(1)
    data = {
        "team_id": team_id,
        "category": "measurements",
        "action": "grant" if grant else "revoke",
        "csrf_token": token,
    }
    return browser.post(f"{base}/consent", data=data, allow_redirects=False, timeout=30)
