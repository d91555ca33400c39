// graphql-http's audits of the GraphQL-over-HTTP specification against a live server.
//
//   node audit.mjs <GraphQL URL>
//
// With API_TOKEN in the environment every request carries it as a bearer token: the
// audits probe with introspection (__type), which production allows to token holders.
//
// Prints one JSON array: every audit's id, name (starting with MUST, SHOULD or MAY),
// status (ok, notice, warn or error) and, when not ok, the reason.
import { serverAudits } from "graphql-http";

const [url] = process.argv.slice(2);
if (!url) {
  console.error("usage: node audit.mjs <GraphQL URL>");
  process.exit(2);
}

const token = process.env.API_TOKEN;

function fetchWithToken(target, init = {}) {
  const headers = new Headers(init.headers ?? {});
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(target, { ...init, headers });
}

// What the server answered, for the reason of a failed audit: its status and the start of
// its body (unless the audit already read it).
async function answered(response) {
  if (!response) return "";
  let body = "";
  try {
    body = (await response.text()).slice(0, 300);
  } catch {
    body = "(body already read)";
  }
  return ` [HTTP ${response.status} ${response.headers.get("content-type") ?? ""}: ${body}]`;
}

const results = [];
// One after another: the server under test is small, and the order is the package's.
for (const audit of serverAudits({ url, fetchFn: fetchWithToken })) {
  const result = await audit.fn();
  results.push({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.status === "ok" ? null : `${result.reason}${await answered(result.response)}`,
  });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
