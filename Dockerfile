# syntax=docker/dockerfile:1
# The edx-event-router service: docker build -t edx-event-router .
# Run: docker run -e EVENT_ROUTER_INGEST_TOKEN=… -e LMS_ROOT_URL=https://lms.example.com -p 8080:8080 edx-event-router

# Compilers for better-sqlite3, which builds from source when no prebuilt binary can be fetched.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# The compiled service: every dependency, then tsc.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.browser.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json && npx tsc -p tsconfig.browser.json

# The runtime dependencies only.
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY bin ./bin
RUN ln -s /app/bin/edx-event-router.js /usr/local/bin/edx-event-router \
 && mkdir -p /var/lib/edx-event-router \
 && chown node:node /var/lib/edx-event-router
ENV NODE_ENV=production \
    EVENT_ROUTER_DATA_DIR=/var/lib/edx-event-router \
    EVENT_ROUTER_HOST=0.0.0.0 \
    EVENT_ROUTER_PORT=8080
# The node image's unprivileged user (uid 1000, as Open edX's containers).
USER node
VOLUME /var/lib/edx-event-router
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.EVENT_ROUTER_PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/edx-event-router.js", "serve"]
