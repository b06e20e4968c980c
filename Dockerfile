# Build stage: full Debian image, because re2 (the linear-time regex engine behind scoping
# filters) is a native addon that may need python3, make and g++ to build.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm run build && npm prune --omit=dev

# Runtime stage: production dependencies only (built above for the same Debian release).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY config ./config
USER node
ENTRYPOINT ["node", "/app/dist/src/main.js"]
CMD ["sync", "--config", "/etc/entra-klaxoon-sync/config.yaml"]
