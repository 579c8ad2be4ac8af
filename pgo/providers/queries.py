"""The MedMij query sets (#20, 2026-12-03): what pgo asks a provider's FHIR server, per data service and version.

A MedMij server answers the searches its information standard defines and nothing else; the patient is the one the
access token is for, so no query names them. Each query names where it is defined (``source``). The tables hold the
searches as the standards write them; ``Query.params`` keeps repeated parameters (``_include``) in order.

Sources (read 2026-12-03):
- BGZ_STU3: MedMij V2020.01, FHIR BgZ 2017 (BgZ MSZ), informatiestandaarden.nictiz.nl/wiki/MedMij:V2020.01/FHIR_BGZ_2017
- GP_STU3: MedMij V2020.01, FHIR GP Data (Huisartsgegevens), .../MedMij:V2020.01/FHIR_GP_Data (NHG table 45 results)
- LAB: MedMij Laboratoriumresultaten (STU3 as in the BgZ; R4 zib2020 nl-core-LaboratoryTestResult)
- MP: MedMij Medicatieproces 9 (STU3 as in the BgZ; R4 MP9 2.0 categories: 16076005 agreement, 422037009
  administration agreement, 422979000 medication use)
- PDFA: MedMij V2020.01 Documenten PDF/A (DocumentReference, then the Binary it points to)
- VACC_R4: MedMij Vaccinatie-immunisatie (R4, nl-core-Vaccination-event)
- VITALS: MedMij Meetwaarden vitale functies (one search per zib, by its LOINC codes)
- VL: MedMij Vragenlijsten (a Task with code LOINC 74468-0 per questionnaire; the Questionnaire read by reference,
  the QuestionnaireResponse created on the server)
The same searches are listed per data service by the Ministry of Health's MedMij client (minvws/nl-mgo-app-web,
``packages/config/src/data-services``), which was read to check these.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

STU3 = "STU3"
R4 = "R4"
VERSIONS = (STU3, R4)

BGZ_STU3 = "MedMij V2020.01 FHIR BgZ 2017"
BGZ_R4 = "MedMij BgZ (zib2020, R4): the BgZ 2017 searches with the R4 code systems and resource names"
GP_STU3 = "MedMij V2020.01 FHIR GP Data"
LAB = "MedMij Laboratoriumresultaten"
MP = "MedMij Medicatieproces 9"
PDFA = "MedMij V2020.01 Documenten PDF/A"
VACC_R4 = "MedMij Vaccinatie-immunisatie (R4)"
VITALS = "MedMij Meetwaarden vitale functies"
VL = "MedMij Vragenlijsten"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NHG_45 = "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen"
MEDICATION_USE_STU3 = "urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3"
ACT_CODE = {STU3: "http://hl7.org/fhir/v3/ActCode", R4: "http://terminology.hl7.org/CodeSystem/v3-ActCode"}
TASK_CODE = f"{LOINC}|74468-0"  # "Questionnaire form definition Document": a request to fill in a questionnaire
OPEN_TASK_STATUSES = "requested,received,accepted,in-progress"

# The data services, in the order pgo asks them; the names are what the patient reads on the sync report.
BGZ = "bgz"
GP = "gp"
LAB_RESULTS = "lab"
MEDICATION = "medication"
DOCUMENTS = "documents"
VACCINATIONS = "vaccinations"
VITAL_SIGNS = "vital-signs"
QUESTIONNAIRES = "questionnaires"
SERVICES = (BGZ, GP, LAB_RESULTS, MEDICATION, DOCUMENTS, VACCINATIONS, VITAL_SIGNS, QUESTIONNAIRES)


@dataclass(frozen=True)
class Query:
    """One search as a MedMij standard defines it: ``GET [base]/{resource_type}[/{operation}]?{params}``."""

    service: str
    name: str  # the zib or what it is for
    resource_type: str
    params: tuple[tuple[str, str], ...] = ()
    operation: str = ""  # "$lastn": the newest per code
    source: str = ""

    @property
    def path(self) -> str:
        return f"{self.resource_type}/{self.operation}" if self.operation else self.resource_type

    @property
    def text(self) -> str:
        """The search as the standard writes it (unescaped), e.g. ``Observation/$lastn?code=http://loinc.org|85354-9``."""
        query = "&".join(f"{key}={value}" for key, value in self.params)
        return f"{self.path}?{query}" if query else self.path

    @property
    def url_query(self) -> str:
        """The query string for the wire: values escaped, ``|``, ``,`` and ``:`` kept readable."""
        return "&".join(f"{key}={quote(value, safe='|,:/$')}" for key, value in self.params)

    def signature(self) -> tuple:
        """What a server compares: the path and the parameters, in any order."""
        return (self.path, tuple(sorted(self.params)))


