"""The BgZ sections that are not clinical lists (#20 part 2): alerts, treatment and advance directives, care plans and
goals, appointments, care team and contacts, medical devices, nutrition advice, functional and mental status and
insurance. Their resources are stored as received (``RecordResource``) and read from there: no table of their own.
"""
