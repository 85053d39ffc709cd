/** REST calls for integration tests: JSON in, the reply's status, body (JSON when it is) and headers out. */
export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
  headers: Headers;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function restClient(baseUrl: () => string) {
  async function call(method: string, route: string, body?: unknown, auth: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${baseUrl()}/api/v3${route}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  /** Signs a new account up; its access token and id. */
  async function signUp(username: string, password = 'a long enough password'): Promise<{ token: string; userId: string }> {
    const res = await call('POST', '/auth/signup', { username, password });
    if (res.status !== 201) throw new Error(`signing up ${username} failed: ${res.status} ${res.text}`);
    return { token: res.json.accessToken, userId: res.json.user.id };
  }
  return { call, signUp };
}