def _q(service: str, name: str, text: str, source: str) -> Query:
    """A query from its text as the standard writes it."""
    path, _sep, query = text.partition("?")
    resource_type, _slash, operation = path.partition("/")
    params = tuple(tuple(part.split("=", 1)) for part in query.split("&") if part)
    return Query(service, name, resource_type, params, operation, source)  # type: ignore[arg-type]


def _bgz(version: str) -> tuple[Query, ...]:
    """BgZ 2017 (MSZ): its searches in the order of the BgZ sections 1-18 (R4 names and systems for R4)."""
    source = BGZ_STU3 if version == STU3 else BGZ_R4
    act = ACT_CODE[version]
    planned_procedure = "ProcedureRequest" if version == STU3 else "ServiceRequest"
    texts = [
        ("Patient", "Patient?_include=Patient:general-practitioner"),
        ("Payer", "Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"),
        ("TreatmentDirective", f"Consent?category={SNOMED}|11291000146105"),
        ("AdvanceDirective", f"Consent?category={SNOMED}|11341000146107"),
        ("FunctionalOrMentalStatus", f"Observation/$lastn?category={SNOMED}|118228005,{SNOMED}|384821006"),
        ("Problem", "Condition"),
        ("LivingSituation", f"Observation/$lastn?code={SNOMED}|365508006"),
        ("DrugUse", f"Observation?code={SNOMED}|228366006"),
        ("AlcoholUse", f"Observation?code={SNOMED}|228273003"),
        ("TobaccoUse", f"Observation?code={SNOMED}|365980008"),
        ("NutritionAdvice", "NutritionOrder"),
        ("Alert", "Flag"),
        ("AllergyIntolerance", "AllergyIntolerance"),
        ("MedicalDevice", "DeviceUseStatement?_include=DeviceUseStatement:device"),
        ("Vaccination", "Immunization?status=completed"),
        ("BloodPressure", f"Observation/$lastn?code={LOINC}|85354-9"),
        ("BodyWeight", f"Observation/$lastn?code={LOINC}|29463-7"),
        ("BodyHeight", f"Observation/$lastn?code={LOINC}|8302-2,{LOINC}|8306-3,{LOINC}|8308-9"),
        # zib2020's Procedure has no category (nl-core-Procedure-event): R4 asks for every procedure.
        ("Procedure", f"Procedure?category={SNOMED}|387713003" if version == STU3 else "Procedure"),
        ("Encounter", f"Encounter?class={act}|IMP,{act}|ACUTE,{act}|NONAC"),
        ("PlannedProcedure", f"{planned_procedure}?status=active"),
        ("PlannedImmunization", "ImmunizationRecommendation"),
        ("PlannedMedicalDevice", "DeviceRequest?status=active&_include=DeviceRequest:device"),
        ("PlannedEncounter", "Appointment?status=booked,pending,proposed"),
    ]
    own = tuple(_q(BGZ, name, text, source) for name, text in texts)
    # Sections 10 (medication) and 14 (laboratory results) are the medication process's and the lab's searches.
    medication = tuple(Query(BGZ, q.name, q.resource_type, q.params, q.operation, source) for q in _medication(version))
    lab = _lab(version)[0]
    return (*own, *medication, Query(BGZ, lab.name, lab.resource_type, lab.params, lab.operation, source))


def _lab(version: str) -> tuple[Query, ...]:
    includes = "&_include=Observation:related-target&_include=Observation:specimen"
    if version == R4:
        includes = "&_include=Observation:specimen&_include=Observation:derived-from"
    return (
        _q(LAB_RESULTS, "LaboratoryTestResult", f"Observation/$lastn?category={SNOMED}|275711006{includes}", LAB),
        _q(LAB_RESULTS, "TextResult", "DiagnosticReport", LAB),
    )


