"""Hotline complaint triage: classify 12345 complaints into the 21 enforcement case categories."""
