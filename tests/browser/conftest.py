"""Browser tests: the real app on loopback with demo data, Debian's Chromium through Playwright, axe-core."""

from __future__ import annotations

import shutil

import pytest
from browser_pages import Pages
from live import demo_app, serving


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    app = demo_app(tmp_path_factory.mktemp("live"), "browser-tests")
    with serving(app) as url:
        yield {"url": url, "app": app}
    app.extensions["pgo_engine"].dispose()


@pytest.fixture(autouse=True)
def default_display(request):
    """Every browser test starts with everyone's display preferences at their defaults, whatever ran before."""
    yield
    if "live_server" not in request.fixturenames:
        return
    from sqlmodel import Session, update

    from pgo.accounts.models import User

    engine = request.getfixturevalue("live_server")["app"].extensions["pgo_engine"]
    with Session(engine) as session:
        session.exec(
            update(User).values(
                text_size="normal", high_contrast=False, simplified=False, reading_level="standard", locale=None
            )
        )
        session.commit()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server["url"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def pages(page, base_url):
    return Pages(page, base_url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Dutch browser, as most of our users have."""
    return {**browser_context_args, "locale": "nl-NL"}
