"""A patient follows the blood pressure plan and reads the advice; a clinician sets a plan and sees flags."""

from __future__ import annotations

import pytest
from helpers import MODES

from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL

pytestmark = pytest.mark.browser

PATIENT_PAGES = [
    "/measurements",
    "/measurements/blood_pressure/new",
    "/measurements/blood_pressure/history",
    "/measurements/import",
]
CLINICIAN_PAGES = ["/clinic/measurements"]


def enter_blood_pressure(page, upper: str, lower: str, upper_label: str, lower_label: str, save: str) -> None:
    page.get_by_label(upper_label, exact=True).fill(upper)
    page.get_by_label(lower_label, exact=True).fill(lower)
    page.get_by_role("button", name=save).click()
    page.locator(".advice").wait_for()  # htmx swaps the result in place of the form


def test_patient_follows_the_plan_in_dutch(pages, console_errors):
    page = pages.page
    # Given Anna, signed in, with Dr. Jansen's blood pressure plan
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    pages.open("/measurements")
    assert page.get_by_role("heading", name="Wat u vandaag meet").is_visible()
    # When she measures now from the checklist and enters an in-range value
    page.get_by_role("link", name="Nu meten").first.click()
    page.wait_for_load_state()
    assert page.get_by_label("Systolisch (mmHg)", exact=True).get_attribute("inputmode") == "numeric"
    enter_blood_pressure(page, "128", "82", "Systolisch (mmHg)", "Diastolisch (mmHg)", "Opslaan")
    # Then she reads that it is within her limits, in words
    assert page.get_by_text("Binnen de grenzen").first.is_visible()
    assert page.get_by_role("img", name="Binnen de grenzen").is_visible()
    # When she enters a value above 180
    page.get_by_role("link", name="Nog een meting toevoegen").click()
    page.wait_for_load_state()
    enter_blood_pressure(page, "186", "98", "Systolisch (mmHg)", "Diastolisch (mmHg)", "Opslaan")
    # Then she is told to call the practice today
    assert page.get_by_text("Boven de 180: bel vandaag de praktijk.").is_visible()
    assert page.get_by_role("img", name="Bel vandaag uw praktijk").is_visible()
    # And the history shows the chart, the summary and the table
    page.get_by_role("link", name="Bekijk uw overzicht").click()
    page.wait_for_load_state()
    assert page.locator("svg.trend-chart[role=img]:visible").count() == 1  # one of the four widths (#18)
    assert "Uw gemiddelde deze week was" in page.locator(".summary").inner_text()
    assert page.get_by_role("table").get_by_text("186/98 mmHg").is_visible()
    page.get_by_role("link", name="Jaar").click()
    page.wait_for_load_state()
    assert "dit jaar" in page.locator(".summary").inner_text()
    assert console_errors == []


def test_patient_enters_a_reading_in_english_with_htmx_and_a_confirmation(pages, console_errors):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "en")
    pages.open("/measurements/body_weight/new")
    # When she types an unusual weight in pounds
    page.get_by_label("Weight", exact=True).fill("600")
    page.get_by_label("lb", exact=True).check()
    page.get_by_role("button", name="Save").click()
    # Then she is asked to check it (the form is swapped in place)
    page.get_by_role("heading", name="Please check this value").wait_for()
    # When she types a normal value
    page.get_by_label("Weight", exact=True).fill("160")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Your measurement is saved").wait_for()
    # Then her weight is shown in kilograms
    assert page.get_by_text("72.6 kg").first.is_visible()
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_clinician_sets_a_plan_and_sees_the_flagged_reading(pages, console_errors):
    page = pages.page
    pages.sign_in(CLINICIAN_EMAIL)
    pages.choose_display("normal", "nl")
    pages.open("/clinic/measurements")
    # The demo week has a reading of 184/102
    assert page.get_by_role("table").get_by_text("184/102 mmHg").is_visible()
    page.get_by_role("table").get_by_role("link", name="Anna de Vries").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Meetplan maken").click()
    page.wait_for_load_state()
    page.get_by_label("Wat meten").select_option("body_weight")
    page.get_by_label("Aantal keer per dag").fill("1")
    page.get_by_label("Aantal dagen").fill("14")
    page.get_by_label("Uitleg voor de patiënt").fill("Weeg uzelf 's ochtends.")
    page.locator("#first-field_name").select_option("value")
    page.locator("#first-limit_value").fill("80")
    page.get_by_role("button", name="Meetplan opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Het meetplan is opgeslagen.").is_visible()
    assert page.get_by_text("Weeg uzelf 's ochtends.").is_visible()
    assert console_errors == []


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_measurement_pages_are_accessible(pages, mode, language, console_errors, live_server):
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, language)
    for path in PATIENT_PAGES:
        pages.open(path)
        pages.assert_accessible(f"{path} [{mode}, {language}]")
    # a form with errors and the result page
    pages.open("/measurements/blood_pressure/new")
    pages.page.locator("main form button[type=submit]").click()
    pages.page.wait_for_load_state()
    pages.assert_accessible(f"entry errors [{mode}, {language}]")
    pages.page.locator("#systolic").fill("130")
    pages.page.locator("#diastolic").fill("80")
    pages.page.locator("main form button[type=submit]").click()
    pages.page.get_by_role("img").and_(pages.page.locator(".advice svg")).wait_for()
    pages.assert_accessible(f"result [{mode}, {language}]")
    pages.choose_display("normal", "nl")
    pages.page.context.clear_cookies()  # the clinician's turn
    pages.sign_in(CLINICIAN_EMAIL)
    pages.choose_display(mode, language)
    pages.open("/clinic/")  # a patient's measurements open from the list of patients (#22)
    patient_link = pages.page.locator("main a[href$='/measurements']").first.get_attribute("href")
    for path in [*CLINICIAN_PAGES, patient_link, patient_link + "/plan"]:
        pages.open(path)
        pages.assert_accessible(f"{path} [{mode}, {language}]")
    pages.choose_display("normal", "nl")
    assert [e for e in console_errors if "status of 400" not in e] == []  # the form with errors answers 400


