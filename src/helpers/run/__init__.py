"""Running the notebooks: papermill's in-process engine, forked workers, the batch, the console.

The only layer that executes notebooks and starts processes. May import every layer below
it (``output``, ``sections``, ``document``, ``metrics``, ``data``, ``base``) and ``helpers.errors``.
"""
