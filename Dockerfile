# syntax=docker/dockerfile:1
# Document Workflow Chain: one process of a site. `docker compose up --build` runs two of them
# behind a proxy (compose.yaml); deploy/k8s/ does the same on Kubernetes.
# scripts/checkDeploy.ts replays this file's steps in a temporary directory (no Docker needed):
# keep RUN to the commands it knows (npm ci, npm run <script>, npm prune, mkdir, chown).

ARG NODE_VERSION=20

# Build: every dependency (vite and solc are dev dependencies), then the contracts and the client,
# then drop the dev dependencies so the runtime stage takes node_modules as it is.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# the lockfile alone first: a change of source does not reinstall
COPY package.json package-lock.json ./
# classic-level ships prebuilt binaries for linux x64 and arm64 (glibc), so nothing is compiled; the
# native helpers under ganache are optional dependencies, which npm goes on without if they fail
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# Runtime: production dependencies (tsx among them: the server runs from its TypeScript sources),
# the sources, the built client, the assets. The app files stay root's; the server writes only DATA_DIR.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=2567 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
# package.json: its version and "type": "module"; tsconfig*.json: tsx compiles the schema classes'
# decorators with these options, and without them the rooms break
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY server ./server
COPY shared ./shared
COPY assets ./assets
COPY --from=build /app/server/chain/contracts ./server/chain/contracts
COPY --from=build /app/dist/client ./dist/client
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 2567: web client, REST API and realtime; 1883 and 8083: the embedded MQTT broker (TCP, WebSocket)
EXPOSE 2567 1883 8083
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 2567) + '/api/v3/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM from `docker stop` or Kubernetes reaches the server, which closes cleanly
CMD ["node", "--import", "tsx", "server/main.ts"]
