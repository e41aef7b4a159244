import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatIssues } from '../../lib/errors.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { ServingPlatform } from '../../lib/rollout/platform.js';
import { DeployRequestSchema, TrafficTargetSchema } from '../../lib/rollout/platform.js';
import type { Route } from '../http-route.js';
import { readBody, sendJson } from '../http-route.js';
import { TrafficError } from './serving-errors.js';

/**
 * The platform API of local/API.md on the ingress, for evaluate's
 * `local-platform.ts` and the CLI: the ServiceState, deploy, traffic. Bodies
 * are JSON checked with the platform's zod schemas; bad input gets 400
 * `{ "errors": [...] }`, anything unexpected a plain 500 and a log line.
 */

const SERVICE_PATH = '/platform/services/recommend';
const TrafficBodySchema = z.object({ traffic: z.array(TrafficTargetSchema) });
const BODY_LIMIT = 64 * 1024;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: string[] };

async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<Parsed<z.output<S>>> {
  let json: unknown;
  try {
    const text = (await readBody(req, BODY_LIMIT)).toString('utf8');
    json = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, errors: [`body over ${BODY_LIMIT} bytes`] };
    return { ok: false, errors: ['body is not valid JSON'] };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => formatIssues([issue])) };
  return { ok: true, value: parsed.data };
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, { errors: [`method not allowed (allowed: ${allow})`] });
}

export function platformRoutes(platform: ServingPlatform, logger: Logger): Route {
  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path === SERVICE_PATH) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      return sendJson(res, 200, await platform.describe());
    }
    if (path === `${SERVICE_PATH}/revisions`) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      const body = await readJson(req, DeployRequestSchema);
      if (!body.ok) return sendJson(res, 400, { errors: body.errors });
      return sendJson(res, 202, await platform.deploy(body.value));
    }
    if (path === `${SERVICE_PATH}/traffic`) {
      if (req.method !== 'PUT') return methodNotAllowed(res, 'PUT');
      const body = await readJson(req, TrafficBodySchema);
      if (!body.ok) return sendJson(res, 400, { errors: body.errors });
      await platform.setTraffic(body.value.traffic);
      return sendJson(res, 200, await platform.describe());
    }
    sendJson(res, 404, { errors: [`no platform route ${path}`] });
  };

  return async (req, res, url) => {
    if (url.pathname !== '/platform' && !url.pathname.startsWith('/platform/')) return false;
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    try {
      await handle(req, res, path);
    } catch (error) {
      if (error instanceof TrafficError) {
        sendJson(res, 400, { errors: error.reasons });
      } else {
        logger.error('platform request failed', { error, method: req.method, path });
        if (!res.headersSent) sendJson(res, 500, { errors: ['internal error'] });
      }
    }
    return true;
  };
}
