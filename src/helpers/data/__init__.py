"""Data in: the schema, periods, numbers and units, loading and validating a data set.

A data set (a folder of CSVs or one workbook) becomes a :class:`~helpers.data.dataset.Dataset`
of canonical tables, or a :class:`~helpers.errors.DataErrors` listing every problem. The schema
is the one source for the loader, the validator and the template workbook. May import
``helpers.base`` and ``helpers.errors``.
"""
