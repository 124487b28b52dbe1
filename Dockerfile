# One image for every app of the gateway. The app is the first argument or $APP:
#   docker run meter-gateway kiosk-gateway
#   docker run -e APP=reading-processor meter-gateway
#   docker run meter-gateway ctl db migrate
#   docker run meter-gateway node dist/apps/backoffice-api/main.js   (as deploy/k8s says)
# Build: docker build -t meter-gateway .   (deploy/images/build-base.sh makes the base images
# where no registry is reachable; docs/operations.md, "Containers").
ARG NODE_IMAGE=node:20-bookworm-slim

# Build: every dependency, the TypeScript build, then what only development needs removed:
# the dev dependencies and the optional ones (TypeScript and ts-node are optional peers of
# TypeORM, pg-cloudflare is for Cloudflare Workers); none of them runs in production.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# No install scripts: the project needs none (npm 11 runs none either).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && rm -f dist/.tsbuildinfo \
 && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && find node_modules -depth -type d -empty -delete

# Runtime: production dependencies and the built output, owned by root and run by an unprivileged
# user, so the app cannot change its own code (Kubernetes also mounts the root read-only).
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node, which drains (SHUTDOWN_TIMEOUT_MS), and reaps zombies.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tini >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 gateway \
 && useradd --uid 10001 --gid gateway --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin gateway
LABEL org.opencontainers.image.title="meter-gateway" \
      org.opencontainers.image.description="Meter-reading ingestion gateway: every app, chosen by argument or APP"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY deploy/images/app/entrypoint.sh /usr/local/bin/meter-gateway
COPY deploy/images/app/healthcheck.js /usr/local/lib/meter-gateway/healthcheck.js
USER 10001:10001
EXPOSE 3001 3002 3003 3004 3005 3006 3007
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/usr/local/lib/meter-gateway/healthcheck.js"]
ENTRYPOINT ["tini", "--", "meter-gateway"]
