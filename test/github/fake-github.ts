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

export interface FakeUser {
  login: string;
  type: "User" | "Bot";
}

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  html_url: string;
  user: FakeUser;
  created_at: string;
}

/** A pull request as GET /repos/{o}/{r}/commits/{sha}/pulls lists it. */
export interface FakePull {
  number: number;
  head: { sha: string };
  merge_commit_sha: string | null;
  merged_at: string | null;
  /** Commits the pull request contains (besides its merge commit). */
  commits: string[];
}

/**
 * How the main token answers "who am I": a user token (GET /user), or an
 * Actions-style installation token (GET /user refused; GraphQL viewer
 * answers, or is refused too).
 */
export type FakeIdentity =
  | { kind: "user"; user: FakeUser }
  | { kind: "installation"; bot: FakeUser; viewer: "answers" | "refused" };

/** GitHub's id of the fake repository: later pages of a list are /repositories/<id>/... URLs. */
export const FAKE_REPOSITORY_ID = 987654;

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
  readonly pulls: FakePull[] = [];
  /** Tokens besides the main one, each with its user (to plant comments as someone else). */
  readonly otherTokens = new Map<string, FakeUser>();
  identity: FakeIdentity = { kind: "user", user: { login: "cfgsync-bot", type: "User" } };
  private failures: FakeFailure[] = [];
  private nextId = 1000;
  private server = createServer((req, res) => void this.handle(req, res));
  url = "";

  constructor(readonly token: string) {}

  /** The user the main token writes as. */
  get ownUser(): FakeUser {
    return this.identity.kind === "user" ? this.identity.user : this.identity.bot;
  }

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
    this.pulls.length = 0;
    this.otherTokens.clear();
    this.identity = { kind: "user", user: { login: "cfgsync-bot", type: "User" } };
    this.failures = [];
  }

  /** A comment someone else wrote (by default a human, "octocat"), to prove the CLI leaves it alone. */
  addComment(issue_number: number, body: string, user: FakeUser = { login: "octocat", type: "User" }): FakeComment {
    const id = this.nextId++;
    const comment = {
      id,
      issue_number,
      body,
      html_url: `https://github.example/o/r/pull/${issue_number}#issuecomment-${id}`,
      user,
      created_at: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
    };
    this.comments.push(comment);
    return comment;
  }

  /** Who a request's Authorization header is, or undefined for a bad token. */
  private caller(auth: string): FakeUser | undefined {
    const token = auth.replace(/^(token|Bearer) /, "");
    if (token === this.token) return this.ownUser;
    return this.otherTokens.get(token);
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
    const caller = this.caller(auth);
    if (!caller) {
      return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    }
    const installation = auth.endsWith(this.token) && this.identity.kind === "installation" ? this.identity : undefined;

    if (url.pathname === "/user" && method === "GET") {
      if (installation) return send(403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/users/users#get-the-authenticated-user" });
      return send(200, { login: caller.login, type: caller.type, id: 1 });
    }
    if (url.pathname === "/graphql" && method === "POST") {
      const query = (body as { query?: string }).query ?? "";
      if (!/viewer\s*\{\s*login\s*\}/.test(query)) return send(200, { errors: [{ message: "unsupported query in the fake" }] });
      if (installation?.viewer === "refused") return send(200, { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] });
      return send(200, { data: { viewer: { login: caller.login } } });
    }

    let m: RegExpExecArray | null;
    // GitHub's own pagination links use /repositories/<id>/...; both forms reach the same repository.
    const path = url.pathname.replace(new RegExp(`^/repositories/${FAKE_REPOSITORY_ID}/`), "/repos/acme/config/");
    if ((m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(path)) && method === "GET") {
      const sha = m[1]!;
      return send(200, this.pulls.filter((p) => p.merge_commit_sha === sha || p.commits.includes(sha)).map(({ commits: _, ...pull }) => pull));
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = Number(m[3]);
      if (method === "GET") return this.listComments(issue, url, send);
      if (method === "POST") {
        const text = (body as { body?: string }).body ?? "";
        if (text.length > 65_536) return send(422, tooLong());
        const comment = this.addComment(issue, text, caller);
        return send(201, comment);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)) && method === "PATCH") {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: "Not Found" });
      // GitHub lets only the author (or a maintainer) edit a comment; the fake keeps to the author.
      if (comment.user.login !== caller.login) return send(403, { message: "You cannot edit someone else's comment in the fake" });
      const text = (body as { body?: string }).body ?? "";
      if (text.length > 65_536) return send(422, tooLong());
      comment.body = text;
      return send(200, comment);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path) && method === "POST") {
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
    if ((m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path)) && method === "PATCH") {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: "Not Found" });
      const input = body as Partial<FakeCheckRun> & { output?: { annotations?: unknown[] } };
      const annotations = input.output?.annotations ?? [];
      if (annotations.length > 50) return send(422, { message: "Only 50 annotations are allowed per request" });
      run.annotations.push(...(annotations as Array<Record<string, unknown>>));
      if (input.status) run.status = input.status;
      if (input.conclusion) run.conclusion = input.conclusion;
      if (input.output?.summary !== undefined) run.output = { title: input.output.title, summary: input.output.summary };
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
      // As GitHub does: the next page is addressed by repository id.
      const next = new URL(`/repositories/${FAKE_REPOSITORY_ID}/issues/${issue}/comments`, this.url);
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
