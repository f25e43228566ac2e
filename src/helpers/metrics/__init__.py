"""Figures: completion, pace gap, status, ranks and district totals, as tables.

Pure functions of a data set and a period; no words and no drawing. May import
``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
