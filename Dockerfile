# syntax=docker/dockerfile:1
# The three Clockify add-ons on one engine. Build: docker build -t clockify-addon-platform .
# Run one edition per container: docker run … clockify-addon-platform node dist/src/main.js start --edition api-studio
# (see deploy/compose.yaml and docs/production.md).

# ---- build: compile the server (tsc) and the sidebar (vite), then keep production dependencies only
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; the toolchain is the fallback when none matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox/src ./sandbox/src
COPY web ./web
COPY scripts/web-api-types.ts ./scripts/web-api-types.ts
COPY resources ./resources
RUN npm run build && npm prune --omit=dev && npm cache clean --force

# ---- runtime: compiled code, bundled resources and production modules; no compiler, no sources
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/data
# A smaller young generation keeps an idle edition under 120 MB RSS (bench/RESULTS.md).
ENV NODE_OPTIONS=--max-semi-space-size=4
# Ports the health check probes; set it to the one edition's port when a container runs one edition.
ENV HEALTHCHECK_PORTS=8000,8001,8002
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/resources ./resources
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# The embedded SQLite databases live in DATA_DIR when no PostgreSQL URL is set; owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000 8001 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# exec form: the node process is PID 1 and receives SIGTERM directly (graceful shutdown, SHUTDOWN_TIMEOUT_MS).
CMD ["node", "dist/src/main.js", "start"]
