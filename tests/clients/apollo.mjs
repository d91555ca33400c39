// Apollo Client 3 or 4, set up as a front end sets it up: automatic persisted queries over
// GET (createPersistedQueryLink with useGETForHashedQueries) in front of an HttpLink.
//
//   node apollo.mjs <3|4> <GraphQL URL>
//
// One client for the whole run, as in a page that stays open: each line on stdin is a
// query, {"query": "...", "variables": {...}}; each answer is one line on stdout,
// "RESULT " + JSON: what Apollo gave back (data, GraphQL errors with their codes, or a
// network error) and every HTTP exchange it made for it. Apollo's own warnings go to stderr.
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
import readline from "node:readline";

const [version, url] = process.argv.slice(2);
if (!["3", "4"].includes(version) || !url) {
  console.error("usage: node apollo.mjs <3|4> <GraphQL URL>");
  process.exit(2);
}

async function sha256(text) {
  const digest = await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

let exchanges = [];

function described(target, init) {
  const sent = new URL(target);
  const headers = new Headers(init.headers ?? {});
  let body = {};
  if (typeof init.body === "string") {
    try {
      body = JSON.parse(init.body);
    } catch {
      body = {};
    }
  }
  return {
    method: (init.method ?? "GET").toUpperCase(),
    sentQuery: sent.searchParams.has("query") || typeof body.query === "string",
    sentHash: (sent.searchParams.get("extensions") ?? JSON.stringify(body.extensions ?? {})).includes(
      "sha256Hash",
    ),
    requestContentType: headers.get("content-type"),
  };
}

// Apollo's HttpLink calls this; the answer is handed back untouched.
async function recordingFetch(target, init = {}) {
  const exchange = described(String(target), init);
  exchanges.push(exchange);
  const response = await fetch(target, init);
  Object.assign(exchange, {
    status: response.status,
    contentType: response.headers.get("content-type"),
    xCache: response.headers.get("x-cache"),
  });
  return response;
}

function graphQLError(error) {
  return { message: error.message, code: error.extensions?.code ?? null };
}

// What differs between the versions: where their modules are, and how a failure looks.
async function apollo3() {
  // Apollo 3 has no "exports" map; its CommonJS builds are what Node loads.
  const require = createRequire(import.meta.url);
  return {
    core: require("apollo3/core"),
    persistedQueries: require("apollo3/link/persisted-queries"),
    failure(error) {
      const network = error.networkError;
      return {
        graphQLErrors: (error.graphQLErrors ?? []).map(graphQLError),
        networkError: network
          ? {
              name: network.name,
              message: network.message,
              statusCode: network.statusCode ?? null,
              body: network.bodyText ?? (network.result ? JSON.stringify(network.result) : null),
            }
          : null,
      };
    },
  };
}

async function apollo4() {
  const core = await import("apollo4");
  const { CombinedGraphQLErrors, ServerError } = core;
  return {
    core,
    persistedQueries: await import("apollo4/link/persisted-queries"),
    failure(error) {
      if (CombinedGraphQLErrors.is(error)) {
        return { graphQLErrors: error.errors.map(graphQLError), networkError: null };
      }
      return {
        graphQLErrors: [],
        networkError: {
          name: error.name,
          message: error.message,
          statusCode: ServerError.is(error) ? error.statusCode : null,
          body: ServerError.is(error) ? error.bodyText : null,
        },
      };
    },
  };
}

const apollo = version === "3" ? await apollo3() : await apollo4();
const { ApolloClient, InMemoryCache, HttpLink, gql } = apollo.core;
const { createPersistedQueryLink } = apollo.persistedQueries;
const client = new ApolloClient({
  link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch }),
  ),
  cache: new InMemoryCache(),
});

async function ask({ query, variables }) {
  exchanges = [];
  try {
    // no-cache: every question goes to the server, as a fresh page view would.
    const result = await client.query({
      query: gql(query),
      variables,
      fetchPolicy: "no-cache",
    });
    return { data: result.data ?? null, graphQLErrors: [], networkError: null };
  } catch (error) {
    return { data: null, ...apollo.failure(error) };
  }
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const answer = await ask(JSON.parse(line));
  process.stdout.write(`RESULT ${JSON.stringify({ ...answer, exchanges })}\n`);
}
