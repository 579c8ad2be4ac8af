"""What the load and fault tests do as a person would: sign in, read pages, change consent, enter a blood
pressure reading through the real form (its CSRF token and its idempotency token come from the page)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RESULT = re.compile(r"/measurements/result/(\d+)$")
ENTRY_FORM = "/measurements/blood_pressure/new"


def signed_in(base: str, email: str, password: str, browser: requests.Session | None = None) -> requests.Session:
    browser = browser or requests.Session()
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


def _hidden(html: str, name: str) -> str:
    """The value of the input ``name`` (hidden or prefilled) as the form rendered it."""
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*\bvalue="([^"]*)"', html)
    assert match, f"the entry form has no {name} field"
    return match.group(1)


@dataclass
class Reading:
    """One filled-in blood pressure form: everything a browser would send."""

    data: dict[str, str]

    @property
    def token(self) -> str:
        return self.data["token"]


def fill_in_reading(browser: requests.Session, base: str, systolic: int, diastolic: int, pulse: int) -> Reading:
    page = browser.get(base + ENTRY_FORM, timeout=30)
    assert page.status_code == 200, f"the entry form answered {page.status_code}"
    html = page.text
    data = {
        "csrf_token": _hidden(html, "csrf_token"),
        "token": _hidden(html, "token"),
        "day": _hidden(html, "day"),
        "clock": _hidden(html, "clock"),
        "systolic": str(systolic),
        "diastolic": str(diastolic),
        "heart_rate": str(pulse),
    }
    return Reading(data)


def post_reading(browser: requests.Session, base: str, reading: Reading, csrf: str | None = None) -> requests.Response:
    """POST the form as filled in. ``csrf`` replaces its CSRF token, to send the same reading from another
    session (the idempotency token stays)."""
    data = reading.data | ({"csrf_token": csrf} if csrf else {})
    return browser.post(base + ENTRY_FORM, data=data, allow_redirects=False, timeout=30)


def stored_id(response: requests.Response) -> int | None:
    """The id of the stored measurement when the server confirmed the entry (a redirect to its result)."""
    if response.status_code not in (302, 303):
        return None
    match = RESULT.search(response.headers.get("Location", ""))
    return int(match.group(1)) if match else None


def csrf_of(browser: requests.Session, base: str) -> str:
    return CSRF.search(browser.get(base + ENTRY_FORM, timeout=30).text).group(1)
