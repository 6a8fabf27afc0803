// Everything the explorer says to Quarry goes through here, over the same public API curl users see
// (src/site/markdown/http-api.md): the bearer token, problems, exact numbers, Server-Sent Events read with fetch().

const TOKEN_KEY = 'quarry.token';

/** The bearer token the person gave in this tab, or null. Kept in sessionStorage: never in a URL. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** A request that failed, carrying its RFC 9457 problem: {status, title, detail, parameter?, allowed?}. */
export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

/**
 * JSON with every number kept as the text it was sent as: a numeric such as 10.50 or
 * 12345678901234567.89 must not pass through a double on its way to the screen. The reviver's
 * third argument (the source text, ES2025) gives the digits exactly as the server wrote them.
 */
export function parseExact(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' ? (context ? context.source : String(value)) : value);
}

/** fetch() with the Accept header and the token; answers other than 2xx become a ProblemError. */
export async function request(path, accept, signal) {
  const headers = { Accept: accept };
  if (token()) {
    headers.Authorization = 'Bearer ' + token();
  }
  let response;
  try {
    response = await fetch(path, { headers, signal });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ProblemError({ status: 0, title: 'Quarry cannot be reached',
      detail: 'The browser got no answer (' + error.message + '). Check that the service is running, then try again.' });
  }
  if (!response.ok) {
    throw new ProblemError(await problemOf(response));
  }
  return response;
}

/** The problem document of a failed answer, or one made up from its status when it has none. */
async function problemOf(response) {
  const text = await response.text();
  const retryAfter = response.headers.get('Retry-After');
  try {
    const problem = JSON.parse(text);
    if (problem && problem.title) {
      return { ...problem, status: response.status, retryAfter };
    }
  } catch (notJson) {
    // a bare answer from the HTTP layer (a 414, a malformed escape): told by its status below
  }
  return { status: response.status, title: response.statusText || 'HTTP ' + response.status,
    detail: text.slice(0, 300), retryAfter };
}

export async function getJson(path, signal) {
  const response = await request(path, 'application/json', signal);
  return parseExact(await response.text());
}

/**
 * Runs a query as a text/event-stream read through fetch(), since an EventSource cannot send an
 * Authorization header. Calls meta(columns) once and rows([{row, id}]) for each chunk that arrives;
 * resolves with the end document {rows, elapsedMs}; source, if given, is told the Quarry-Source header
 * (a rollup and the age of its data, or "template"). An `error` event rejects with its problem;
 * aborting the signal closes the connection, and Quarry then cancels the query in PostgreSQL.
 */
export async function stream(path, signal, { meta, rows, source }) {
  const response = await request(path, 'text/event-stream', signal);
  if (source) {
    source(response.headers.get('Quarry-Source'));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      throw new ProblemError({ status: 0, title: 'Stream cut short',
        detail: 'The connection closed before the end of the results. Run the query again.' });
    }
    // Quarry ends every line with \n and every event with a blank line (SseFrames)
    const frames = (pending + value).split('\n\n');
    pending = frames.pop();
    const arrived = [];
    for (const frame of frames) {
      const event = parseFrame(frame);
      if (event.name === 'row') {
        arrived.push({ row: parseExact(event.data), id: event.id });
      } else if (event.name === 'meta') {
        meta(parseExact(event.data).columns);
      } else if (event.name === 'end') {
        rows(arrived);
        return parseExact(event.data);
      } else if (event.name === 'error') {
        rows(arrived);
        throw new ProblemError(JSON.parse(event.data));
      }
    }
    if (arrived.length > 0) {
      rows(arrived);
    }
  }
}

/** One SSE event: its name, data and id; comment lines (heartbeats) leave it without a name. */
function parseFrame(frame) {
  const event = { name: null, data: '', id: null };
  for (const line of frame.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      event.name = value;
    } else if (field === 'data') {
      event.data = event.data ? event.data + '\n' + value : value;
    } else if (field === 'id') {
      event.id = value;
    }
  }
  return event;
}

/** Saves a whole result as a file (CSV, NDJSON or Arrow), fetched with the token like every other request. */
export async function download(path, accept, filename) {
  const response = await request(path, accept);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
