import http from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in for the MiMo platform API on 127.0.0.1, with one switchable reply per endpoint. */

export type Reply = {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Hold the reply back this long, to run past the client's timeout. */
  delayMs?: number;
};

export type ReceivedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders };

export const API_PREFIX = "/api/v1";

export class FixtureServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly replies = new Map<string, Reply>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `${this.origin}${API_PREFIX}`;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Sets the reply for a path below the API prefix, e.g. "balance" or "tokenPlan/usage". */
  reply(path: string, reply: Reply): void {
    this.replies.set(`${API_PREFIX}/${path}`, reply);
  }

  reset(replies: Record<string, Reply>): void {
    this.replies.clear();
    this.requests.length = 0;
    for (const [path, reply] of Object.entries(replies)) this.reply(path, reply);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? "").split("?")[0];
    this.requests.push({ method: req.method ?? "", path, headers: req.headers });
    const reply = this.replies.get(path) ?? { status: 404, body: { code: 404, message: "not found" } };
    if (!reply.delayMs) return send(res, reply);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed) send(res, reply);
    }, reply.delayMs);
    this.timers.add(timer);
    req.on("close", () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }
}

function send(res: http.ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === "string";
  const body = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    "Content-Type": isText ? "text/plain; charset=utf-8" : "application/json",
    ...reply.headers,
  });
  res.end(body);
}
