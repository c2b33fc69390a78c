// The page's reads: the JSON API that `jeton web` answers with the Python library, so the page
// shows the figures the command and the library show. Writes never go through it.

/** An answer of the API other than 200: `name` is the error's name (a contract error's own
 * name, or NotFound, BadRequest, NodeUnreachable), `explanation` what to do about it. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `the server answered ${status}`);
    this.status = status;
    this.name = error?.name || "ApiError";
    this.explanation = error?.explanation || error?.message || "";
    this.error = error;
  }
}

/** GET /api/<path> with `query` (values that are null/undefined are left out). */
export async function get(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  let response;
  try {
    response = await fetch(`/api/${path}${search ? `?${search}` : ""}`, {
      headers: { Accept: "application/json" },
      cache: "no-store",
    });
  } catch (cause) {
    throw new ApiError(0, { name: "ServerUnreachable", message: "the Jeton server does not answer" });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body?.error);
  return body;
}
