import { UserError } from "../domain/diagnostic.js";
import { gitHubClientFromEnv, type GitHubRepoClient } from "./client.js";

/**
 * Who the token is: the author cfgsync's own comments carry. Only comments
 * written by this identity are cfgsync's (sticky plan comment, reviewed-plan
 * metadata): a marker typed by anyone else is text, not a plan.
 */
export interface TokenIdentity {
  login: string;
  /** A GitHub App installation (Actions' GITHUB_TOKEN): its comments are written by "<slug>[bot]". */
  bot: boolean;
}

/** The login GitHub shows on comments written with Actions' own GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

type Env = Record<string, string | undefined>;

/**
 * Asks GitHub who the token belongs to. A personal or OAuth token answers
 * GET /user. An installation token (Actions' GITHUB_TOKEN, a GitHub App's)
 * gets 403 there; the GraphQL `viewer` names the app's bot; and where that is
 * refused too, a token in an Actions job (GITHUB_ACTIONS=true) is taken to be
 * Actions' own, `github-actions[bot]`, the only installation Actions hands out.
 */
export async function tokenIdentity(client: Pick<GitHubRepoClient, "octokit">, env: Env): Promise<TokenIdentity> {
  try {
    const { data } = await client.octokit.rest.users.getAuthenticated();
    return { login: data.login, bot: data.type === "Bot" };
  } catch (err) {
    if (!isCode(err, "github.forbidden")) throw err;
  }
  try {
    const answer = await client.octokit.graphql<{ viewer?: { login?: string } }>("query { viewer { login } }");
    const login = answer.viewer?.login;
    if (login) return { login, bot: true };
  } catch (err) {
    if (!isCode(err, "github.forbidden") && !isGraphqlRefusal(err)) throw err;
  }
  if (env.GITHUB_ACTIONS === "true") return { login: ACTIONS_BOT_LOGIN, bot: true };
  throw new UserError("github.identity-unknown", "GitHub did not say who the token belongs to (GET /user and GraphQL viewer were refused).", {
    suggestions: ["cfgsync only trusts its own comments: use a personal access token, or Actions' GITHUB_TOKEN inside a workflow."],
  });
}

/** The author of a comment as the REST API returns it. */
export interface CommentAuthor {
  login?: string;
  type?: string;
}

/**
 * Whether `author` is the token's own identity. A bot's login is "<slug>[bot]"
 * in REST and may be "<slug>" in GraphQL; the type keeps a human called
 * "<slug>" from passing for the bot.
 */
export function isOwnComment(author: CommentAuthor | null | undefined, identity: TokenIdentity): boolean {
  if (!author?.login) return false;
  const isBot = author.type === "Bot";
  if (isBot !== identity.bot) return false;
  const bare = (login: string) => login.toLowerCase().replace(/\[bot\]$/, "");
  return identity.bot ? bare(author.login) === bare(identity.login) : author.login.toLowerCase() === identity.login.toLowerCase();
}

function isCode(err: unknown, code: string): boolean {
  return err instanceof UserError && err.code === code;
}

/** GraphQL refuses with 200 and an `errors` list ("Resource not accessible by integration"). */
function isGraphqlRefusal(err: unknown): boolean {
  return err instanceof Error && err.name === "GraphqlResponseError";
}

/** A client for GITHUB_REPOSITORY and the identity its token writes as: what every comment-reading command needs. */
export async function gitHubSession(env: Env, opts: { userAgent?: string } = {}): Promise<{ client: GitHubRepoClient; identity: TokenIdentity }> {
  const client = gitHubClientFromEnv(env, opts);
  return { client, identity: await tokenIdentity(client, env) };
}
