# Build stage: the full Debian image, because re2 (the linear-time regex engine behind scoping
# filters) is a native addon that may need python3, make and g++ to build.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci && npm run build && npm prune --omit=dev

# Runtime stage: production dependencies only (built above for the same Debian release), a
# non-root user, nothing written outside the state volume, so a read-only root filesystem works.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/agent.mjs ./dist/agent.mjs
COPY config/config.example.yaml config/klaxoon.mappings.yaml ./config/
USER node
# Keep the state file (config: state.path) on this volume.
VOLUME ["/var/lib/entra-klaxoon-sync"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/agent.mjs"]
CMD ["run", "--config", "/etc/entra-klaxoon-sync/config.yaml"]
