# mana-llm: multi-stage build on the current Node LTS; production dependencies only; runs as non-root.
# Build:  docker build -t mana-llm .
# Run:    docker run -p 3025:3025 -e MANA_LLM_PROFILE=macmini -e OLLAMA_URL=http://gpu-server.lan:11434 mana-llm
# Reload aliases without a restart: docker kill --signal=HUP <container> (or use docker-compose.yml).
# test/deploy/container-assembly.test.ts rebuilds this image's file tree from the COPY lines below and
# starts the gateway from it; keep each runtime file on a COPY line of its own.

# Stage 1: core/ and plugins/ compiled to plain JavaScript (dist/), with the full toolchain. The image runs
# the compiled files: no TypeScript loader in the process, which saves memory and CPU on every request.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY plugins ./plugins
RUN npx tsc -p tsconfig.build.json

# Stage 2: production dependencies from the lockfile.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 3: the runtime: node_modules from stage 2, the compiled code from stage 1, and every file the
# service reads at start.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3025
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/core ./core
COPY --from=build /app/dist/plugins ./plugins
# The console's page, script and style are served as written (no compile step), next to its compiled code.
COPY plugins/console/page ./plugins/console/page
# Every profile (MANA_LLM_PROFILE picks one at start) and the alias registry: without aliases.yaml the
# gateway refuses to start, which is how the old image crash-looped.
COPY config ./config
COPY aliases.yaml ./aliases.yaml
# The image's `node` user (uid 1000); the application files stay root-owned and read-only to it.
USER node
EXPOSE 3025
# /health answers 200 while the process serves (its body says ok or degraded); PORT is read at check time.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3025)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself is PID 1: core/main.js handles SIGTERM (docker stop) and SIGHUP (alias reload).
CMD ["node", "core/main.js"]
