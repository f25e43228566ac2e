"""What the notebooks call: the report, district and explore sections.

Each section puts the document pieces together for one org (or the district) and one
period and returns a block a notebook displays. May import ``helpers.document``,
``helpers.metrics``, ``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