def _medication(version: str) -> tuple[Query, ...]:
    use = f"{MEDICATION_USE_STU3}|6" if version == STU3 else f"{SNOMED}|422979000"
    return (
        _q(MEDICATION, "MedicationAgreement", f"MedicationRequest?category={SNOMED}|16076005"
           "&_include=MedicationRequest:medication", MP),
        _q(MEDICATION, "AdministrationAgreement", f"MedicationDispense?category={SNOMED}|422037009"
           "&_include=MedicationDispense:medication", MP),
        _q(MEDICATION, "MedicationUse", f"MedicationStatement?category={use}"
           "&_include=MedicationStatement:medication", MP),
    )  # fmt: skip


GP_QUERIES = (
    _q(GP, "Patient", "Patient?_include=Patient:general-practitioner", GP_STU3),
    _q(GP, "Episode", "EpisodeOfCare", GP_STU3),
    _q(GP, "AllergyIntolerance", "AllergyIntolerance?category=medication", GP_STU3),
    _q(GP, "DiagnosticResult", f"Observation?code={NHG_45}|&_include=Observation:related-target"
       "&_include=Observation:specimen", GP_STU3),
    _q(GP, "JournalEntry", f"Composition?type={LOINC}|67781-5", GP_STU3),
    _q(GP, "Encounter", "Encounter", GP_STU3),
)  # fmt: skip


def _questionnaires(version: str) -> tuple[Query, ...]:
    return (_q(QUESTIONNAIRES, "QuestionnaireTask", f"Task?code={TASK_CODE}&status={OPEN_TASK_STATUSES}", VL),)


def _vital_signs(version: str) -> tuple[Query, ...]:
    """Per zib, by LOINC code (zib2017 codes oxygen saturation 59408-5, zib2020 2708-6)."""
    oxygen = "59408-5" if version == STU3 else "2708-6"
    codes = [
        ("BloodPressure", ["85354-9"]),
        ("BodyWeight", ["29463-7"]),
        ("BodyHeight", ["8302-2", "8306-3", "8308-9"]),
        ("HeartRate", ["8867-4"]),
        ("BodyTemperature", ["8310-5"]),
        ("OxygenSaturation", [oxygen]),
        ("BloodGlucose", ["14743-9", "14760-3", "14770-2"]),
    ]
    return tuple(
        _q(VITAL_SIGNS, name, "Observation?code=" + ",".join(f"{LOINC}|{code}" for code in loinc), VITALS)
        for name, loinc in codes
    )


def _build() -> dict[tuple[str, str], tuple[Query, ...]]:
    tables: dict[tuple[str, str], tuple[Query, ...]] = {}
    for version in VERSIONS:
        tables[(BGZ, version)] = _bgz(version)
        tables[(LAB_RESULTS, version)] = _lab(version)
        tables[(MEDICATION, version)] = _medication(version)
        tables[(DOCUMENTS, version)] = (_q(DOCUMENTS, "Document", "DocumentReference", PDFA),)
        tables[(VITAL_SIGNS, version)] = _vital_signs(version)
        tables[(QUESTIONNAIRES, version)] = _questionnaires(version)
    tables[(GP, STU3)] = GP_QUERIES
    tables[(VACCINATIONS, R4)] = (_q(VACCINATIONS, "Vaccination", "Immunization", VACC_R4),)
    return tables


QUERY_SETS: dict[tuple[str, str], tuple[Query, ...]] = _build()


def queries_for(version: str, services: tuple[str, ...] = SERVICES) -> tuple[Query, ...]:
    """The searches for these data services in this FHIR version, in order (a service the version lacks: none)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown FHIR version {version!r}")
    return tuple(query for service in services for query in QUERY_SETS.get((service, version), ()))


def defined_signatures(version: str) -> frozenset[tuple]:
    """Every search a MedMij server of this version answers (what the sandbox accepts)."""
    return frozenset(query.signature() for query in queries_for(version))


def version_of(fhir_version: str) -> str | None:
    """STU3 or R4 from a CapabilityStatement's ``fhirVersion`` ("3.0.2", "4.0.1"), else None."""
    if fhir_version.startswith("3."):
        return STU3
    if fhir_version.startswith("4."):
        return R4
    return None
