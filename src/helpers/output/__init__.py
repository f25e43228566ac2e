"""Files from executed notebooks: page fonts, HTML and PDF, the period's records and index.

May import ``helpers.sections`` (titles), ``helpers.document``, ``helpers.data``,
``helpers.base`` and ``helpers.errors``; never ``helpers.run``.
"""
