"""How the features plug into each other, in one place: export contributors and import listeners.

Called once by the app factory and by the `pgo` command before any command runs.
"""

from __future__ import annotations

_connected = False


def connect_features() -> None:
    global _connected
    if _connected:
        return
    _connected = True
    from pgo.decisions import fhir as decisions_fhir
    from pgo.records.export import register_export_contributor

    register_export_contributor(decisions_fhir.fhir_resources_for_export)
    from pgo.questionnaires import export as questionnaires_export

    register_export_contributor(questionnaires_export.fhir_resources_for_export)
    # Each feature adds its lines here, e.g.:
    # register_export_contributor(measurements.fhir.fhir_resources_for_export)
    # register_import_listener(measurements.fhir.on_import)
    from pgo.measurements.importing import measurements_for_export, store_imported_vital_signs
    from pgo.records.export import register_export_contributor
    from pgo.records.importing import register_import_listener

    register_export_contributor(measurements_for_export)
    from pgo.summary.ips import ips_for_export

    register_export_contributor(ips_for_export)  # the patient summary as an IPS document Bundle (#21)
    register_import_listener(store_imported_vital_signs)
