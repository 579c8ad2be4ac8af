"""Every page a patient and a clinician can reach with the demo data, for the walk's checks over all pages (#18).

The addresses with numbers in them are read from the pages that link to them, as a person would find them."""

from __future__ import annotations

import re

from browser_pages import Pages

from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL
from pgo.records.bgz.sections import SLUGS

# the BgZ sections (#20): the page that lists them, and each section's page
BGZ_PAGES = ["/records/more", *(f"/records/{slug}" for slug in SLUGS)]
PUBLIC = ["/", "/sign-in", "/preferences"]
PATIENT = [
    "/",
    "/preferences",
    "/account/password",
    "/records",
    "/records/results",
    "/records/medication",
    "/records/problems",
    "/records/allergies",
    "/records/vaccinations",
    "/records/procedures",
    "/records/visits",
    "/records/documents",
    *BGZ_PAGES,
    "/records/import",
    "/records/providers",
    "/reading-level",
    "/measurements",
    "/measurements/blood_pressure/new",
    "/measurements/blood_pressure/history",
    "/measurements/import",
    "/decisions/",
    "/consent",
    "/access-log",
    "/helpers",
]
CLINICIAN = ["/", "/clinic/", "/clinic/measurements", "/clinic/catalogue/gaps"]
STEP_URL = re.compile(r"/decisions/responses/(\d+)/")


def patient_pages(pages: Pages) -> list[str]:
    """The patient's pages, with the first decision aid's steps and answers (started if it was not)."""
    pages.open("/decisions/")
    page = pages.page
    link = page.locator("a[href*='/decisions/responses/']").first
    if link.count():
        response_id = STEP_URL.search(link.get_attribute("href")).group(1)
    else:
        with page.expect_navigation():
            page.locator(".aid-entry").first.get_by_role("button").first.click()
        response_id = STEP_URL.search(page.url).group(1)
    steps = [f"/decisions/responses/{response_id}/steps/{n}" for n in range(1, 8)]
    return [*PATIENT, *steps, f"/decisions/responses/{response_id}/summary"]


def clinician_pages(pages: Pages) -> list[str]:
    pages.open("/clinic/")
    preparation = pages.page.locator("a[href$='/preparation']").first.get_attribute("href")
    patient = preparation.split("/")[3]
    measurements = pages.page.locator("main a[href$='/measurements']").first.get_attribute("href")
    return [
        *CLINICIAN,
        preparation,
        f"/clinic/patients/{patient}/offer",
        f"/clinic/patients/{patient}/decisions/high-blood-pressure",
        measurements,
        measurements + "/plan",
    ]


def every_page(pages: Pages, email: str) -> list[str]:
    """Sign in as ``email`` and list that person's pages."""
    pages.sign_in(email)
    return patient_pages(pages) if email == PATIENT_EMAIL else clinician_pages(pages)


PEOPLE = [PATIENT_EMAIL, CLINICIAN_EMAIL]
