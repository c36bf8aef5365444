# syntax=docker/dockerfile:1
# One image, two commands:
#   API:        docker run IMAGE                      (gunicorn -c gunicorn.conf.py wsgi:app)
#   scheduler:  docker run IMAGE outreach scheduler
#   migrations: docker run IMAGE outreach db upgrade  (run once per release, before the API)
# Configuration comes from the environment (docs/operations.md).

# An exact tag: a rebuild gets the same Python and Debian until this line is changed.
FROM python:3.11.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY setup.cfg pyproject.toml README.md constraints.txt ./
COPY service ./service
# psycopg[binary] ships its own libpq, so no compiler or libpq-dev is needed.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install -c constraints.txt .

FROM python:3.11.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    OUTREACH_INSTANCE_PATH=/var/lib/outreach \
    PROMETHEUS_MULTIPROC_DIR=/tmp/outreach-metrics \
    HOST=0.0.0.0 \
    PORT=8000
RUN groupadd --system --gid 10001 outreach \
 && useradd --system --uid 10001 --gid outreach --home-dir /app --shell /usr/sbin/nologin outreach \
 && mkdir -p /var/lib/outreach /tmp/outreach-metrics \
 && chown outreach:outreach /var/lib/outreach /tmp/outreach-metrics
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root wsgi.py gunicorn.conf.py ./
USER outreach:outreach
EXPOSE 8000
# The API's liveness probe; the scheduler container should override or disable it.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
