"""Questionnaires (MedMij Vragenlijsten, SDC; #20 part 3): any FHIR Questionnaire, STU3 or R4, for the patient."""
