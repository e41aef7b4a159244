# One image for the four movierec functions, on Node 24 LTS (slim).
#   docker build -t ghcr.io/movierec/movierec:0.1.0 --build-arg GIT_COMMIT=$(git rev-parse HEAD) .
# The default (last) stage runs any function: the Knative Service's args name it
# (--target=recommend --source=dist/functions/recommend/index.js). `--target <function>`
# instead builds an image whose default command is that one function:
#   docker build --target recommend -t ghcr.io/movierec/recommend:0.1.0 .
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so they are cached while only sources change; no scripts yet (`prepare` builds).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json params.yaml ./
COPY lib ./lib
COPY functions ./functions
COPY local ./local
COPY cli ./cli
COPY sim ./sim
COPY bench ./bench
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# The commit the image was built from: train writes it into every bundle manifest (a container has no .git).
ARG GIT_COMMIT=""
ENV GIT_COMMIT=${GIT_COMMIT}
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/params.yaml ./params.yaml
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The base image's unprivileged user (uid 1000); the files stay root-owned and read-only to it.
USER node
EXPOSE 8080
ENTRYPOINT ["node", "node_modules/@google-cloud/functions-framework/build/src/main.js"]

FROM runtime AS ingest
CMD ["--target=ingest", "--source=dist/functions/ingest/index.js"]

FROM runtime AS train
CMD ["--target=train", "--source=dist/functions/train/index.js"]

FROM runtime AS recommend
CMD ["--target=recommend", "--source=dist/functions/recommend/index.js"]

FROM runtime AS evaluate
CMD ["--target=evaluate", "--source=dist/functions/evaluate/index.js"]

# The default image: every function, chosen by the Service's args.
FROM runtime AS movierec
