"""What the notebooks call: the report, district and explore sections, and the reports'
titles (``titles``, which a batch's planning imports without the charts).

Each section puts the document pieces together for one org (or the district) and one
period and returns a block a notebook displays. May import ``helpers.document``,
``helpers.metrics``, ``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
