/** A tiny browser stand-in for the HTTP tests: keeps the session cookie and reads the CSRF token. */
export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export class AdminClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(private readonly base: string) {}

  async get(path: string): Promise<PageResponse> {
    return this.send('GET', path);
  }

  /** A form post; `_csrf` is added from the last page unless `csrf: null`. */
  async post(path: string, fields: Record<string, string | string[]>, options: { csrf?: string | null; origin?: string } = {}): Promise<PageResponse> {
    const form = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null && token !== undefined) form.set('_csrf', token);
    for (const [key, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) form.append(key, item);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: options.origin ?? this.base };
    return this.send('POST', path, form.toString(), headers);
  }

  async signIn(password: string, username = 'admin'): Promise<PageResponse> {
    const response = await this.post('/admin/login', { username, password }, { csrf: null });
    if (response.status === 303) await this.get('/admin');
    return response;
  }

  async send(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<PageResponse> {
    const headers: Record<string, string> = { ...extra };
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    const response = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = /Max-Age=0/.test(setCookie) ? undefined : pair;
    }
    const text = await response.text();
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(text)?.[1];
    if (csrf !== undefined) this.csrf = csrf;
    return { status: response.status, headers: response.headers, text, location: response.headers.get('location') };
  }
}
