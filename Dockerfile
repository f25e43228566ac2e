# kpibook in a container: the pinned package from PyPI (pyproject.toml), no system package.
# The Chinese fonts come from pip (Noto Sans/Serif SC), the PDF typesetter too (the typst wheel).
#   docker build -t registry.example/kpibook:0.1.0 .
#   docker run --rm -v "$PWD/reports:/reports" registry.example/kpibook:0.1.0 run --out /reports
# BASE: any image with Python 3.11 and pip, e.g. a Debian bookworm with python3-pip made
# locally where Docker Hub cannot be reached (buildah --build-arg BASE=localhost/…)
ARG BASE=python:3.11-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    KPIBOOK_CACHE=/opt/kpibook-cache \
    MPLCONFIGDIR=/opt/kpibook-cache/matplotlib

# Where pip finds packages, for a build behind a mirror or an intercepting proxy: pip's own
# variables, unset unless given (--build-arg PIP_INDEX_URL=… PIP_FIND_LINKS=… PIP_CERT=…, with
# the folders they name mounted into the build: buildah bud -v /opt/wheels:/opt/wheels:ro …)
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_FIND_LINKS
ARG PIP_CERT

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY notebooks ./notebooks
COPY data/sample ./data/sample
COPY data/district-demo ./data/district-demo
# a wheel install (not editable): the notebooks and shipped data sets go inside the package
RUN pip install . && rm -rf /src

# one user, no root; the sample report made once at build time checks the image and leaves
# the cut page fonts in the cache, so the first PDF of a real run is not half a minute slower
RUN useradd --create-home --uid 10001 kpibook \
    && mkdir -p /reports "$KPIBOOK_CACHE" && chown kpibook /reports "$KPIBOOK_CACHE"
USER kpibook
WORKDIR /home/kpibook
RUN kpibook run --out /tmp/check --today 2013-07-05 && rm -rf /tmp/check

VOLUME ["/reports"]
ENTRYPOINT ["kpibook"]
CMD ["run", "--out", "/reports"]