def test_measurement_pages_reflow_at_320_pixels(pages):
    pages.page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("large-text", "nl")
    for path in PATIENT_PAGES:
        pages.open(path)
        overflow = pages.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    pages.choose_display("normal", "nl")


BUSY_EMAIL = "druk@test.pgo"


@pytest.fixture(scope="module")
def busy_patient(live_server):
    """A patient who measured her blood pressure 150 times today, a few readings above 180: more than the chart
    draws one by one, so it shows the means per day and marks the high readings with a diamond."""
    from sqlmodel import Session

    from pgo.accounts.service import create_user, find_user
    from pgo.clock import utcnow
    from pgo.demo import DEMO_PASSWORD
    from pgo.localtime import local
    from pgo.measurements.entry import record_measurement

    engine = live_server["app"].extensions["pgo_engine"]
    with Session(engine) as session:
        if find_user(session, BUSY_EMAIL) is None:
            user = create_user(session=session, email=BUSY_EMAIL, password=DEMO_PASSWORD, name="Dora Druk")
            now = local(utcnow()).replace(tzinfo=None)
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
            for n in range(150):  # all of them today, before now: in this week whatever the day
                systolic = "186" if n % 50 == 7 else str(120 + n % 15)
                record_measurement(
                    session=session, user_id=user.id, type="blood_pressure", unit=None,
                    form_values={"systolic": systolic, "diastolic": "80"},
                    measured_at=midnight + (now - midnight) * (n / 150), token=f"busy-{n:04d}", confirm=True,
                )  # fmt: skip
            session.commit()
    return BUSY_EMAIL


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_a_busy_week_chart_of_means_is_accessible(pages, mode, language, busy_patient, console_errors):
    pages.sign_in(busy_patient)
    pages.choose_display(mode, language)
    pages.open("/measurements/blood_pressure/history?period=week")
    if mode == "simplified":  # the simpler chart: the last readings and their direction in words (#18)
        assert pages.page.locator(".chart-simple .simple-values li").count() == 5
        pages.assert_accessible(f"busy history [{mode}, {language}]")
        pages.choose_display("normal", "nl")
        return
    chart = pages.page.locator(".chart-box svg.trend-chart[role=img]:visible")
    assert chart.is_visible()
    assert chart.locator("path.flagged").count() >= 3  # each high reading marked by a shape, not only a colour
    means = {
        "nl": "Elk punt is het gemiddelde van de metingen van één dag.",
        "en": "Each point is the average of one day's measurements.",
    }
    assert means[language] in chart.locator("desc").text_content()
    assert chart.locator("g.series-systolic circle").count() == 1  # one day: one mean, not 150 points
    pages.assert_accessible(f"busy history [{mode}, {language}]")
    pages.choose_display("normal", "nl")
    assert console_errors == []
