"""XR: across reports — a body's consecutive years (carry-over, documents in force, cumulative
figures) and text copied from its previous report or from another body's.

Shared analysis: ``balances.py`` — one year's cell against the year before's, located in both
reports, for XR001–XR003.
"""
