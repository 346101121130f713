# The cruddur image: `cruddur` and `cruddur-lsp` on Debian slim, with git (for
# `cruddur check --changed-since`), run as a user without root.
#
#   docker build -t cruddur .
#   docker run --rm -v "$PWD:/work" cruddur check .
#   docker run --rm -v "$PWD:/work" cruddur build . --out build/ --form cloudformation
#
# tests/integrations/validate.py checks this recipe where no Docker daemon runs: the stages, the
# user, and that the build stage's command writes the files the final stage copies.

# The toolchain the workspace declares as its oldest (Cargo.toml, rust-version).
ARG RUST_VERSION=1.85

FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p cruddur -p cruddur-lsp \
 && strip target/release/cruddur target/release/cruddur-lsp

FROM debian:bookworm-slim
# git reads the history for --changed-since; a mounted checkout belongs to another user, which
# git refuses unless told the folder is safe.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*' \
 && useradd --system --uid 10001 --create-home --home-dir /home/cruddur cruddur
COPY --from=build /src/target/release/cruddur /src/target/release/cruddur-lsp /usr/local/bin/
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["cruddur"]
CMD ["--help"]
