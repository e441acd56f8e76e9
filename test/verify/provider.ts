/**
 * A stand-in for a provider's API on 127.0.0.1: answers each key as told, records every request.
 * Shaped like Resend's answers (resend.com/docs/api-reference/errors). No test reaches the network.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface Answer {
  status: number;
  body?: string;
  /** Wait this long before answering (to test time limits). */
  delayMs?: number;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export const RESEND_ANSWERS = {
  full: { status: 200, body: '{"data":[]}' },
  sending: { status: 401, body: '{"statusCode":401,"message":"This API key is restricted to only send emails","name":"restricted_api_key"}' },
  invalid: { status: 403, body: '{"statusCode":403,"message":"API key is invalid","name":"invalid_api_key"}' },
  serverError: { status: 500, body: '{"statusCode":500,"name":"internal_server_error"}' },
} satisfies Record<string, Answer>;

/** Starts the stand-in; `answers` maps a key to the answer for `Authorization: Bearer <key>`. */
export async function startProvider(answers: Map<string, Answer>): Promise<{ url: string; requests: SeenRequest[] }> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const answer = answers.get(key) ?? { status: 401, body: '{"name":"missing_api_key"}' };
    const send = (): void => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body ?? '');
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
