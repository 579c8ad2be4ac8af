"""Code-system URIs as Dutch records send them (issue #15): G-Standaard OIDs and NHG table URIs."""

from pgo.records import codes


def test_g_standaard_oids_follow_the_terminology_guide():
    assert codes.GPK == "urn:oid:2.16.840.1.113883.2.4.4.1"
    assert codes.HPK == "urn:oid:2.16.840.1.113883.2.4.4.7"
    assert codes.ZI_NUMBER == "urn:oid:2.16.840.1.113883.2.4.4.8"
    assert codes.PRK == "urn:oid:2.16.840.1.113883.2.4.4.10"
    # the dose-form table (tabel 6) names no product
    assert "urn:oid:2.16.840.1.113883.2.4.4.11" not in codes.G_STANDARD


def test_nhg_table_45_uri_and_oid_are_one_system():
    uri = "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen"
    assert codes.normal_system(uri) == codes.NHG_TABLE_45
    assert codes.normal_system("urn:oid:2.16.840.1.113883.2.4.4.30.45") == codes.NHG_TABLE_45
    found = codes.codings({"coding": [{"system": uri, "code": "3208", "display": "glucose nuchter"}]})
    assert found == [{"system": codes.NHG_TABLE_45, "code": "3208", "display": "glucose nuchter"}]


def test_other_nhg_table_uris():
    base = "https://referentiemodel.nhg.org/tabellen/"
    assert codes.normal_system(base + "nhg-tabel-45-diagnostische-bepalingen#resultaten") == (
        "urn:oid:2.16.840.1.113883.2.4.4.30.1045"
    )
    assert codes.normal_system(base + "nhg-tabel-25-gebruiksvoorschrift#aanvullend-numeriek") == (
        "urn:oid:2.16.840.1.113883.2.4.4.5"
    )
    assert codes.normal_system(base + "nhg-tabel-56-profylaxe") == "urn:oid:2.16.840.1.113883.2.4.4.30.56"
    assert codes.normal_system(base + "nhg-tabel-99-onbekend") == base + "nhg-tabel-99-onbekend"
