# syntax=docker/dockerfile:1
#
# Node.js: the current LTS line (24), one exact version for every stage (re2 is a native addon,
# built for this Node ABI and this Debian release, so build and runtime must match). The code
# itself keeps running on Node >= 20.18 (package.json "engines"). To bump: take the newest
# 24.x.y listed at https://hub.docker.com/_/node/tags?name=24. that has both a -trixie and a
# -trixie-slim tag, set NODE_VERSION below, then run the image tests:
#   DOCKER_IMAGE_TEST=1 npx vitest run --config test/vitest.config.ts test/docker
ARG NODE_VERSION=24.22.0
ARG DEBIAN_RELEASE=trixie

# Build stage: the full Debian image, because re2 (the linear-time regex engine behind scoping
# filters) may have to be compiled (python3, make, g++) when no prebuilt binary fits.
FROM node:${NODE_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci && npm run build

# Runtime dependencies: the bundle leaves only re2, pino and pino-pretty external; keep those
# and their dependency trees (versions from package-lock.json), drop everything else and re2's
# build leftovers. See config/docker/runtime-deps.mjs.
FROM build AS runtime-deps
COPY config/docker/runtime-deps.mjs /tmp/runtime-deps.mjs
RUN node /tmp/runtime-deps.mjs

# Runtime stage: the slim image, the bundle, its external modules, the shipped config files, a
# non-root user, nothing written outside the state volume (a read-only root filesystem works).
FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim
# Keep VERSION equal to package.json's version (test/docker checks it); SOURCE is your repository.
ARG VERSION=0.1.0
ARG SOURCE=https://github.com/example/entra-klaxoon-sync
LABEL org.opencontainers.image.title="entra-klaxoon-sync" \
      org.opencontainers.image.description="Provisioning agent: Microsoft Entra ID (Graph) to Klaxoon (SCIM 2.0)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    ENTRA_KLAXOON_SYNC_CONFIG=/etc/entra-klaxoon-sync/config.yaml \
    ENTRA_KLAXOON_SYNC_HEALTH_PORT=8080
WORKDIR /app
COPY --from=runtime-deps /app/package.json ./
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/agent.mjs ./dist/agent.mjs
COPY --from=build /app/dist/chunks ./dist/chunks
COPY config/docker/healthcheck.mjs ./dist/healthcheck.mjs
COPY config/config.container.yaml config/config.example.yaml config/klaxoon.mappings.yaml ./config/
# The state volume belongs to the image's user, so a fresh named volume is writable.
RUN mkdir -p /var/lib/entra-klaxoon-sync && chown node:node /var/lib/entra-klaxoon-sync
USER node
VOLUME ["/var/lib/entra-klaxoon-sync"]
EXPOSE 8080
# GET /healthz on ENTRA_KLAXOON_SYNC_HEALTH_PORT: set it to daemon.health.port when you change that.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["node", "/app/dist/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/dist/agent.mjs"]
CMD ["run", "--config", "/etc/entra-klaxoon-sync/config.yaml"]
