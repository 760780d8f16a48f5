import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake saw: enough to assert on methods, paths, auth and bodies. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  html_url: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string };
  annotations: Array<Record<string, unknown>>;
  html_url: string;
}

/** A canned failure: the next matching request(s) get this status instead of a real answer. */
export interface FakeFailure {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Fail only requests whose "METHOD path" matches; default: every request. */
  match?: RegExp;
  /** How many requests to fail; default: all of them. */
  times?: number;
}

/**
 * A small GitHub REST API on 127.0.0.1: issue comments (paginated) and check
 * runs, with the limits GitHub enforces that cfgsync must respect (token,
 * 65,536-character bodies, 50 annotations per request).
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  private failures: FakeFailure[] = [];
  private nextId = 1000;
  private server = createServer((req, res) => void this.handle(req, res));
  url = "";

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  failWith(failure: FakeFailure): void {
    this.failures.push(failure);
  }

  reset(): void {
    this.requests.length = 0;
    this.comments.length = 0;
    this.checkRuns.length = 0;
    this.failures = [];
  }

  /** A comment someone else wrote, to prove the CLI leaves it alone. */
  addComment(issue_number: number, body: string): FakeComment {
    const id = this.nextId++;
    const comment = { id, issue_number, body, html_url: `https://github.example/o/r/pull/${issue_number}#issuecomment-${id}` };
    this.comments.push(comment);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const method = req.method ?? "GET";
    this.requests.push({ method, path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body });

    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(data));
    };

    const failure = this.failures.find((f) => !f.match || f.match.test(`${method} ${url.pathname}`));
    if (failure) {
      if (failure.times !== undefined && --failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return send(failure.status, failure.body ?? { message: `fake failure ${failure.status}` }, failure.headers);
    }
    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const issue = Number(m[3]);
      if (method === "GET") return this.listComments(issue, url, send);
      if (method === "POST") {
        const text = (body as { body?: string }).body ?? "";
        if (text.length > 65_536) return send(422, tooLong());
        const comment = this.addComment(issue, text);
        return send(201, comment);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)) && method === "PATCH") {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: "Not Found" });
      const text = (body as { body?: string }).body ?? "";
      if (text.length > 65_536) return send(422, tooLong());
      comment.body = text;
      return send(200, comment);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(url.pathname) && method === "POST") {
      const input = body as Partial<FakeCheckRun> & { output?: { annotations?: unknown[] } };
      const annotations = input.output?.annotations ?? [];
      if (annotations.length > 50) return send(422, { message: "Only 50 annotations are allowed per request" });
      const id = this.nextId++;
      const run: FakeCheckRun = {
        id,
        name: input.name ?? "",
        head_sha: input.head_sha ?? "",
        status: input.status ?? "queued",
        conclusion: input.conclusion ?? null,
        output: { title: input.output?.title, summary: input.output?.summary },
        annotations: [...(annotations as Array<Record<string, unknown>>)],
        html_url: `https://github.example/o/r/runs/${id}`,
      };
      this.checkRuns.push(run);
      return send(201, run);
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(url.pathname)) && method === "PATCH") {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: "Not Found" });
      const input = body as Partial<FakeCheckRun> & { output?: { annotations?: unknown[] } };
      const annotations = input.output?.annotations ?? [];
      if (annotations.length > 50) return send(422, { message: "Only 50 annotations are allowed per request" });
      run.annotations.push(...(annotations as Array<Record<string, unknown>>));
      if (input.status) run.status = input.status;
      if (input.conclusion) run.conclusion = input.conclusion;
      return send(200, run);
    }
    send(404, { message: "Not Found" });
  }

  private listComments(issue: number, url: URL, send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
    const page = Number(url.searchParams.get("page") ?? 1);
    const all = this.comments.filter((c) => c.issue_number === issue);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      next.searchParams.set("per_page", String(perPage));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    send(200, slice, headers);
  }
}

const tooLong = () => ({
  message: "Validation Failed",
  errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }],
});
