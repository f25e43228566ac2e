"""Offices' own sheets (主要经济指标完成情况表) into a tidy data set.

Reads .xlsx/.xls/CSV grids, finds the header and the columns' roles, parses the cells and
gives indicators stable ids. May import ``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
