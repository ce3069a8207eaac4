"""Narrative reports (báo cáo CCHC): read the figures units write in their quarterly and
yearly reports, check them against the warehouse, and draft the data sections of the next
report. The vocabulary of measures a report can state is declared once, in
``narratives/measures.yaml``; a claim's shape is :class:`narratives.claims.Claim`."""
