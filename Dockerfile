# Builds the affecto server and its web app from the workspace, then runs them on a
# slim Debian image. Configured only through environment variables.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN rustup target add wasm32-unknown-unknown \
    && cargo xtask frontend \
    && cargo build --release -p affecto-server --bin affecto

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/affecto /usr/local/bin/affecto
COPY --from=build /src/frontend/dist /srv/affecto/web
ENV AFFECTO_ENV=production \
    AFFECTO_BIND=0.0.0.0:8080 \
    AFFECTO_WEB_DIR=/srv/affecto/web
USER 65534:65534
EXPOSE 8080
CMD ["affecto", "serve"]
