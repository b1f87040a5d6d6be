/**
 * Query parameters whose value is a secret or says where one is kept: libpq's password,
 * sslpassword, sslkey and passfile, and the api keys and tokens of proxies and serverless drivers.
 */
const SECRET_PARAMETER = /pass|secret|token|key/i;

const MASK = '***';

/** `name=value` in a query or a libpq keyword string, the value possibly in single quotes. */
const PARAMETER = /([^\s?&;=]+)=('(?:[^'\\]|\\.)*'|[^\s&;]*)/g;

/**
 * A connection string as a log line may show it: without the password of its user information
 * or the value of a secret query parameter.
 *
 * Only a URL with a host and no "@" after it is trusted to the URL parser. Anything else (a typo, a
 * libpq "key=value" string, a password holding "/" that moved the rest into the path) shows its
 * scheme and what follows its last "@", secret parameters masked: whatever precedes that "@" may be
 * a password.
 */
export function redactDatabaseUrl(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url?.host || `${url.pathname}${url.search}${url.hash}`.includes('@')) return redactUnparsed(text);
  if (url.password) url.password = MASK;
  for (const name of new Set(url.searchParams.keys())) {
    if (SECRET_PARAMETER.test(name)) url.searchParams.set(name, MASK);
  }
  return url.toString();
}

function redactUnparsed(text: string): string {
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const at = text.lastIndexOf('@');
  const location = at < 0 ? text.slice(scheme.length) : `${MASK}@${text.slice(at + 1)}`;
  return scheme + location.replace(PARAMETER, maskSecret);
}

function maskSecret(pair: string, name: string): string {
  return SECRET_PARAMETER.test(name) ? `${name}=${MASK}` : pair;
}
