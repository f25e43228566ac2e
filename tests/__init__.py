"""kpibook's tests (a package, so shared test data is imported as ``tests.tables``)."""
