# upperback in public mode: the package and nothing else (no tests, no dev tools).
# docs/hosting.md says how to run it (compose.yaml: with PostgreSQL 16, behind a TLS proxy).
#
#   docker build -t upperback .
#   docker run --rm -p 127.0.0.1:8000:8000 -v upperback-data:/data \
#     -e UPPERBACK_ALLOWED_HOSTS=guide.example.org -e UPPERBACK_SECRET_KEY=... upperback

# -- build: the package and its dependencies in a virtual environment ----------------------
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
# Only what `pip install .` reads: the project file, the files it names, and the package.
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# The postgres extra is the PostgreSQL driver (psycopg 3), nothing more.
RUN python -m venv /opt/upperback \
 && /opt/upperback/bin/pip install ".[postgres]"

# -- run: the virtual environment, a user of its own, the data folder as a volume -----------
FROM python:3.11-slim-bookworm

RUN groupadd --system --gid 10001 upperback \
 && useradd --system --uid 10001 --gid upperback --home-dir /home/upperback --create-home \
      --shell /usr/sbin/nologin upperback \
 && mkdir /data \
 && chown upperback:upperback /data \
 && chmod 700 /data
COPY --from=build /opt/upperback /opt/upperback

# /data holds the SQLite diary (when UPPERBACK_DATABASE_URL is not set) and the signing key
# file (when UPPERBACK_SECRET_KEY is not set). The knowledge base's cache is in the home folder.
ENV PATH=/opt/upperback/bin:$PATH \
    XDG_DATA_HOME=/data \
    XDG_CACHE_HOME=/home/upperback/.cache \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

USER upperback:upperback
WORKDIR /home/upperback
# Check the bundled knowledge base once and keep the checked copy, so the first visitor
# does not wait for it (and a broken image fails here, not in front of visitors).
RUN python -c "import upperback; upperback.load_knowledge()"

VOLUME ["/data"]
EXPOSE 8000
# Every other setting comes from the environment: UPPERBACK_DATABASE_URL,
# UPPERBACK_SECRET_KEY, UPPERBACK_ALLOWED_HOSTS, UPPERBACK_TRUSTED_PROXIES,
# UPPERBACK_WORKERS, UPPERBACK_DIARY_DAYS. The database is migrated when the server starts.
CMD ["upperback", "serve", "--public", "--host", "0.0.0.0", "--port", "8000"]
