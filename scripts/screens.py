"""Screenshots of the main pages as our users see them (#18), so a change can be compared by eye: `make screens`.

Serves the demo on a loopback port, then photographs home, results, medication, the summary to take along, the
to-do list, the blood pressure chart, a measurement's result, and the clinician's patient list, flagged readings and
preparation, at 390 px (a phone) and 1280 px, in the default view and in the simplified view with extra large text
and high contrast. Writes docs/screens/<page>-<width>-<view>.png (each at most 2,400 px long: the top of the page,
where a person starts)."""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, update
from werkzeug.serving import make_server

from pgo import create_app, db
from pgo.accounts.models import User
from pgo.demo import CLINICIAN_EMAIL, DEMO_PASSWORD, PATIENT_EMAIL, seed_demo

WIDTHS = [390, 1280]
VIEWS = {
    "default": {"text_size": "normal", "high_contrast": False, "simplified": False},
    "simplified-xlarge-contrast": {"text_size": "xlarge", "high_contrast": True, "simplified": True},
}
LONGEST = 2400


def demo_server(folder: Path):
    app = create_app(
        {
            "PGO_DATABASE_URL": f"sqlite:///{folder / 'pgo.sqlite3'}",
            "SECRET_KEY": "screens",
            "PGO_INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    engine = app.extensions["pgo_engine"]
    db.migrate(engine)
    with db.session_scope(engine) as session:
        seed_demo(session=session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server


def set_view(engine, view: dict) -> None:
    with Session(engine) as session:
        session.exec(update(User).values(locale="nl", reading_level="standard", **view))
        session.commit()


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button").click()


def shoot(page, path: Path) -> None:
    page.wait_for_load_state("networkidle")
    height = min(LONGEST, page.evaluate("document.documentElement.scrollHeight"))
    width = page.viewport_size["width"]
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})


def patient_pages(page, base: str, out: Path, name: str) -> None:
    patient = [("home", "/"), ("results", "/records/results"), ("medication", "/records/medication"),
               ("summary", "/summary"), ("to-do", "/questionnaires"),
               ("blood-pressure-history", "/measurements/blood_pressure/history?period=month")]  # fmt: skip
    for slug, path in patient:
        page.goto(base + path)
        shoot(page, out / f"{slug}-{name}.png")
    page.goto(base + "/measurements/blood_pressure/new")
    page.locator("#systolic").fill("186")
    page.locator("#diastolic").fill("112")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").evaluate("b => b.form.submit()")  # the page, not htmx
    if page.locator("input[name=confirm]").count():  # an unusual value is asked to be confirmed first
        page.locator("input[name=confirm]").check()
        with page.expect_navigation():
            page.locator("main form button[type=submit]").evaluate("b => b.form.submit()")
    shoot(page, out / f"measurement-result-{name}.png")


def clinician_pages(page, base: str, out: Path, name: str) -> None:
    for slug, path in [("clinician-patient-list", "/clinic/"), ("clinician-flagged", "/clinic/measurements")]:
        page.goto(base + path)
        shoot(page, out / f"{slug}-{name}.png")
    page.goto(base + "/clinic/")
    page.locator("a[href$='/preparation']").first.click()
    shoot(page, out / f"clinician-preparation-{name}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screens", type=Path)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, server = demo_server(Path(folder))
        base = f"http://127.0.0.1:{server.server_port}"
        engine = app.extensions["pgo_engine"]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"]
                )
                for view_name, view in VIEWS.items():
                    set_view(engine, view)
                    for width in WIDTHS:
                        name = f"{width}-{view_name}"
                        for email, walk in [(PATIENT_EMAIL, patient_pages), (CLINICIAN_EMAIL, clinician_pages)]:
                            context = browser.new_context(viewport={"width": width, "height": 844}, locale="nl-NL")
                            page = context.new_page()
                            sign_in(page, base, email)
                            walk(page, base, args.out, name)
                            context.close()
                browser.close()
        finally:
            server.shutdown()
            set_view(engine, VIEWS["default"])
            engine.dispose()
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
